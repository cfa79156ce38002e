import Fluent
import Foundation
import YijuCore

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
