import Fluent
import Foundation
import Vapor
import YijuCore

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
