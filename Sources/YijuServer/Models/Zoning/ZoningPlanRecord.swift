import Fluent
import Foundation

/// One version of a street office's zoning plan. The plan is kept as the planner's own
/// planner document (docs/ZONING.md) (compounds with `zone` and `lot`, and the `plan` member), so it can
/// be re-checked, edited and exported without translation.
///
/// A version moves draft → notice (公示, public) → adopted; a notice can be withdrawn and
/// an adopted plan retired. Only a draft changes; anything else is changed by a new version.
final class ZoningPlanRecord: Model, @unchecked Sendable {
    static let schema = "zoning_plans"

    enum Status: String, Codable, Sendable, CaseIterable {
        case draft, notice, adopted, withdrawn, retired

        /// What the public (and departments and companies, for adopted) may see.
        var isPublic: Bool { self == .notice || self == .adopted }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Field(key: .version) var version: Int
    @Field(key: .status) var status: Status
    /// Incremented by every edit, undo and redo; one naming an older revision is refused (optimistic locking).
    @Field(key: .revision) var revision: Int
    @Field(key: .document) var document: String
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?
    /// JSON array of the zone ids a person locked.
    @OptionalField(key: .lockedZones) var lockedZonesJSON: String?
    /// The snapshot the document is a copy of, and the snapshots undone since the last edit (JSON array), for redo.
    @OptionalField(key: .snapshot) var snapshot: Int?
    @OptionalField(key: .redo) var redoJSON: String?
    /// The version this one was copied from.
    @OptionalField(key: .basedOn) var basedOn: Int?
    /// The notice period, first and last day (Asia/Shanghai, yyyy-MM-dd).
    @OptionalField(key: .noticeStart) var noticeStart: String?
    @OptionalField(key: .noticeEnd) var noticeEnd: String?
    @OptionalField(key: .publishedBy) var publishedBy: String?
    @OptionalField(key: .adoptedOn) var adoptedOn: String?
    @OptionalField(key: .adoptedBy) var adoptedBy: String?
    /// When and by whom a notice was withdrawn or an adopted plan retired.
    @OptionalField(key: .closedOn) var closedOn: String?
    @OptionalField(key: .closedBy) var closedBy: String?

    init() {}

    var lockedZones: Set<String> {
        get { Set(JSONList.decode(lockedZonesJSON, as: String.self)) }
        set { lockedZonesJSON = JSONList.encode(newValue.sorted()) }
    }

    var redoStack: [Int] {
        get { JSONList.decode(redoJSON, as: Int.self) }
        set { redoJSON = JSONList.encode(newValue) }
    }
}
