import Fluent
import Foundation

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
