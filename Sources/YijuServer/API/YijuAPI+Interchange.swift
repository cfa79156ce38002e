import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Import, export, the map, the audit log and users.
extension YijuAPI {
    func importCompounds(_ input: Operations.importCompounds.Input) async throws -> Operations.importCompounds.Output {
        let service = try service()
        guard Policy.mayImport(service.actor) else { throw DomainError.forbidden }
        let parsed: CompoundFile.Parsed
        switch input.body {
        case .csv(let body):
            let text = try await String(collecting: body, upTo: app.yijuConfig.maxBodyBytes)
            parsed = try CompoundFile.readCSV(text, currentYear: service.currentYear)
        case .application_geo_plus_json(let collection):
            parsed = try CompoundFile.readGeoJSON(try JSONEncoder().encode(collection), currentYear: service.currentYear)
        }
        let outcome = try await service.importCompounds(parsed)
        return .ok(.init(body: .json(.init(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged,
                                           skippedFeatures: outcome.skippedFeatures))))
    }

    func exportCompounds(_ input: Operations.exportCompounds.Input) async throws -> Operations.exportCompounds.Output {
        let service = try service()
        let streetID = try input.query.streetOfficeId.map { try queryID($0, "streetOfficeId") }
        let export = try await RegistryExport(service: service).make(streetOfficeID: streetID)
        switch input.query.format {
        case .csv:
            return .ok(.init(body: .csv(HTTPBody(CompoundFile.csv(export.records)))))
        case .geojson:
            let data = CompoundFile.geoJSON(export.records, barriers: export.barriers)
            return .ok(.init(body: .application_geo_plus_json(try JSONDecoder().decode(Components.Schemas.FeatureCollection.self, from: data))))
        }
    }

    func getMap(_ input: Operations.getMap.Input) async throws -> Operations.getMap.Output {
        let service = try service()
        let streetID = try input.query.streetOfficeId.map { try queryID($0, "streetOfficeId") }
        let svg = try await DistrictMap(service: service).svg(streetOfficeID: streetID, link: nil)
        return .ok(.init(body: .image_svg_plus_xml(HTTPBody(svg))))
    }

    func listAudit(_ input: Operations.listAudit.Input) async throws -> Operations.listAudit.Output {
        let service = try service()
        try service.authorize(.read, .auditLog, notFound: "audit log")
        let limit = input.query.limit ?? 100, offset = input.query.offset ?? 0
        guard (1...500).contains(limit), offset >= 0 else {
            throw DomainError(.badRequest, code: "bad_parameter", message: "limit must be 1–500 and offset 0 or more",
                              fields: [FieldError(field: (1...500).contains(limit) ? "offset" : "limit", reason: "out of range")])
        }
        let query = AuditEntry.query(on: app.db)
        if let type = input.query.entityType { query.filter(\.$entityType == type) }
        if let raw = input.query.entityId { query.filter(\.$entityID == (try queryID(raw, "entityId"))) }
        let total = try await query.copy().count()
        let entries = try await query.sort(\.$at, .descending).range(offset..<(offset + limit)).all()
        return .ok(.init(body: .json(.init(items: try entries.map(Components.Schemas.AuditEntry.init), total: total, limit: limit, offset: offset))))
    }

    func listUsers(_ input: Operations.listUsers.Input) async throws -> Operations.listUsers.Output {
        let service = try service()
        try service.authorize(.read, .users, notFound: "users")
        return .ok(.init(body: .json(try await User.query(on: app.db).sort(\.$username).all().map(Components.Schemas.User.init))))
    }

    func createUser(_ input: Operations.createUser.Input) async throws -> Operations.createUser.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try service()
        try service.authorize(.create, .users, notFound: "users")
        let user = try await UserAdmin(app: app, actor: service.actor).create(
            username: body.username, displayName: body.displayName, role: Role(rawValue: body.role.rawValue)!,
            password: body.password, streetOfficeID: body.streetOfficeId, departmentID: body.departmentId, companyID: body.companyId)
        return .created(.init(body: .json(try .init(user))))
    }
}
