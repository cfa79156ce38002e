import Foundation
import Testing
@testable import YijuCore

@Suite("Credit rules, ledger and tender scoring")
struct CreditTests {
    let rules = CreditRules.default

    func entry(_ kind: CreditEventKind, _ day: String, weight: Int = 1, source: String = "") -> CreditEntry {
        CreditEntry(id: UUID(), kind: kind, points: rules.points(kind, weight: weight), effective: day,
                    expires: CreditLedger.expiry(of: day, rules: rules), source: source.isEmpty ? kind.rawValue : source)
    }

    @Test("The default rule set is sound; grade bands A ≥ 90, B ≥ 75, C ≥ 60, D below")
    func defaults() {
        #expect(rules.problems().isEmpty)
        #expect(rules.grade(1000) == .a && rules.grade(900) == .a && rules.grade(899) == .b && rules.grade(750) == .b)
        #expect(rules.grade(749) == .c && rules.grade(600) == .c && rules.grade(599) == .d && rules.grade(-50) == .d)
        #expect(rules.points(.verifiedComplaint) == -5 && rules.points(.inspectionFailure, weight: 3) == -30)
        #expect(rules.points(.inspectionFailure, weight: 9) == -50 && rules.points(.redProperty) == 50)
        #expect((-5).pointsText() == "-0.5" && 955.pointsText() == "95.5" && 20.pointsText(signed: true) == "+2")
    }

    @Test("Rule sets with a missing grade band, wrong signs, or bands out of order are refused, naming the field")
    func badRules() {
        var missing = rules
        missing.grades.removeAll { $0.grade == .c }
        #expect(missing.problems().map(\.field) == ["grades"])
        #expect(missing.problems().first?.reason.contains("C") == true)
        var disorder = rules
        disorder.grades[1].minimum = 950
        #expect(disorder.problems().map(\.field) == ["grades[1].minimum"])
        var signs = rules
        signs.points[.overdueCase] = 10
        signs.points[.commendation] = -20
        signs.points[.orderNotMet] = nil
        #expect(Set(signs.problems().map(\.field)) == ["points.overdueCase", "points.commendation", "points.orderNotMet"])
        var bidding = rules
        bidding.biddingGrades = [.a, .d]
        #expect(bidding.problems().map(\.field) == ["blacklistGrade"])
    }

    @Test("A score is recomputed for any day from the entries in force, and explained line by line")
    func statement() {
        let entries = [entry(.overdueCase, "2025-03-10"), entry(.orderIssued, "2025-03-12"), entry(.orderNotMet, "2025-03-20"),
                       entry(.commendation, "2025-06-01"), entry(.verifiedComplaint, "2025-06-02")]
        let early = CreditLedger.statement(entries, rules: rules, on: "2025-03-15")
        #expect(early.score == 970 && early.grade == .a)
        #expect(early.lines.filter { $0.status == .notYetEffective }.count == 3)
        let june = CreditLedger.statement(entries, rules: rules, on: "2025-06-30")
        #expect(june.score == 935 && june.grade == .a)
        #expect(june.deductions == -85 && june.bonuses == 20)
        // Twelve months on, the March entries have expired; the June ones still count.
        let nextYear = CreditLedger.statement(entries, rules: rules, on: "2026-03-20")
        #expect(nextYear.score == 1015)
        #expect(nextYear.lines.filter { $0.status == .expired }.map(\.entry.kind) == [.orderNotMet, .orderIssued, .overdueCase])
        #expect(CreditLedger.expiry(of: "2025-03-10", rules: rules) == "2026-03-10")
    }

