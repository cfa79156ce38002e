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
