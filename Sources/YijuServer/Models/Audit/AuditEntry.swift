import Fluent
import Foundation
import Vapor
import YijuCore

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
