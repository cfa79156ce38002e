import Fluent
import Foundation
import Vapor
import YijuCore

/// What the `yiju` command needs from the server target, so the executable stays thin.
public struct RegistryServiceHandle {
    let app: Application
    let actor: Actor?

    /// `username` names the user the command acts as (its writes are audited under it);
    /// nil acts as the system with bureau-admin rights.
    public init(app: Application, username: String?) async throws {
        self.app = app
        if let username {
            guard let user = try await User.query(on: app.db).filter(\.$username == username.lowercased()).first() else {
                throw DomainError.notFound("user \(username)")
            }
            actor = user.actor
        } else {
            actor = nil
        }
    }

    var service: RegistryService {
        RegistryService(app: app, actor: actor ?? Actor(userID: UUID(), username: AuditLog.systemActor, role: .bureauAdmin))
    }

    public var currentYear: Int { service.currentYear }

    public func importCompounds(_ parsed: CompoundFile.Parsed) async throws -> (added: Int, updated: Int, unchanged: Int, skippedFeatures: Int) {
        let outcome = try await service.importCompounds(parsed)
        return (outcome.added, outcome.updated, outcome.unchanged, outcome.skippedFeatures)
    }

    public func export(format: String, street: String?) async throws -> Data {
        var streetID: UUID?
        if let street {
            guard let office = try await StreetOffice.query(on: app.db).group(.or, { $0.filter(\.$name == street).filter(\.$code == street.uppercased()) }).first() else {
                throw DomainError.notFound("street office \(street)")
            }
            streetID = office.id
        }
        let export = try await RegistryExport(service: service).make(streetOfficeID: streetID)
        return format == "geojson" ? CompoundFile.geoJSON(export.records, barriers: export.barriers) : Data(CompoundFile.csv(export.records).utf8)
    }

    public func createUser(username: String, displayName: String, role: Role, password: String,
                           street: String?, department: String?, company: String?) async throws -> String {
        let streetID = try await street.asyncFlatMap { key in
            try await StreetOffice.query(on: app.db).group(.or) { $0.filter(\.$name == key).filter(\.$code == key.uppercased()) }.first()?.id?.uuidString ?? "unknown:\(key)"
        }
        let departmentID = try await department.asyncFlatMap { key in
            try await DepartmentKind(rawValue: key).asyncFlatMap { kind in
                try await Department.query(on: app.db).filter(\.$kind == kind).first()?.id?.uuidString
            } ?? "unknown:\(key)"
        }
        let companyID = try await company.asyncFlatMap { key in
            try await Company.query(on: app.db).group(.or) { $0.filter(\.$name == key).filter(\.$registrationNumber == key) }.first()?.id?.uuidString ?? "unknown:\(key)"
        }
        let user = try await UserAdmin(app: app, actor: actor).create(
            username: username, displayName: displayName, role: role, password: password,
            streetOfficeID: streetID, departmentID: departmentID, companyID: companyID)
        return "\(user.username) (\(user.role.rawValue))"
    }

    public func resetPassword(username: String, password: String) async throws {
        try await UserAdmin(app: app, actor: actor).resetPassword(username: username, password: password)
    }

    public func issueToken(username: String, label: String?) async throws -> String {
        guard let user = try await User.query(on: app.db).filter(\.$username == username.lowercased()).first() else {
            throw DomainError.notFound("user \(username)")
        }
        let token = try await Credentials(app: app).issueToken(for: user, label: label ?? "cli")
        try await AuditLog.record(on: app.db, actor: actor, action: .token, entityType: "user", entityID: user.id, at: app.clock.now())
        return token
    }

    public func userLines() async throws -> [String] {
        try await User.query(on: app.db).with(\.$streetOffice).with(\.$department).with(\.$company).sort(\.$username).all().map { u in
            let scope = (u.$streetOffice.value ?? nil)?.name ?? (u.$department.value ?? nil)?.name ?? (u.$company.value ?? nil)?.name ?? "—"
            return "\(u.username)\t\(u.role.rawValue)\t\(scope)\t\(u.displayName)"
        }
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
