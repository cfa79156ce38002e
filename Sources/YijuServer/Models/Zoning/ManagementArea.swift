import Fluent
import Foundation

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
