import Fluent
import Vapor
import YijuCore

/// The overview, import and export, and the audit log.
struct ConsoleHomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.home.routeComponents, use: dashboard)
        routes.get(ConsolePath.importFile.routeComponents, use: importPage)
        routes.on(.POST, ConsolePath.importFile.routeComponents, body: .collect(maxSize: "20mb"), use: importFile)
        routes.get(ConsolePath.export.routeComponents, use: export)
        routes.get(ConsolePath.audit.routeComponents, use: audit)
    }

    // MARK: Overview

    func dashboard(req: Request) async throws -> View {
        let compounds = try await req.registry.allCompounds()
        return try await req.renderPage("dashboard", title: req.language.strings["dashboard"]!, nav: .dashboard,
                                        content: DashboardPage(compounds: compounds, req.language))
    }

    // MARK: Import and export

    func importPage(req: Request) async throws -> View {
        guard Policy.mayImport(try req.consoleUser.actor) else { throw DomainError.forbidden }
        return try await req.renderPage("import", title: req.language.strings["import"]!, nav: .import, content: ImportPage())
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
        var content = ImportPage()
        var status = HTTPResponseStatus.ok
        do {
            let data = Data(buffer: upload.file.data)
            let isGeoJSON = upload.file.filename.lowercased().hasSuffix("json") || data.first(where: { !$0.isWhitespace }) == UInt8(ascii: "{")
            let parsed = isGeoJSON
                ? try CompoundFile.readGeoJSON(data, currentYear: service.currentYear)
                : try CompoundFile.readCSV(try Self.text(data), currentYear: service.currentYear)
            let outcome = try await service.importCompounds(parsed)
            content.outcome = .init(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, skipped: outcome.skippedFeatures)
        } catch let error as DomainError {
            content.message = error.message
            content.errors = error.fields
            status = YijuErrorMiddleware.status(error.kind)
        }
        let response = try await req.renderPage("import", title: req.language.strings["import"]!, nav: .import, content: content)
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

    func audit(req: Request) async throws -> View {
        let service = try req.registry
        try service.authorize(.read, .auditLog, notFound: "audit log")
        let offset = max(0, req.query[Int.self, at: "offset"] ?? 0)
        let query = AuditEntry.query(on: req.db)
        let entityId = req.query[String.self, at: "entityId"] ?? ""
        if let id = UUID(uuidString: entityId) { query.filter(\.$entityID == id) }
        let total = try await query.copy().count()
        let entries = try await query.sort(\.$at, .descending).range(offset..<(offset + AuditPage.pageSize)).all()
        return try await req.renderPage("audit", title: req.language.strings["audit"]!, nav: .audit,
                                        content: AuditPage(entries: entries, total: total, offset: offset, entityId: entityId))
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 || self == 0xEF || self == 0xBB || self == 0xBF }
}
