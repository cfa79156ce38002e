import Foundation
import YijuCore

/// Street offices with their communities, and the forms to add and rename them.
struct StreetOfficesPage: Encodable {
    struct Row: Encodable {
        var code: String
        var name: String
        var address: String
        var phone: String
        var compoundCount: Int
        var communities: [CommunityRow]
        var canEdit: Bool
        var canAddCommunity: Bool
        var updateAction: String
        var addCommunityAction: String
        var compoundsLink: String
        var mapLink: String
    }

    struct CommunityRow: Encodable {
        var name: String
        var compoundCount: Int
        var renameAction: String
    }

    var offices: [Row]
    var errors: [FieldError]
    var canCreate: Bool
    var createAction = ConsolePath.streetOffices.path

    init(offices: [StreetOffice], communities: [Community], compoundsPerOffice: [UUID: Int], compoundsPerCommunity: [UUID: Int],
         actor: Actor, errors: [FieldError]) throws {
        self.offices = try offices.map { office in
            let id = try office.requireID()
            return Row(code: office.code, name: office.name, address: office.address ?? "", phone: office.phone ?? "",
                       compoundCount: compoundsPerOffice[id] ?? 0,
                       communities: try communities.filter { $0.$streetOffice.id == id }.map {
                           let community = try $0.requireID()
                           return CommunityRow(name: $0.name, compoundCount: compoundsPerCommunity[community] ?? 0,
                                               renameAction: ConsolePath.community(.value(community)).path)
                       },
                       canEdit: Policy.allows(actor, .update, .streetOffice(id: id)),
                       canAddCommunity: Policy.allows(actor, .create, .community(streetOfficeID: id)),
                       updateAction: ConsolePath.streetOffice(.value(id)).path,
                       addCommunityAction: ConsolePath.communities(ofStreetOffice: .value(id)).path,
                       compoundsLink: ConsolePath.compounds.with(["street": id.uuidString]),
                       mapLink: ConsolePath.map.with(["street": id.uuidString]))
        }
        self.errors = errors
        canCreate = Policy.allows(actor, .create, .streetOffice(id: UUID()))
    }
}

/// A company as a row of the companies' table, with its credit grade and its trend.
struct CompanyRow: Encodable {
    var link: String
    var name: String
    var registrationNumber: String
    var legalRepresentative: String
    var phone: String
    var staff: Int
    var serviceStations: Int
    var machines: Int
    var compoundCount: Int
    var floorArea: String
    var kind: String
    var grade = ""
    var score = ""
    /// Against half a year ago: "+2", "-4.5", "0".
    var trend = ""
    var falling = false

    init(_ c: Company, _ totals: RegistryCounts.CompanyTotals?, _ lang: Language) throws {
        link = ConsolePath.company(.value(try c.requireID())).path
        kind = lang.label(c.kind)
        name = c.name
        registrationNumber = c.registrationNumber
        legalRepresentative = c.legalRepresentative ?? ""
        phone = c.phone ?? ""
        staff = c.staff
        serviceStations = c.serviceStations
        machines = c.machines
        compoundCount = totals?.compounds ?? 0
        floorArea = Format.area(totals?.floorArea ?? 0)
    }

    /// Today's statement against the one half a year ago.
    mutating func credit(now: CreditStatement, halfYearAgo: CreditStatement) {
        grade = now.grade.rawValue
        score = now.score.pointsText()
        trend = (now.score - halfYearAgo.score).pointsText(signed: true)
        falling = now.score < halfYearAgo.score
    }
}

/// The property companies, with their grades; the renovation contractors (参建单位) apart,
/// ungraded; and the form to add either.
struct CompaniesPage: Encodable {
    var companies: [CompanyRow]
    var contractors: [CompanyRow]
    var kindOptions: [Option]
    var canCreate: Bool
    /// The bureau decides exits; street offices appoint emergency providers.
    var exitsLink: String?
    var createAction = ConsolePath.companies.path
    var errors: [FieldError]

    /// `credit` holds each company's statements today and half a year ago.
    init(companies: [Company], totals: [UUID: RegistryCounts.CompanyTotals], credit: [UUID: [CreditStatement]], actor: Actor,
         errors: [FieldError], _ lang: Language) throws {
        self.companies = try companies.filter { $0.kind == .property }.map { company in
            let id = try company.requireID()
            var row = try CompanyRow(company, totals[id], lang)
            if let pair = credit[id], pair.count == 2 { row.credit(now: pair[0], halfYearAgo: pair[1]) }
            return row
        }
        contractors = try companies.filter(\.kind.isContractor).sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) }
            .map { try CompanyRow($0, totals[try $0.requireID()], lang) }
        kindOptions = lang.options(CompanyKind.self, selected: CompanyKind.property.rawValue, label: lang.label)
        canCreate = Policy.allows(actor, .create, .company(id: UUID()))
        exitsLink = Policy.allows(actor, .read, .exitRecommendation(confirmed: true)) ? ConsolePath.exits.path : nil
        self.errors = errors
    }
}

/// The departments a street office summons, and the forms to keep them current.
struct DepartmentsPage: Encodable {
    struct Row: Encodable {
        var kind: String
        var name: String
        var phone: String
        var canEdit: Bool
        var updateAction: String
    }

    var departments: [Row]
    var errors: [FieldError]
    var canCreate: Bool
    var kindOptions: [Option]
    var createAction = ConsolePath.departments.path

    init(departments: [Department], actor: Actor, errors: [FieldError], _ lang: Language) throws {
        self.departments = try departments.map {
            let id = try $0.requireID()
            return Row(kind: lang.label($0.kind), name: $0.name, phone: $0.phone ?? "", canEdit: Policy.allows(actor, .update, .department(id: id)),
                       updateAction: ConsolePath.department(.value(id)).path)
        }
        self.errors = errors
        canCreate = Policy.allows(actor, .create, .department(id: UUID()))
        kindOptions = lang.options(DepartmentKind.self, selected: nil, label: lang.label)
    }
}

/// The barriers zones never cross: rivers, railways, arterial roads.
struct BarriersPage: Encodable {
    struct Row: Encodable {
        var name: String
        var kind: String
        var kindLabel: String
        var points: Int
        var lengthKm: String
        var updateAction: String
    }

    var barriers: [Row]
    var kindOptions: [Option]
    var canEdit: Bool
    var createAction = ConsolePath.barriers.path
    var errors: [FieldError]

    init(barriers: [Barrier], actor: Actor, errors: [FieldError], _ lang: Language) throws {
        self.barriers = try barriers.map { b in
            let path = b.path
            let length = zip(path, path.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            return Row(name: b.name, kind: b.kind.rawValue, kindLabel: lang.label(b.kind), points: path.count,
                       lengthKm: String(format: "%.1f", length / 1000), updateAction: ConsolePath.barrier(.value(try b.requireID())).path)
        }
        kindOptions = lang.options(BarrierKind.self, selected: nil, label: lang.label)
        canEdit = Policy.allows(actor, .update, .barrier)
        self.errors = errors
    }
}
