import Foundation

/// Points are kept in tenths so that −0.5 for a verified complaint adds up exactly:
/// 1000 is a score of 100.0.
public typealias Tenths = Int

extension Tenths {
    /// 955 → "95.5", −5 → "-0.5", 20 → "+2" with `signed`.
    public func pointsText(signed: Bool = false) -> String {
        let sign = self < 0 ? "-" : (signed && self > 0 ? "+" : "")
        let whole = abs(self) / 10, tenth = abs(self) % 10
        return sign + String(whole) + (tenth == 0 ? "" : "." + String(tenth))
    }
}

/// What a credit event is about (信用评价). Each kind has its points in the rule set.
public enum CreditEventKind: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    /// A complaint the street office verified and attributed to the company.
    case verifiedComplaint
    /// A case not replied to by its due time.
    case overdueCase
    /// A supervision order (督办单) was issued to the company.
    case orderIssued
    /// A supervision order's deadline passed unmet.
    case orderNotMet
    /// The third case on one compound and domain within the repeat window.
    case thirdRepeat
    /// A failed inspection item; its points scale with the checklist item's weight.
    case inspectionFailure
    /// 行业黑榜通报: named on the industry blacklist report.
    case blacklistReport
    /// Refusing rectification, or refusing to hand over on exit.
    case refusedRectification
    /// A commendation by the bureau or a street office.
    case commendation
    /// 红色物业: the party-led property service label.
    case redProperty
    /// Follow-up satisfaction at or above the threshold over a half-year.
    case halfYearSatisfaction
}

public enum CreditGrade: String, CaseIterable, Codable, Sendable, Comparable {
    case a = "A", b = "B", c = "C", d = "D"

    public static func < (l: CreditGrade, r: CreditGrade) -> Bool {
        allCases.firstIndex(of: l)! > allCases.firstIndex(of: r)!
    }
}

/// A grade from a score: the grade of the first band (highest minimum first) the score reaches.
public struct GradeBand: Codable, Sendable, Equatable {
    public var grade: CreditGrade
    /// Inclusive lower bound in tenths; the lowest band has none.
    public var minimum: Tenths?

    public init(grade: CreditGrade, minimum: Tenths?) {
        self.grade = grade
        self.minimum = minimum
    }
}

/// The credit rule set: data the bureau admin edits and versions, never code. The default
/// is reasoned from the Harbin, Heilongjiang and Beijing schemes.
public struct CreditRules: Codable, Sendable, Equatable {
    public var base: Tenths
    /// An event counts from its effective day for this many months.
    public var expiryMonths: Int
    /// Points per event kind; for `inspectionFailure`, points per unit of the item's weight.
    public var points: [CreditEventKind: Tenths]
    /// Checklist item weights run 1…this; a failed item costs weight × the per-weight points.
    public var maxInspectionWeight: Int
    public var grades: [GradeBand]
    /// Only these grades may bid, and only when not on the blacklist.
    public var biddingGrades: Set<CreditGrade>
    /// Falling to this grade puts the company on the blacklist.
    public var blacklistGrade: CreditGrade
    /// Below this score at the end of this many consecutive half-years: an exit
    /// recommendation (清退) for all the company's zones.
    public var exitThreshold: Tenths
    public var exitHalfYears: Int
    /// Follow-up satisfaction over a half-year at or above this earns `halfYearSatisfaction`.
    public var satisfactionBonusRate: Double

    public static let `default` = CreditRules(
        base: 1000, expiryMonths: 12,
        points: [.verifiedComplaint: -5, .overdueCase: -10, .orderIssued: -20, .orderNotMet: -50, .thirdRepeat: -20,
                 .inspectionFailure: -10, .blacklistReport: -100, .refusedRectification: -200,
                 .commendation: 20, .redProperty: 50, .halfYearSatisfaction: 30],
        maxInspectionWeight: 5,
        grades: [GradeBand(grade: .a, minimum: 900), GradeBand(grade: .b, minimum: 750),
                 GradeBand(grade: .c, minimum: 600), GradeBand(grade: .d, minimum: nil)],
        biddingGrades: [.a, .b], blacklistGrade: .d, exitThreshold: 600, exitHalfYears: 2, satisfactionBonusRate: 0.95)

