import Foundation

/// One entry of a company's credit ledger as the arithmetic sees it. Days are yyyy-MM-dd
/// in Asia/Shanghai.
public struct CreditEntry: Sendable, Equatable {
    public var id: UUID
    public var kind: CreditEventKind
    public var points: Tenths
    /// Counts from this day…
    public var effective: String
    /// …up to, not including, this one.
    public var expires: String
    /// What caused it, in words: "case YJ20251122-0042 overdue", "inspection 2025-11 item 3".
    public var source: String

    public init(id: UUID, kind: CreditEventKind, points: Tenths, effective: String, expires: String, source: String) {
        self.id = id
        self.kind = kind
        self.points = points
        self.effective = effective
        self.expires = expires
        self.source = source
    }
}

/// A company's score on a day, line by line.
public struct CreditStatement: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var entry: CreditEntry
        public var counted: Bool
        /// Why it does or does not count on the statement's day.
        public var status: Status
    }

    public enum Status: String, Sendable {
        case counts, notYetEffective, expired
    }

    public var day: String
    public var base: Tenths
    public var score: Tenths
    public var grade: CreditGrade
    /// Newest first: every entry, counted or not.
    public var lines: [Line]

    public var deductions: Tenths { lines.filter { $0.counted && $0.entry.points < 0 }.reduce(0) { $0 + $1.entry.points } }
    public var bonuses: Tenths { lines.filter { $0.counted && $0.entry.points > 0 }.reduce(0) { $0 + $1.entry.points } }
}

public enum CreditLedger {
    /// The day an entry effective on `day` stops counting.
    public static func expiry(of day: String, rules: CreditRules) -> String {
        let calendar = Calendar.shanghai
        guard let start = calendar.start(of: day), let end = calendar.date(byAdding: .month, value: rules.expiryMonths, to: start) else { return day }
        return calendar.day(end)
    }

    /// The score on `day`: the base plus every entry in force that day (effective on or
    /// before it, expiring after it). Recomputed from the entries every time, so any day's
    /// score can be explained.
    public static func statement(_ entries: [CreditEntry], rules: CreditRules, on day: String) -> CreditStatement {
        let lines = entries.sorted { ($0.effective, $0.source) > ($1.effective, $1.source) }.map { entry in
            let status: CreditStatement.Status = entry.effective > day ? .notYetEffective : (entry.expires <= day ? .expired : .counts)
            return CreditStatement.Line(entry: entry, counted: status == .counts, status: status)
        }
        let score = rules.base + lines.filter(\.counted).reduce(0) { $0 + $1.entry.points }
        return CreditStatement(day: day, base: rules.base, score: score, grade: rules.grade(score), lines: lines)
    }

    /// Half-years end on 06-30 and 12-31; these are the last days of the `count` half-years
    /// completed before `day`, newest first.
    public static func lastHalfYearEnds(before day: String, count: Int) -> [String] {
        guard let year = Int(day.prefix(4)) else { return [] }
        var ends: [String] = []
        var candidate = (year, day >= "\(year)-07-01" ? 6 : 12)
        if candidate.1 == 12 { candidate.0 -= 1 }
        while ends.count < count {
            ends.append(String(candidate.0) + (candidate.1 == 6 ? "-06-30" : "-12-31"))
            candidate = candidate.1 == 6 ? (candidate.0 - 1, 12) : (candidate.0, 6)
        }
        return ends
    }

    /// 清退: below the threshold at the end of each of the last `exitHalfYears` completed
    /// half-years before `day`. Returns those half-year ends and scores when it applies.
    public static func exitRecommended(_ entries: [CreditEntry], rules: CreditRules, on day: String) -> [(String, Tenths)]? {
        let ends = lastHalfYearEnds(before: day, count: rules.exitHalfYears)
        let scores = ends.map { ($0, statement(entries, rules: rules, on: $0).score) }
        return scores.allSatisfy { $0.1 < rules.exitThreshold } ? scores : nil
    }
}

/// Whether a company may bid for a lot, with the reason when it may not.
public enum BidEligibility: Sendable, Equatable {
    case eligible
    case ineligible(reason: String)

    public static let blacklistReason = "on the blacklist"

    public static func check(grade: CreditGrade, blacklisted: Bool, rules: CreditRules) -> BidEligibility {
        if blacklisted { return .ineligible(reason: blacklistReason) }
        guard rules.biddingGrades.contains(grade) else {
            let allowed = rules.biddingGrades.sorted { $0 > $1 }.map(\.rawValue).joined(separator: " or ")
            return .ineligible(reason: "credit grade \(grade.rawValue); only \(allowed) may bid")
        }
        return .eligible
    }
}