    @Test("Exit is recommended only after two consecutive half-years below 60")
    func exit() {
        #expect(CreditLedger.lastHalfYearEnds(before: "2025-08-01", count: 3) == ["2025-06-30", "2024-12-31", "2024-06-30"])
        #expect(CreditLedger.lastHalfYearEnds(before: "2025-03-01", count: 2) == ["2024-12-31", "2024-06-30"])
        #expect(CreditLedger.lastHalfYearEnds(before: "2025-07-01", count: 1) == ["2025-06-30"])
        // −45 in May 2024 (55 at the end of June and December), then recovered.
        let collapse = (0..<2).map { _ in entry(.refusedRectification, "2024-05-01") } + [entry(.commendation, "2024-05-02")]
            + [entry(.redProperty, "2024-05-03")] + (0..<3).map { _ in entry(.overdueCase, "2024-05-04") }
        #expect(CreditLedger.statement(collapse, rules: rules, on: "2024-06-30").score == 1000 - 400 + 20 + 50 - 30)
        let low = collapse + [entry(.orderNotMet, "2024-05-05")]
        #expect(CreditLedger.statement(low, rules: rules, on: "2024-12-31").score == 590)
        let recommended = CreditLedger.exitRecommended(low, rules: rules, on: "2025-02-01")
        #expect(recommended?.map(\.0) == ["2024-12-31", "2024-06-30"])
        // Only one half-year below: no recommendation yet.
        #expect(CreditLedger.exitRecommended(low, rules: rules, on: "2024-08-01") == nil)
        // In 2025-H1 the May entries expired: back above 60, no recommendation in the second half.
        #expect(CreditLedger.exitRecommended(low, rules: rules, on: "2025-08-01") == nil)
    }

    @Test("Only A and B companies not on the blacklist may bid; the reason names the rule")
    func eligibility() {
        #expect(BidEligibility.check(grade: .a, blacklisted: false, rules: rules) == .eligible)
        #expect(BidEligibility.check(grade: .b, blacklisted: false, rules: rules) == .eligible)
        #expect(BidEligibility.check(grade: .c, blacklisted: false, rules: rules) == .ineligible(reason: "credit grade C; only A or B may bid"))
        #expect(BidEligibility.check(grade: .a, blacklisted: true, rules: rules) == .ineligible(reason: "on the blacklist"))
    }

    @Test("Bids are scored price 30 / plan 40 / credit 20 / resources 10 and ranked; weights must sum to 100")
    func scoring() {
        let cheap = BidFigures(bidID: UUID(), companyName: "甲", priceFen: 50, stations: 2, staff: 20, machines: 3, creditScore: 800, panelScores: [70, 80])
        let strong = BidFigures(bidID: UUID(), companyName: "乙", priceFen: 100, stations: 4, staff: 40, machines: 6, creditScore: 950, panelScores: [90, 94])
        let ranked = TenderScoring.rank([cheap, strong], weights: .default)
        let first = ranked.first { $0.bidID == cheap.bidID }!, second = ranked.first { $0.bidID == strong.bidID }!
        #expect(first.price == 30 && first.servicePlan == 30 && first.credit == 16 && first.resources == 5 && first.total == 81)
        #expect(second.price == 15 && second.servicePlan == 36.8 && second.credit == 19 && second.resources == 10 && second.total == 80.8)
        #expect(ranked.map(\.rank) == [1, 2] && ranked[0].bidID == cheap.bidID)
        // With more weight on the plan the stronger bid wins.
        let planHeavy = TenderWeights(price: 10, servicePlan: 60, credit: 20, resources: 10)
        #expect(planHeavy.problems().isEmpty)
        #expect(TenderScoring.rank([cheap, strong], weights: planHeavy).first?.bidID == strong.bidID)
        // Equal totals: the better credit first.
        let twin = BidFigures(bidID: UUID(), companyName: "丙", priceFen: 50, stations: 2, staff: 20, machines: 3, creditScore: 800, panelScores: [70, 80])
        var better = twin
        better.bidID = UUID()
        better.companyName = "丁"
        #expect(TenderScoring.rank([twin, better], weights: .default).map(\.rank) == [1, 2])
        #expect(TenderWeights(price: 30, servicePlan: 40, credit: 20, resources: 20).problems().map(\.reason) == ["must sum to 100, not 110"])
        #expect(TenderWeights(price: -10, servicePlan: 80, credit: 20, resources: 10).problems().map(\.field) == ["weights.price"])
    }
}
