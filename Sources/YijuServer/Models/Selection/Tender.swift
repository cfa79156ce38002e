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
    /// The renovation projects whose completion starts the contract (none: it starts on `startDate`).
    @Children(for: \.$tender) var awaited: [TenderAwaitedProject]
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    var weights: TenderWeights {
        (try? JSONDecoder().decode(TenderWeights.self, from: Data(weightsJSON.utf8))) ?? .default
    }
}
