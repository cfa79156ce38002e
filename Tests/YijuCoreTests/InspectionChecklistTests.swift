import Foundation
import Testing
@testable import YijuCore

@Suite("Inspection checklists, scoring and look-backs")
struct InspectionChecklistTests {
    @Test("The shipped checklists are sound; a bad one names every problem")
    func checklists() {
        for checklist in Checklist.defaults { #expect(checklist.problems(maxWeight: 5).isEmpty, "\(checklist.code)") }
        #expect(Set(Checklist.defaults.map(\.category)) == [.cleaning, .security, .greening, .facilities, .snowClearing, .disclosure, .construction])
        let bad = Checklist(code: "Bad Code", name: " ", category: .other,
                            items: [.init(title: "扫地", weight: 0), .init(title: "扫地", weight: 6), .init(title: "  ", weight: 2)])
        #expect(bad.problems(maxWeight: 5).map(\.field) == ["code", "name", "items[0].weight", "items[1].title", "items[1].weight", "items[2].title"])
        #expect(Checklist(code: "empty", name: "空", category: .other, items: []).problems(maxWeight: 5).map(\.field) == ["items"])
    }

    @Test("The score is the passed items' share of the weight; failed items need findings; deadlines fall within 90 days")
    func scoring() {
        let items = [ChecklistItem(title: "a", weight: 3), ChecklistItem(title: "b", weight: 5), ChecklistItem(title: "c", weight: 2)]
        #expect(InspectionScoring.score(items, [.init(passed: true), .init(passed: true), .init(passed: true)]) == 1000)
        #expect(InspectionScoring.score(items, [.init(passed: true), .init(passed: false), .init(passed: true)]) == 500)
        #expect(InspectionScoring.score(items, [.init(passed: false), .init(passed: false), .init(passed: true)]) == 200)
        let ok: [ItemVerdict] = [.init(passed: true), .init(passed: false, finding: "满溢", rectifyBy: "2025-12-01"), .init(passed: false, finding: "破损")]
        #expect(InspectionScoring.problems(items, ok, day: "2025-11-22").isEmpty)
        let bad: [ItemVerdict] = [.init(passed: true, rectifyBy: "2025-12-01"), .init(passed: false, finding: " ", rectifyBy: "2026-03-01"),
                                  .init(passed: false, finding: "x", rectifyBy: "2025-11-31")]
        #expect(InspectionScoring.problems(items, bad, day: "2025-11-22").map(\.field) == ["items[0].rectifyBy", "items[1].finding", "items[1].rectifyBy", "items[2].rectifyBy"])
        #expect(InspectionScoring.problems(items, Array(ok.prefix(2)), day: "2025-11-22").map(\.field) == ["items"])
    }

    @Test("Look-back candidates: enough cases, most per 100 households first, due until inspected inside the window")
    func lookBacks() {
        let (a, b, c) = (UUID(), UUID(), UUID())
        let ranked = LookBack.rank([
            .init(compoundID: a, cases: 12, households: 600, lastInspection: "2025-10-01"),
            .init(compoundID: b, cases: 6, households: 120, lastInspection: "2025-11-10"),
            .init(compoundID: c, cases: 4, households: 40, lastInspection: nil),
        ], minimum: 5, since: "2025-11-01")
        #expect(ranked.map(\.candidate.compoundID) == [b, a])
        #expect(ranked.map(\.due) == [false, true])
    }
}
