import Fluent
import Foundation
import YijuCore

/// The bureau admin's settings for cases: the rule set (JSON of `CaseRules`), one row per
/// domain of the routing table, and the working-day calendar's exceptions.
final class CaseSettingsRecord: Model, @unchecked Sendable {
    static let schema = "case_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: .rules) var rules: String
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}
