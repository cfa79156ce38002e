import Foundation
import Testing
@testable import YijuCore

@Suite("The demo's renovation history: yearly batches since 2020, today's projects at every stage, each timeline in order and in the past")
struct DemoRenovationHistoryTests {
    static let district = DemoDistrict.generate()

    @Test("The same seed and day give the same history; its batches and stages have the issue's shape")
    func shape() {
        let h = DemoRenovationHistory.generate(Self.district, today: "2026-12-03")
        let again = DemoRenovationHistory.generate(Self.district, today: "2026-12-03")
        #expect(h.projects.map(\.code) == again.projects.map(\.code) && h.projects.map(\.compounds) == again.projects.map(\.compounds))
        let byYear = Dictionary(grouping: h.projects, by: \.year).mapValues(\.count)
        #expect(byYear == [2020: 4, 2021: 4, 2022: 4, 2023: 4, 2024: 4, 2025: 4, 2026: 5, 2027: 1], "\(byYear)")
        #expect(h.projects.filter { $0.year < 2026 }.allSatisfy { $0.stage == .completed && $0.completed?.hasPrefix("\($0.year)-") == true })
        let today = h.projects.filter { $0.year >= 2026 }.map(\.stage)
        #expect(today == [.completed, .underWorks, .underWorks, .acceptance, .consulting, .planned], "\(today)")
        // No compound is in two projects; each project's compounds are of its street office.
        let all = h.projects.flatMap(\.compounds)
        #expect(Set(all).count == all.count)
        for p in h.projects {
            let street = Self.district.streetOffices[p.streetOffice].name
            #expect(p.compounds.allSatisfy { Self.district.compounds[$0].record.street == street }, "\(p.code)")
            #expect(p.funding.reduce(0) { $0 + $1.fen } == p.budget && p.budget > 0, "\(p.code)")
            for o in p.opinions where o.adopted { #expect(p.scope.contains { $0.item == o.items.first }, "\(p.code) \(o.text)") }
        }
        // 七政's completed project hands compounds nobody manages to zoning; its consultation runs its notice today with objections.
        let qz = h.projects.filter { Self.district.streetOffices[$0.streetOffice].code == "QZ" }
        let done = qz.first { $0.stage == .completed && $0.year == 2026 }
        #expect(done?.compounds.allSatisfy { Self.district.compounds[$0].companyIndex == nil } == true)
        let consulting = qz.first { $0.stage == .consulting }
        #expect(consulting?.notice == "2026-12-01" && consulting?.objections.count == 2)
    }

    @Test("Every step's day is on or before today, and the steps come in the lifecycle's order")
    func timelines() {
        for today in ["2026-12-03", "2027-02-10"] {
            let h = DemoRenovationHistory.generate(Self.district, today: today)
            for p in h.projects {
                let steps = [p.created, p.consultation] + p.visits.map(Optional.some) + [p.meeting]
                    + p.rounds.flatMap { [$0.collect, $0.publish] }.map(Optional.some)
                    + [p.notice, p.approved, p.worksStarted, p.feedback?.day, p.feedback?.publish, p.acceptanceRequested, p.surveyClosed, p.completed]
                let days = steps.compactMap { $0 }
                #expect(days == days.sorted() && days.allSatisfy { $0 <= today }, "\(p.code): \(days)")
                if let notice = p.notice, let approved = p.approved {
                    #expect(approved > Calendar.shanghai.day(notice, plus: 7), "\(p.code): approved before the notice ended")
                }
                #expect(p.diaryDays.allSatisfy { $0 > (p.worksStarted ?? today) && $0 < today })
            }
        }
    }
}
