import Fluent
import Foundation
import YijuCore

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