    public init(base: Tenths, expiryMonths: Int, points: [CreditEventKind: Tenths], maxInspectionWeight: Int,
                grades: [GradeBand], biddingGrades: Set<CreditGrade>, blacklistGrade: CreditGrade,
                exitThreshold: Tenths, exitHalfYears: Int, satisfactionBonusRate: Double) {
        self.base = base
        self.expiryMonths = expiryMonths
        self.points = points
        self.maxInspectionWeight = maxInspectionWeight
        self.grades = grades
        self.biddingGrades = biddingGrades
        self.blacklistGrade = blacklistGrade
        self.exitThreshold = exitThreshold
        self.exitHalfYears = exitHalfYears
        self.satisfactionBonusRate = satisfactionBonusRate
    }

    /// Everything wrong with this rule set, each naming its field; empty when it can be used.
    public func problems() -> [FieldError] {
        var problems: [FieldError] = []
        if !(0...10_000).contains(base) { problems.append(FieldError(field: "base", reason: "must be 0 to 1000 points")) }
        if !(1...60).contains(expiryMonths) { problems.append(FieldError(field: "expiryMonths", reason: "must be 1 to 60 months")) }
        for kind in CreditEventKind.allCases {
            guard let value = points[kind] else {
                problems.append(FieldError(field: "points.\(kind.rawValue)", reason: "is missing"))
                continue
            }
            let bonus: Set<CreditEventKind> = [.commendation, .redProperty, .halfYearSatisfaction]
            if bonus.contains(kind) ? value < 0 : value > 0 {
                problems.append(FieldError(field: "points.\(kind.rawValue)", reason: bonus.contains(kind) ? "a bonus cannot be negative" : "a deduction cannot be positive"))
            }
        }
        if !(1...10).contains(maxInspectionWeight) { problems.append(FieldError(field: "maxInspectionWeight", reason: "must be 1 to 10")) }
        // Every grade exactly once, highest first, minimums falling, only the last open-ended.
        let order = grades.map(\.grade)
        if order != CreditGrade.allCases {
            let missing = CreditGrade.allCases.filter { !order.contains($0) }.map(\.rawValue)
            problems.append(FieldError(field: "grades", reason: missing.isEmpty
                ? "must list A, B, C and D once each, in that order" : "grade band \(missing.joined(separator: ", ")) is missing"))
        } else {
            for (i, band) in grades.enumerated() {
                let last = i == grades.count - 1
                if last != (band.minimum == nil) {
                    problems.append(FieldError(field: "grades[\(i)].minimum", reason: last ? "the lowest grade has no minimum" : "is required"))
                }
                if i > 0, let m = band.minimum, let previous = grades[i - 1].minimum, m >= previous {
                    problems.append(FieldError(field: "grades[\(i)].minimum", reason: "must be below grade \(grades[i - 1].grade.rawValue)'s"))
                }
            }
        }
        if biddingGrades.isEmpty { problems.append(FieldError(field: "biddingGrades", reason: "at least one grade must be allowed to bid")) }
        if biddingGrades.contains(blacklistGrade) {
            problems.append(FieldError(field: "blacklistGrade", reason: "a grade that may bid cannot also put a company on the blacklist"))
        }
        if !(1...6).contains(exitHalfYears) { problems.append(FieldError(field: "exitHalfYears", reason: "must be 1 to 6")) }
        if !(0.5...1).contains(satisfactionBonusRate) { problems.append(FieldError(field: "satisfactionBonusRate", reason: "must be between 0.5 and 1")) }
        return problems
    }

    public func grade(_ score: Tenths) -> CreditGrade {
        grades.first { $0.minimum.map { score >= $0 } ?? true }?.grade ?? .d
    }

    /// The points an event of this kind carries; a failed inspection item by its weight.
    public func points(_ kind: CreditEventKind, weight: Int = 1) -> Tenths {
        let each = points[kind] ?? 0
        return kind == .inspectionFailure ? each * min(max(weight, 1), maxInspectionWeight) : each
    }
}
