import Fluent
import Foundation
import Vapor
import YijuCore

/// `yiju users`: create, reset a password, issue a token, list.
extension CommandContext {
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
