import Fluent
import Foundation
import YijuCore

/// 选聘: the tender for one lot of an adopted zoning plan, from notice to award.
final class Tender: Model, @unchecked Sendable {
    static let schema = "tenders"

    enum Status: String, Codable, Sendable, CaseIterable {
        /// Published; bids are taken until the deadline, then the panel scores.
        case open
        /// Awarded; its contract exists.
        case awarded
        case cancelled
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .lotID) var lot: TenderLot
    @Field(key: .code) var code: String
    @Field(key: .status) var status: Status
    /// The day the notice was published (yyyy-MM-dd, Shanghai).
    @Field(key: .noticeDay) var noticeDay: String
    @Field(key: .bidDeadline) var bidDeadline: Date
    /// JSON of `TenderWeights`.
    @Field(key: .weights) var weightsJSON: String
    /// The contract's first day and term.
    @Field(key: .startDate) var startDate: String
    @Field(key: .termYears) var termYears: Int
    @OptionalField(key: .awardedBidID) var awardedBidID: UUID?
    @OptionalField(key: .awardedAt) var awardedAt: Date?
    @OptionalParent(key: .contractID) var contract: Contract?
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    var weights: TenderWeights {
        (try? JSONDecoder().decode(TenderWeights.self, from: Data(weightsJSON.utf8))) ?? .default
    }
}

/// One company's bid for a tender: one per company.
final class TenderBid: Model, @unchecked Sendable {
    static let schema = "tender_bids"

    @ID(key: .id) var id: UUID?
    @Parent(key: .tenderID) var tender: Tender
    @Parent(key: .companyID) var company: Company
    /// Fen per m² per month.
    @Field(key: .priceFen) var priceFen: Int
    @Field(key: .servicePlan) var servicePlan: String
    @Field(key: .serviceStations) var stations: Int
    @Field(key: .staff) var staff: Int
    @Field(key: .machines) var machines: Int
    @Field(key: .submittedAt) var submittedAt: Date
    @Field(key: .createdBy) var submittedBy: String

    init() {}
}

/// A panel member's score of one bid's service plan (0–100): once per member and bid.
final class PanelScore: Model, @unchecked Sendable {
    static let schema = "tender_panel_scores"

    @ID(key: .id) var id: UUID?
    @Parent(key: .tenderID) var tender: Tender
    @Parent(key: .bidID) var bid: TenderBid
    @Field(key: .memberID) var memberID: UUID
    @Field(key: .memberName) var memberName: String
    @Field(key: .score) var score: Double
    @Field(key: .at) var at: Date

    init() {}
}

/// The compounds a contract covers. A contract made by an award changes the registry on
/// its start day (`Contract.appliedAt`); until then the old company keeps them.
final class ContractCompound: Model, @unchecked Sendable {
    static let schema = "contract_compounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: .contractID) var contract: Contract
    @Parent(key: .compoundID) var compound: Compound

    init() {}
}
