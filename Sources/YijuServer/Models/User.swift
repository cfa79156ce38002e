import Fluent
import Foundation
import Vapor
import YijuCore

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: .username) var username: String
    @Field(key: .displayName) var displayName: String
    @Field(key: .passwordHash) var passwordHash: String
    @Field(key: .role) var role: Role
    @OptionalParent(key: .streetOfficeID) var streetOffice: StreetOffice?
    @OptionalParent(key: .departmentID) var department: Department?
    @OptionalParent(key: .companyID) var company: Company?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var actor: Actor {
        Actor(userID: id!, username: username, role: role, streetOfficeID: $streetOffice.id,
              departmentID: $department.id, companyID: $company.id)
    }
}

extension User: ModelSessionAuthenticatable {}

/// An API token. Only its SHA-256 is stored: a leaked database does not leak tokens.
final class UserToken: Model, @unchecked Sendable {
    static let schema = "user_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: .userID) var user: User
    @Field(key: .tokenHash) var tokenHash: String
    @OptionalField(key: .label) var label: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @OptionalField(key: .expiresAt) var expiresAt: Date?

    init() {}
}

/// One login or token attempt, kept for throttling across processes.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: .username) var username: String
    @Field(key: .succeeded) var succeeded: Bool
    @Field(key: .at) var at: Date

    init() {}
}

/// One row of the append-only audit log. The database refuses UPDATE and DELETE on it.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: .at) var at: Date
    @OptionalField(key: .actorID) var actorID: UUID?
    @Field(key: .actorName) var actorName: String
    @Field(key: .action) var action: String
    @Field(key: .entityType) var entityType: String
    @OptionalField(key: .entityID) var entityID: UUID?
    @OptionalField(key: .before) var before: String?
    @OptionalField(key: .after) var after: String?

    init() {}
}
