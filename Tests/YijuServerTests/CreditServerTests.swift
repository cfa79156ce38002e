import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Credit: the ledger fed by the cases pipeline, scores, the blacklist")
    struct CreditServerTests {
        @Test("Overdue → order → deduction on the company's ledger, exactly once; falling to D blacklists and bars bidding")
        func casesFeedTheLedger() async throws {
            try await withApp { app in
                let clock = TestClock(Calendar.shanghai.start(of: "2026-03-02")!.addingTimeInterval(10 * 3600))
                clock.install(on: app)
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let company = try #require(managed.$company.id)
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))
                let run = { _ = try await CaseTimers(db: app.db, now: clock.now).run() }
                clock.advance(days: 3)
                try await run()
                let credit = CreditService(db: app.db, actor: nil, now: clock.now)
                let entries = try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == company).all()
                #expect(Set(entries.map(\.kind)) == [.overdueCase, .orderIssued] && entries.map(\.points).sorted() == [-20, -10])
                #expect(entries.allSatisfy { $0.source.hasPrefix("case YJ") && $0.caseID?.uuidString == c.id })
                #expect(entries.allSatisfy { $0.effective == "2026-03-05" && $0.expires == "2027-03-05" })
                // Read again, and the same case step reported twice: nothing new.
                #expect(try await credit.ingestCaseEvents().isEmpty)
                let order = try #require(try await SupervisionOrder.query(on: app.db).first())
                try await CreditEvents.emit(.orderIssued, company: company, case: UUID(uuidString: c.id)!, key: "orderIssued:\(order.id!)", at: clock.now, on: app.db)
                #expect(try await credit.ingestCaseEvents().isEmpty)
                #expect(try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == company).count() == 2)
                let statement = try await credit.statement(company: company)
                #expect(statement.score == 970 && statement.grade == .a && statement.lines.count == 2)
                #expect(try await credit.statement(company: company, on: "2026-03-01").score == 1000)

                // Nine unmet orders more (−5 each, −45): 52, grade D, onto the blacklist; no bidding.
                let caseID = UUID(uuidString: c.id)!
                for n in 0..<9 {
                    try await CreditEvents.emit(.orderNotMet, company: company, case: caseID, key: "test-orderNotMet:\(n)", at: clock.now, on: app.db)
                }
                #expect(try await credit.ingestCaseEvents() == [company])
                let low = try await credit.statement(company: company)
                #expect(low.score == 520 && low.grade == .d)
                let listed = try #require(try await credit.blacklisted(company))
                #expect(listed.since == "2026-03-05" && listed.reason.contains("D"))
                #expect(BidEligibility.check(grade: low.grade, blacklisted: true, rules: .default) == .ineligible(reason: "on the blacklist"))
                #expect(try await BlacklistEntry.query(on: app.db).count() == 1)
                _ = try await credit.ingestCaseEvents()
                #expect(try await BlacklistEntry.query(on: app.db).count() == 1)
                // The ledger is append-only.
                await #expect(throws: (any Error).self) {
                    try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == company).set(\.$points, to: 0).update()
                }
            }
        }
    }
}
