import Fluent
import Foundation
import YijuCore

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
