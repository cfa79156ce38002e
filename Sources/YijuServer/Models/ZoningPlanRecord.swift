import Fluent
import Foundation

/// One version of a street office's zoning plan. The plan is kept as the planner's own
/// DESIGN §4 document (compounds with `zone` and `lot`, and the `plan` member), so it can
/// be re-checked, edited and exported without translation.
final class ZoningPlanRecord: Model, @unchecked Sendable {
    static let schema = "zoning_plans"

    enum Status: String, Codable, Sendable {
        case draft
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Field(key: .version) var version: Int
    @Field(key: .status) var status: Status
    /// Incremented by every edit; an edit naming an older revision is refused (optimistic locking).
    @Field(key: .revision) var revision: Int
    @Field(key: .document) var document: String
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}
