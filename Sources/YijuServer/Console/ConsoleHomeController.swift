import Fluent
import Vapor
import YijuCore

/// The overview, import and export, and the audit log.
struct ConsoleHomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: dashboard)
        routes.get("import", use: importPage)
        routes.on(.POST, "import", body: .collect(maxSize: "20mb"), use: importFile)
        routes.get("export", use: export)
        routes.get("audit", use: audit)
    }

    // MARK: Overview

    struct DashboardContent: Encodable {
        var total: Int
        var totalArea: String
        var totalHouseholds: Int
        var needCompany: Int
        var byMode: [Tally]
        var byStreet: [StreetTally]
    }

    struct Tally: Encodable {
        var label: String
        var colour: String
        var count: Int
        var percent: String
    }

    struct StreetTally: Encodable {
        var id: String
        var name: String
        var total: Int
        var needCompany: Int
    }

    func dashboard(req: Request) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let compounds = try await service.allCompounds()
        let total = compounds.count
        let byMode = ManagementMode.allCases.map { mode in
            let n = compounds.filter { $0.management == mode }.count
            return Tally(label: lang.label(mode), colour: SVGMap.colour(mode), count: n,
                         percent: total == 0 ? "0" : String(format: "%.1f", Double(n) * 100 / Double(total)))
        }
        var streets: [UUID: StreetTally] = [:]
        for c in compounds {
            streets[c.$streetOffice.id, default: StreetTally(id: c.$streetOffice.id.uuidString, name: c.streetOffice.name, total: 0, needCompany: 0)].total += 1
            if c.management.needsCompany { streets[c.$streetOffice.id]!.needCompany += 1 }
        }
        let content = DashboardContent(
            total: total, totalArea: Format.area(compounds.reduce(0) { $0 + $1.floorArea }),
            totalHouseholds: compounds.reduce(0) { $0 + $1.households },
            needCompany: compounds.filter { $0.management.needsCompany }.count, byMode: byMode,
            byStreet: streets.values.sorted { $0.name < $1.name })
        return try await req.renderPage("dashboard", title: lang.strings["dashboard"]!, nav: "dashboard", content: content)
    }

    // MARK: Import and export

    struct ImportContent: Encodable {
        var outcome: Outcome?
        var errors: [FieldError]
        var message: String?
        var columns: String
    }

    struct Outcome: Encodable {
        var added: Int
        var updated: Int
        var unchanged: Int
        var skipped: Int
    }

    func importPage(req: Request) async throws -> View {
        guard Policy.mayImport(try req.consoleUser.actor) else { throw DomainError.forbidden }
        return try await req.renderPage("import", title: req.language.strings["import"]!, nav: "import",
                                        content: ImportContent(outcome: nil, errors: [], message: nil, columns: CompoundRecord.columns.joined(separator: ",")))
    }

    struct Upload: Content {
        var file: File
    }

    func importFile(req: Request) async throws -> Response {
        let service = try req.registry
        guard Policy.mayImport(service.actor) else { throw DomainError.forbidden }
        let upload: Upload
        do { upload = try req.content.decode(Upload.self) } catch {
            throw DomainError(.badRequest, code: "missing_file", message: "choose a CSV or GeoJSON file to import",
                              fields: [FieldError(field: "file", reason: "is required")])
        }
        var content = ImportContent(outcome: nil, errors: [], message: nil, columns: CompoundRecord.columns.joined(separator: ","))
        var status = HTTPResponseStatus.ok
        do {
            let data = Data(buffer: upload.file.data)
            let isGeoJSON = upload.file.filename.lowercased().hasSuffix("json") || data.first(where: { !$0.isWhitespace }) == UInt8(ascii: "{")
            let parsed = isGeoJSON
                ? try CompoundFile.readGeoJSON(data, currentYear: service.currentYear)
                : try CompoundFile.readCSV(try Self.text(data), currentYear: service.currentYear)
            let outcome = try await service.importCompounds(parsed)
            content.outcome = Outcome(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, skipped: outcome.skippedFeatures)
        } catch let error as DomainError {
            content.message = error.message
            content.errors = error.fields
            status = YijuErrorMiddleware.status(error.kind)
        }
        let response = try await req.renderPage("import", title: req.language.strings["import"]!, nav: "import", content: content)
            .encodeResponse(for: req)
        response.status = status
        return response
    }

    static func text(_ data: Data) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw DomainError(.invalid, code: "not_utf8", message: "the file is not UTF-8; in Excel choose “CSV UTF-8” when saving",
                              fields: [FieldError(field: "file", reason: "is not UTF-8 text")])
        }
        return text
    }

    func export(req: Request) async throws -> Response {
        let service = try req.registry
        let street = req.query[String.self, at: "street"].flatMap(UUID.init(uuidString:))
        let export = try await RegistryExport(service: service).make(streetOfficeID: street)
        let stamp = Calendar.shanghai.dateComponents([.year, .month, .day], from: service.now)
        let date = String(format: "%04d%02d%02d", stamp.year!, stamp.month!, stamp.day!)
        let response: Response
        switch req.query[String.self, at: "format"] {
        case "geojson":
            response = Response(status: .ok, body: .init(data: CompoundFile.geoJSON(export.records, barriers: export.barriers)))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
            response.headers.contentDisposition = .init(.attachment, filename: "yiju-compounds-\(date).geojson")
        default:
            response = Response(status: .ok, body: .init(string: CompoundFile.csv(export.records)))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "yiju-compounds-\(date).csv")
        }
        return response
    }

    // MARK: Audit

    struct AuditContent: Encodable {
        var entries: [AuditRow]
        var total: Int
        var entityId: String
        var nextOffset: Int?
    }

    struct AuditRow: Encodable {
        var at: String
        var actor: String
        var action: String
        var entityType: String
        var entityId: String
        var before: String
        var after: String
    }

    func audit(req: Request) async throws -> View {
        let service = try req.registry
        try service.authorize(.read, .auditLog, notFound: "audit log")
        let offset = max(0, req.query[Int.self, at: "offset"] ?? 0)
        let query = AuditEntry.query(on: req.db)
        let entityId = req.query[String.self, at: "entityId"] ?? ""
        if let id = UUID(uuidString: entityId) { query.filter(\.$entityID == id) }
        let total = try await query.copy().count()
        let entries = try await query.sort(\.$at, .descending).range(offset..<(offset + 100)).all()
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        let rows = entries.map {
            AuditRow(at: formatter.string(from: $0.at), actor: $0.actorName, action: $0.action, entityType: $0.entityType,
                     entityId: $0.entityID?.uuidString ?? "", before: $0.before ?? "", after: $0.after ?? "")
        }
        return try await req.renderPage("audit", title: req.language.strings["audit"]!, nav: "audit", content: AuditContent(
            entries: rows, total: total, entityId: entityId, nextOffset: offset + 100 < total ? offset + 100 : nil))
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 || self == 0xEF || self == 0xBB || self == 0xBF }
}
