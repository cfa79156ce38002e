import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// The case timers over a plain working week from Monday 10:00: each rule, each exactly once.
    @Suite("Cases: timers — late acceptance, overdue, supervision orders, escalation, missed check-ins")
    struct CaseTimerTests {
        /// A property-service case taken in on Monday morning and left alone, the clock that
        /// moves it on, and a way to run the timers at the clock's time.
        struct LateCase {
            let api: CaseTests.API
            let clock: TestClock
            let id: String
            let company: UUID
            let run: () async throws -> CaseTimers.Outcome

            init(_ app: Application) async throws {
                let clock = TestClock.mondayMorning(on: app)
                api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                id = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService))).id
                company = try #require(managed.$company.id)
                self.clock = clock
                run = { try await CaseTimers(db: app.db, now: clock.now).run() }
            }

            /// Wednesday (not accepted within a working day), Thursday (past its due time), a week
            /// on (the supervision order's two working days passed), the timers run each time.
            func runLate() async throws {
                _ = try await run()
                clock.advance(days: 2)
                _ = try await run()
                clock.advance(days: 1)
                _ = try await run()
                clock.advance(days: 5)
                _ = try await run()
            }
        }

        @Test("Not accepted within one working day: flagged unanswered, once")
        func unanswered() async throws {
            try await withApp { app in
                let late = try await LateCase(app)
                #expect(try await late.run() == .init())

                late.clock.advance(days: 2)  // Wednesday

                #expect(try await late.run().unanswered == 1)
                #expect(try await late.run() == .init())
            }
        }

        @Test("Not replied to by its due time: overdue, a supervision order, and both on the company's credit")
        func overdueRaisesAnOrder() async throws {
            try await withApp { app in
                let late = try await LateCase(app)
                late.clock.advance(days: 2)
                _ = try await late.run()

                late.clock.advance(days: 1)  // Thursday 10:00: due at the end of Wednesday

                #expect(try await late.run().overdue == 1)
                #expect(try await SupervisionOrder.query(on: app.db).count() == 1)
                #expect(Set(try await CaseCreditEvent.query(on: app.db).filter(\.$company.$id == late.company).all().map(\.kind)) == [.overdueCase, .orderIssued])
            }
        }

        @Test("An order not met in time escalates the case to the bureau, once; the timeline shows the whole way")
        func unmetOrderEscalates() async throws {
            try await withApp { app in
                let late = try await LateCase(app)
                late.clock.advance(days: 2)
                _ = try await late.run()
                late.clock.advance(days: 1)
                _ = try await late.run()

                late.clock.advance(days: 5)  // the order's two working days have passed

                #expect(try await late.run().escalated == 1)
                #expect(try await late.run() == .init())
                #expect(try await CaseCreditEvent.query(on: app.db).filter(\.$kind == .orderNotMet).count() == 1)
                let detail = try await late.api.detail(late.id)
                #expect(detail._case.overdue && detail._case.escalated && detail._case.unanswered == true)
                #expect(detail.timeline.map(\.kind).suffix(4) == ["unanswered", "overdue", "orderIssued", "orderEscalated"])
            }
        }

        @Test("A credit event is recorded once however often it is emitted; the company lists its own")
        func creditEventsOnce() async throws {
            try await withApp { app in
                let late = try await LateCase(app)
                try await late.runLate()
                let order = try #require(try await SupervisionOrder.query(on: app.db).first())

                try await CreditEvents.emit(.orderNotMet, company: late.company, case: UUID(uuidString: late.id)!,
                                            key: "orderNotMet:\(try order.requireID())", at: late.clock.now, on: app.db)

                #expect(try await CaseCreditEvent.query(on: app.db).filter(\.$kind == .orderNotMet).count() == 1)
                try await late.api.send(.GET, "/credit-events", as: "qzstaff") { res in
                    let events = try res.content.decode([Components.Schemas.CreditEvent].self)
                    #expect(events.count == 3)
                }
            }
        }

        @Test("A summoned department that misses its check-in: the bureau's ledger filters and attention counts show it with the rest")
        func missedCheckInNeedsAttention() async throws {
            try await withApp { app in
                let late = try await LateCase(app)
                try await late.runLate()
                let (_, abandoned) = try await CaseTests.compounds(app)
                let w = try #require(try await late.api.intake(CaseTests.hotline(abandoned, .sanitation)))
                _ = try await late.api.step(w.id, .init(kind: .accept), as: "qizheng")
                let heating = try #require(try await Department.query(on: app.db).filter(\.$kind == .heating).first())
                _ = try await late.api.step(w.id, .init(kind: .whistle, departmentIds: [heating.requireID().uuidString]), as: "qizheng")

                late.clock.advance(days: 3)

                #expect(try await late.run().missedCheckIns == 1)
                func total(_ query: String, as user: String = "admin") async throws -> Int {
                    var total = -1
                    try await late.api.send(.GET, "/cases?open=true&limit=1&" + query, as: user) { res in
                        #expect(res.status == .ok)
                        total = try res.content.decode(Components.Schemas.CasePage.self).total
                    }
                    return total
                }
                let missed = try await total("missedCheckIn=true"), sentUp = try await total("escalated=true")
                let unanswered = try await total("unanswered=true"), notMissed = try await total("missedCheckIn=false")
                #expect(missed == 1 && sentUp == 1 && unanswered == 1 && notMissed == 1)
                #expect(try await total("missedCheckIn=true", as: "zhengyi") == 0)
                let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first()).actor
                let attention = try await CaseService(app: app, actor: admin).attention()
                #expect(Dictionary(uniqueKeysWithValues: attention.map { ($0.key, $0.count) }) == ["escalated": 1, "overdue": 1, "unanswered": 1, "missedCheckIn": 1])
            }
        }
    }
}
