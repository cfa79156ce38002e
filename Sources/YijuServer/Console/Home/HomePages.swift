import Foundation
import YijuCore

/// The overview: the registry's counts, by management mode and by street office.
struct DashboardPage: Encodable {
    struct Tally: Encodable {
        var label: String
        var colour: String
        var count: Int
        var percent: String
    }

    struct StreetTally: Encodable {
        var name: String
        var total: Int
        var needCompany: Int
        var compoundsLink: String
        var mapLink: String
    }

    var total: Int
    var totalArea: String
    var totalHouseholds: Int
    var needCompany: Int
    var byMode: [Tally]
    var byStreet: [StreetTally]

    /// Expects each compound's street office loaded.
    init(compounds: [Compound], _ lang: Language) {
        total = compounds.count
        totalArea = Format.area(compounds.reduce(0) { $0 + $1.floorArea })
        totalHouseholds = compounds.reduce(0) { $0 + $1.households }
        needCompany = compounds.filter { $0.management.needsCompany }.count
        let total = self.total
        byMode = ManagementMode.allCases.map { mode in
            let n = compounds.filter { $0.management == mode }.count
            return Tally(label: lang.label(mode), colour: SVGMap.colour(mode), count: n,
                         percent: total == 0 ? "0" : String(format: "%.1f", Double(n) * 100 / Double(total)))
        }
        var streets: [UUID: StreetTally] = [:]
        for c in compounds {
            let office = c.$streetOffice.id
            streets[office, default: StreetTally(
                name: c.streetOffice.name, total: 0, needCompany: 0,
                compoundsLink: ConsolePath.compounds.with(["street": office.uuidString]),
                mapLink: ConsolePath.map.with(["street": office.uuidString]))].total += 1
            if c.management.needsCompany { streets[office]?.needCompany += 1 }
        }
        byStreet = streets.values.sorted { $0.name < $1.name }
    }
}

/// Import and export: the upload form, and what the last upload did.
struct ImportPage: Encodable {
    struct Outcome: Encodable {
        var added: Int
        var updated: Int
        var unchanged: Int
        var skipped: Int
    }

    var outcome: Outcome?
    var errors: [FieldError] = []
    var message: String?
    var columns = CompoundRecord.columns.joined(separator: ",")
    var action = ConsolePath.importFile.path
    var exportCSV = ConsolePath.export.with(["format": "csv"])
    var exportGeoJSON = ConsolePath.export.with(["format": "geojson"])
}

/// The audit log, newest first, a hundred entries a page, optionally for one record.
struct AuditPage: Encodable {
    struct Row: Encodable {
        var at: String
        var actor: String
        var action: String
        var entityType: String
        var entityId: String
        var entityLink: String
        var before: String
        var after: String
    }

    static let pageSize = 100

    var entries: [Row]
    var total: Int
    var entityId: String
    var nextLink: String?

    init(entries: [AuditEntry], total: Int, offset: Int, entityId: String) {
        self.entries = entries.map {
            let id = $0.entityID?.uuidString ?? ""
            return Row(at: Format.dateTimeSeconds($0.at), actor: $0.actorName, action: $0.action, entityType: $0.entityType, entityId: id,
                       entityLink: ConsolePath.audit.with(["entityId": id]), before: $0.before ?? "", after: $0.after ?? "")
        }
        self.total = total
        self.entityId = entityId
        let next = offset + Self.pageSize
        nextLink = next < total ? ConsolePath.audit.with(["offset": String(next), "entityId": entityId]) : nil
    }
}
