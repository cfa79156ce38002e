import Fluent
import Foundation
import YijuCore

/// One version of renovation's settings: the work item catalogue, the complete-community
/// standard and the rule set, as JSON. Versions are only added; the newest is in force, and
/// a project records the version its scope was chosen from.
final class RenovationSettingsRecord: Model, @unchecked Sendable {
    static let schema = "renovation_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: .version) var version: Int
    @Field(key: .catalogue) var catalogue: String
    @Field(key: .standard) var standard: String
    @Field(key: .rules) var rules: String
    @OptionalField(key: .note) var note: String?
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
