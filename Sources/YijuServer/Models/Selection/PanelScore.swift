import Fluent
import Foundation
import YijuCore

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
