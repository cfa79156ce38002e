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

/// 物业服务企业.
final class Company: Model, @unchecked Sendable {
    static let schema = "companies"

    @ID(key: .id) var id: UUID?
    @Field(key: .name) var name: String
    /// 统一社会信用代码.
    @Field(key: .registrationNumber) var registrationNumber: String
    @OptionalField(key: .legalRepresentative) var legalRepresentative: String?
    @OptionalField(key: .phone) var phone: String?
    @Field(key: .staff) var staff: Int
    @Field(key: .serviceStations) var serviceStations: Int
    /// Sweeping and snow-clearing machines.
    @Field(key: .machines) var machines: Int
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}

/// A management contract between a company and the compounds it serves.
final class Contract: Model, @unchecked Sendable {
    static let schema = "contracts"

    @ID(key: .id) var id: UUID?
    @Field(key: .code) var code: String
    @Parent(key: .companyID) var company: Company
    /// Fen per m² per month.
    @Field(key: .feeRateFen) var feeRateFen: Int
    /// Calendar dates (yyyy-MM-dd, Asia/Shanghai).
    @Field(key: .startDate) var startDate: String
    @Field(key: .endDate) var endDate: String
    /// The tender that awarded it, for contracts made by selection.
    @OptionalField(key: .tenderID) var tenderID: UUID?
    /// When its compounds were moved to its company in the registry (on the start day).
    @OptionalField(key: .appliedAt) var appliedAt: Date?
    /// Set on an emergency provider's contract (应急服务): the exit it covers. It runs at most
    /// six months and gives way to the contract of the lot's new tender.
    @OptionalField(key: .exitID) var exitID: UUID?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// A river, railway or arterial road: a hard boundary for zoning.
final class Barrier: Model, @unchecked Sendable {
    static let schema = "barriers"

    @ID(key: .id) var id: UUID?
    @Field(key: .name) var name: String
    @Field(key: .kind) var kind: BarrierKind
    @Field(key: .path) var pathJSON: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var path: [GeoPoint] {
        get { GeoPath.decode(pathJSON) }
        set { pathJSON = GeoPath.encode(newValue) }
    }
}

/// A department the street office summons with the whistle.
final class Department: Model, @unchecked Sendable {
    static let schema = "departments"

    @ID(key: .id) var id: UUID?
    @Field(key: .kind) var kind: DepartmentKind
    @Field(key: .name) var name: String
    @OptionalField(key: .phone) var phone: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}
