import Fluent
import Foundation
import YijuCore

/// One version of the credit rule set (JSON of `CreditRules`). Versions are only added;
/// the newest is in force, and every credit event records the points it was given then.
final class CreditRuleSetRecord: Model, @unchecked Sendable {
    static let schema = "credit_rule_sets"

    @ID(key: .id) var id: UUID?
    @Field(key: .version) var version: Int
    @Field(key: .rules) var rules: String
    @OptionalField(key: .note) var note: String?
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// One line of a company's credit ledger (信用档案): a deduction or a bonus with its source,
/// points, the day it counts from and the day it expires. `sourceKey` is unique, so an
/// event from the cases pipeline is recorded exactly once however often it is read.
final class CreditEventEntry: Model, @unchecked Sendable {
    static let schema = "credit_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    @Field(key: .kind) var kind: CreditEventKind
    /// Tenths of a point: −5 is −0.5.
    @Field(key: .points) var points: Int
    @Field(key: .effective) var effective: String
    @Field(key: .expires) var expires: String
    /// What caused it, in words (the case number, the inspection, the report).
    @Field(key: .source) var source: String
    @Field(key: .sourceKey) var sourceKey: String
    @OptionalField(key: .caseID) var caseID: UUID?
    @OptionalField(key: .note) var note: String?
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    /// An entry with the expiry the rule set gives its effective day.
    static func make(id: UUID = UUID(), company: UUID, kind: CreditEventKind, points: Tenths, effective: String, rules: CreditRules,
                     source: String, sourceKey: String, recordedBy: String) -> CreditEventEntry {
        let entry = CreditEventEntry()
        entry.id = id
        entry.$company.id = company
        entry.kind = kind
        entry.points = points
        entry.effective = effective
        entry.expires = CreditLedger.expiry(of: effective, rules: rules)
        entry.source = source
        entry.sourceKey = sourceKey
        entry.recordedBy = recordedBy
        return entry
    }

    var entry: CreditEntry {
        CreditEntry(id: id!, kind: kind, points: points, effective: effective, expires: expires, source: source)
    }
}

/// 黑名单: a company barred from bidding from `since`, until the bureau lifts it.
final class BlacklistEntry: Model, @unchecked Sendable {
    static let schema = "blacklist_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    @Field(key: .since) var since: String
    @OptionalField(key: .until) var until: String?
    @Field(key: .reason) var reason: String
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

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
