import Fluent
import Foundation
import YijuCore

/// One version of the credit rule set (JSON of `CreditRules`). Versions are only added;
/// the newest is in force, and every credit event records the points it was given then.
final class CreditRuleSetRecord: Model, @unchecked Sendable {
    static let schema = "credit_rule_sets"

    @ID(key: .id) var id: UUID?
    @Field(key: .version) var version: Int
    @Field(key: .rules) var rules: String
    @OptionalField(key: .note) var note: String?
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
