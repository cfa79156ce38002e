import Fluent
import Foundation

/// One version of a street office's zoning plan. The plan is kept as the planner's own
/// DESIGN §4 document (compounds with `zone` and `lot`, and the `plan` member), so it can
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

/// A short list kept in one text column.
enum JSONList {
    static func decode<T: Decodable>(_ text: String?, as: T.Type) -> [T] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([T].self, from: data)) ?? []
    }

    static func encode<T: Encodable>(_ list: [T]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

/// Every state a draft has been in, so undo and redo restore exactly what was there.
final class ZoningSnapshot: Model, @unchecked Sendable {
    static let schema = "zoning_plan_snapshots"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .sequence) var sequence: Int
    /// The snapshot this one was made from by `change`; nil for the generated plan.
    @OptionalField(key: .parent) var parent: Int?
    @Field(key: .document) var document: String
    @Field(key: .lockedZones) var lockedZonesJSON: String
    @Field(key: .change) var change: String
    @Field(key: .author) var author: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// An official's remark on a version.
final class ZoningComment: Model, @unchecked Sendable {
    static let schema = "zoning_comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .author) var author: String
    @Field(key: .body) var body: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// A resident's objection to a plan under notice, filed from the public page.
final class ZoningObjection: Model, @unchecked Sendable {
    static let schema = "zoning_objections"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .name) var name: String
    @Field(key: .phone) var phone: String
    @OptionalField(key: .compoundCode) var compoundCode: String?
    @Field(key: .body) var body: String
    /// A hash of the sender's address, to limit how many one sender files; never shown.
    @Field(key: .sourceHash) var sourceHash: String
    /// Set from the application clock (not Fluent's), because the hourly limit counts by it.
    @Field(key: .createdAt) var createdAt: Date

    init() {}
}

/// A tender lot (标段) of an adopted plan: the zones tendered together to one company.
final class TenderLot: Model, @unchecked Sendable {
    static let schema = "tender_lots"

    enum Status: String, Codable, Sendable {
        /// Waiting for its tender.
        case open
        /// Its plan was retired before a contract was awarded.
        case withdrawn
        /// Under a tender: notice, bidding or evaluation.
        case tendering
        /// Awarded: a contract was made from its tender.
        case awarded
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    /// District-unique: street office code, plan version and the plan's lot id.
    @Field(key: .code) var code: String
    @Field(key: .status) var status: Status
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// A management area (物业管理区域): a zone of an adopted plan, in force from its
/// adoption until its plan is retired.
final class ManagementArea: Model, @unchecked Sendable {
    static let schema = "management_areas"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Parent(key: .lotID) var lot: TenderLot
    /// District-unique: street office code, plan version and the plan's zone id.
    @Field(key: .code) var code: String
    @Field(key: .zoneCode) var zoneCode: String
    @Field(key: .floorArea) var floorArea: Double
    @Field(key: .households) var households: Int
    @Field(key: .startDate) var startDate: String
    @OptionalField(key: .endDate) var endDate: String?

    init() {}
}

/// Which management area a compound belongs to, from when until when. The open row
/// (no end date) is the compound's area now; closed rows are its history.
final class AreaAssignment: Model, @unchecked Sendable {
    static let schema = "area_assignments"

    @ID(key: .id) var id: UUID?
    @Parent(key: .compoundID) var compound: Compound
    @Parent(key: .areaID) var area: ManagementArea
    @Field(key: .startDate) var startDate: String
    @OptionalField(key: .endDate) var endDate: String?

    init() {}
}
