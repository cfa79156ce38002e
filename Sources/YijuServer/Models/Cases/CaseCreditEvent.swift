import Fluent
import Foundation
import YijuCore

/// What the cases pipeline tells the credit ledger about a company (overdue case,
/// supervision order issued or not met, third repeat). `sourceKey` is unique, so an event
/// is recorded exactly once however often the same case step is processed.
final class CaseCreditEvent: Model, @unchecked Sendable {
    static let schema = "case_credit_events"

    enum Kind: String, Codable, Sendable {
        case overdueCase, orderIssued, orderNotMet, thirdRepeat
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Field(key: .kind) var kind: Kind
    @Field(key: .sourceKey) var sourceKey: String
    @Field(key: .at) var at: Date

    init() {}
}
