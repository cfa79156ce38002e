import Fluent
import Foundation

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
