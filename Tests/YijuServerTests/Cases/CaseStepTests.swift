import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// The lifecycle's steps through the API, one rule a test, and the whole way once as a journey.
    @Suite("Cases: the lifecycle's steps — who may, when, and what each leaves")
    struct CaseStepTests {
        /// A new property-service case on a managed 七政 compound, handled by `qzstaff`'s company.
        static func newCase(_ app: Application) async throws -> (CaseTests.API, String) {
            let api = CaseTests.API(app: app)
            let (managed, _) = try await CaseTests.compounds(app)
            let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))
            return (api, c.id)
        }

        @Test("Only the handler accepts: the street office is refused (403), a department that may not see the case finds nothing (404)")
        func onlyTheHandlerAccepts() async throws {
            try await withApp { app in
                let (api, id) = try await Self.newCase(app)

                _ = try await api.step(id, .init(kind: .accept), as: "qizheng", expect: .forbidden)
                _ = try await api.step(id, .init(kind: .accept), as: "gongre", expect: .notFound)
                let accepted = try #require(try await api.step(id, .init(kind: .accept), as: "qzstaff"))

                #expect(accepted._case.state == .accepted)
            }
        }

        @Test("A step the state does not allow yet is a conflict: no reply before accepting, no follow-up before the reply")
        func stepsInOrder() async throws {
            try await withApp { app in
                let (api, id) = try await Self.newCase(app)

                _ = try await api.step(id, .init(kind: .reply, text: "已疏通"), as: "qzstaff", expect: .conflict)
                _ = try await api.step(id, .init(kind: .accept), as: "qzstaff")
                _ = try await api.step(id, .init(kind: .followUp, satisfaction: .satisfied), as: "rexian", expect: .conflict)
                _ = try await api.step(id, .init(kind: .reply, text: " "), as: "qzstaff", expect: .unprocessableEntity)

                #expect(try await api.detail(id)._case.state == .accepted)
            }
        }

        @Test("A dissatisfied follow-up reopens the case to its handler, counted")
        func dissatisfiedReopens() async throws {
            try await withApp { app in
                let (api, id) = try await Self.newCase(app)
                _ = try await api.step(id, .init(kind: .accept), as: "qzstaff")
                _ = try await api.step(id, .init(kind: .reply, text: "已疏通下水管道并清理"), as: "qzstaff")

                let reopened = try #require(try await api.step(id, .init(kind: .followUp, text: "还在堵", satisfaction: .dissatisfied), as: "rexian"))

                #expect(reopened._case.state == .accepted && reopened._case.reopenCount == 1)
            }
        }

        @Test("Journey: accept, reply, reopen, reply, follow-up, close — each step on the timeline; a closed case takes no more")
        func wholeWay() async throws {
            try await withApp { app in
                let (api, id) = try await Self.newCase(app)
                _ = try await api.step(id, .init(kind: .accept), as: "qzstaff")
                _ = try await api.step(id, .init(kind: .reply, text: "已疏通下水管道并清理"), as: "qzstaff")
                _ = try await api.step(id, .init(kind: .followUp, text: "还在堵", satisfaction: .dissatisfied), as: "rexian")
                _ = try await api.step(id, .init(kind: .reply, text: "更换了管道"), as: "qzstaff")
                _ = try await api.step(id, .init(kind: .followUp, satisfaction: .basicallySatisfied), as: "qizheng")

                let closed = try #require(try await api.step(id, .init(kind: .close, text: "销号"), as: "qizheng"))

                #expect(closed._case.state == .closed)
                #expect(closed.timeline.map(\.kind) == ["received", "dispatched", "accepted", "replied", "reopened", "replied", "followedUp", "closed"])
                _ = try await api.step(id, .init(kind: .reply, text: "again"), as: "qzstaff", expect: .conflict)
            }
        }

        @Test("The timeline is append-only in the database itself: deleting an event fails")
        func appendOnlyTimeline() async throws {
            try await withApp { app in
                _ = try await Self.newCase(app)
                let sql = try #require(app.db as? any SQLDatabase)

                await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM case_events").run() }
            }
        }

        @Test("A returned case is re-dispatched by the street office to a designated handler, who cannot return it again")
        func returnAndRedispatch() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .heating)))
                _ = try await api.step(c.id, .init(kind: ._return, text: "非供热问题，属物业服务"), as: "gongre")
                let company = try #require(managed.$company.id)

                let again = try #require(try await api.step(c.id, .init(kind: .dispatch, handler: .company, companyId: company.uuidString), as: "qizheng"))

                #expect(again._case.state == .dispatched && again._case.handler == .company)
                _ = try await api.step(c.id, .init(kind: ._return, text: "不是我们的"), as: "qzstaff", expect: .conflict)
            }
        }

        @Test("The whistle makes the case red and holds the reply until every summoned department has checked in and reported")
        func whistle() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (_, abandoned) = try await CaseTests.compounds(app)
                let w = try #require(try await api.intake(CaseTests.hotline(abandoned, .sanitation)))
                let departments = try await Department.query(on: app.db).filter(\.$kind ~~ [.heating, .lawEnforcement]).all()
                let heating = try #require(departments.first { $0.kind == .heating })
                let law = try #require(departments.first { $0.kind == .lawEnforcement })
                _ = try await api.step(w.id, .init(kind: .accept), as: "qizheng")

                let red = try #require(try await api.step(w.id, .init(kind: .whistle, departmentIds: [heating.requireID().uuidString, law.requireID().uuidString]),
                                                          as: "qizheng"))
                #expect(red._case.colour == .red && red.summons.count == 2)
                _ = try await api.step(w.id, .init(kind: .checkIn), as: "gongre")
                _ = try await api.step(w.id, .init(kind: .checkIn), as: "gongre", expect: .conflict)
                _ = try await api.step(w.id, .init(kind: .report, text: "已排查供热管线"), as: "gongre")
                _ = try await api.step(w.id, .init(kind: .reply, text: "处理完毕"), as: "qizheng", expect: .conflict)
                _ = try await api.step(w.id, .init(kind: .checkIn, departmentId: law.requireID().uuidString), as: "admin")
                _ = try await api.step(w.id, .init(kind: .report, text: "已拆除违建", departmentId: law.requireID().uuidString), as: "admin")
                let replied = try #require(try await api.step(w.id, .init(kind: .reply, text: "各部门处理完毕"), as: "qizheng"))

                #expect(replied._case.state == .replied)
            }
        }

        @Test("A summoned department sees the case in its ledger")
        func summonedDepartmentSeesTheCase() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (_, abandoned) = try await CaseTests.compounds(app)
                let w = try #require(try await api.intake(CaseTests.hotline(abandoned, .sanitation)))
                let heating = try #require(try await Department.query(on: app.db).filter(\.$kind == .heating).first())
                _ = try await api.step(w.id, .init(kind: .accept), as: "qizheng")
                _ = try await api.step(w.id, .init(kind: .whistle, departmentIds: [heating.requireID().uuidString]), as: "qizheng")

                try await api.send(.GET, "/cases?open=true", as: "gongre") { res in
                    let page = try res.content.decode(Components.Schemas.CasePage.self)
                    #expect(page.items.contains { $0.id == w.id })
                }
            }
        }
    }
}
