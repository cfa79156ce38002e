import Fluent
import Foundation
import YijuCore

/// 小区 / 院落: the unit of management.
final class Compound: Model, @unchecked Sendable {
    static let schema = "compounds"

    @ID(key: .id) var id: UUID?
    /// Stable external code, the zoning format's `id`.
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    @Field(key: .kind) var kind: CompoundKind
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @OptionalParent(key: .communityID) var community: Community?
    @OptionalField(key: .address) var address: String?
    @Field(key: .lon) var lon: Double
    @Field(key: .lat) var lat: Double
    /// m².
    @Field(key: .floorArea) var floorArea: Double
    @Field(key: .households) var households: Int
    @Field(key: .buildings) var buildings: Int
    @OptionalField(key: .yearBuilt) var yearBuilt: Int?
    @Field(key: .renovation) var renovation: RenovationState
    @Field(key: .management) var management: ManagementMode
    @OptionalParent(key: .companyID) var company: Company?
    @OptionalParent(key: .contractID) var contract: Contract?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var location: GeoPoint { GeoPoint(lon: lon, lat: lat) }

    /// Optional relations as loaded by `with(...)`; nil when absent or not loaded.
    var loadedCommunity: Community? { $community.value ?? nil }
    var loadedCompany: Company? { $company.value ?? nil }
    var loadedContract: Contract? { $contract.value ?? nil }
}
