import Fluent
import Foundation
import YijuCore

/// 清退建议: a company below the threshold at the end of consecutive half-years. The bureau
/// confirms it (the company's zones are to be re-tendered) or rejects it, with a reason.
final class ExitRecommendation: Model, @unchecked Sendable {
    static let schema = "exit_recommendations"

    enum Status: String, Codable, Sendable {
        case pending, confirmed, rejected
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    /// The last half-year end it rests on (yyyy-06-30 or yyyy-12-31); one recommendation per company and end.
    @Field(key: .halfYearEnd) var halfYearEnd: String
    /// "2025-12-31 55.5; 2025-06-30 58" — the scores it rests on.
    @Field(key: .basis) var basis: String
    @Field(key: .status) var status: Status
    @OptionalField(key: .reason) var reason: String?
    @OptionalField(key: .decidedBy) var decidedBy: String?
    @OptionalField(key: .decidedAt) var decidedAt: Date?
    /// Confirmed: the day the company's contracts end.
    @OptionalField(key: .endDate) var endDate: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
