import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: a tender's contract that waits on the works starts on the completion day (竣工与承接同步)")
    struct HandoverTests {
        typealias Survey = AcceptanceTests.Survey

        /// Puts the project's two abandoned compounds into an open lot of the adopted plan and
        /// answers that lot and another open lot, which no project covers.
        static func lots(for c: ConsultationTests.Consulting, on app: Application) async throws -> (lot: TenderLot, other: TenderLot) {
            let hy = try await app.streetOffice(code: "HY")
            let lots = try await TenderLot.query(on: app.db).filter(\.$streetOffice.$id == hy.requireID()).filter(\.$status == .open).sort(\.$code).all()
            let lot = try #require(lots.first), other = try #require(lots.dropFirst().first)
            let area = try #require(try await ManagementArea.query(on: app.db).filter(\.$lot.$id == lot.requireID()).first())
            for compound in [c.d.first, c.d.second] {
                try await Compound.query(on: app.db).filter(\.$id == compound.requireID())
                    .set(\.$company.$id, to: nil).set(\.$contract.$id, to: nil).set(\.$management, to: .abandoned).update()
                let assignment = AreaAssignment()
                assignment.$compound.id = try compound.requireID()
                assignment.$area.id = try area.requireID()
                assignment.startDate = "2026-01-01"
                try await assignment.create(on: app.db)
            }
            return (lot, other)
        }

        @Test("Opened to start on completion, awarded, held past its start date while the works go on, started by the completion itself")
        func startsOnCompletion() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app, households: 6)
                let (lot, other) = try await Self.lots(for: c, on: app)
                let admin = try await SelectionTests.actor(app, "admin")
                let service = { TenderService(db: app.db, actor: admin, now: c.d.clock.now) }
                var opening = TenderService.Opening(lotID: try lot.requireID(), bidDeadline: c.d.clock.now.addingTimeInterval(7 * 86_400),
                                                    startDate: "2026-04-01", startsOnCompletion: true)

                // A lot that no project in progress covers cannot wait on one; nothing is written.
                var unrenovated = opening
                unrenovated.lotID = try other.requireID()
                do {
                    _ = try await service().open(unrenovated)
                    Issue.record("opened a tender waiting on no works")
                } catch let error as DomainError {
                    #expect(error.fields.map(\.field) == ["startsOnCompletion"])
                }
                #expect(try await Tender.query(on: app.db).count() == 0)

                opening.termYears = 3
                let tender = try await service().open(opening)
                try await c.d.api.send(.GET, "/tenders/\(try tender.requireID())", as: "admin") { res in
                    let detail = try res.content.decode(Components.Schemas.TenderDetail.self)
                    #expect(detail.tender.awaitsProjects.map(\.id) == [c.id] && detail.tender.awaitsProjects.first?.status == .consulting)
                }
                let companies = try await Company.properties(on: app.db).sort(\.$name).all()
                let bid = try await service().bid(try tender.requireID(), .init(
                    companyID: try companies[0].requireID(), priceFen: 85, servicePlan: "两个服务站，24小时值守，冬季清雪机械化作业，公开收费标准。",
                    stations: 2, staff: 20, machines: 3))
                c.d.clock.advance(days: 8)
                _ = try await service().score(try tender.requireID(), bidID: try bid.requireID(), score: 80)
                let contract = try await service().award(try tender.requireID())
                #expect(contract.startDate == "2026-04-01" && contract.endDate == "2029-04-01")

                // Past the tender's start date, the works still on: the compounds stay as they are.
                try await c.toAcceptance()
                c.d.clock.advance(days: 40)
                #expect(c.today > "2026-04-01")
                #expect(try await ContractStarts.apply(on: app.db, now: c.d.clock.now) == 0)
                #expect(try await Compound.find(c.d.first.requireID(), on: app.db)?.$company.id == nil)
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)", as: "qizheng") { res in
                    let waiting = try res.content.decode(Components.Schemas.RenovationProject.self)
                    #expect(waiting.handovers.map(\.tenderCode) == [tender.code] && waiting.handovers.first?.started == false)
                }

                // The survey passes and the project completes today: the contract runs from today for its term.
                let s = Survey(c: c)
                for room in ["101", "102", "103", "104"] { try await s.answer(room, .satisfied) }
                _ = try await s.check()
                _ = try await s.close()
                let (done, _) = try await c.d.step(c.id, .complete)
                let started = try #require(try await Contract.find(contract.requireID(), on: app.db))
                let term = Calendar.shanghai.day(Calendar.shanghai.date(byAdding: .year, value: 3, to: Calendar.shanghai.start(of: c.today)!)!)
                #expect(started.startDate == c.today && started.endDate == term && started.appliedAt != nil)
                for compound in [c.d.first, c.d.second] {
                    let now = try #require(try await Compound.find(compound.requireID(), on: app.db))
                    #expect(now.$company.id == companies[0].id && now.$contract.id == contract.id && now.management == .professional)
                    #expect(now.renovation == .completed)
                }
                #expect(done?.handovers.first?.started == true && done?.handovers.first?.startDate == c.today)
                #expect(done?.compounds.allSatisfy { !$0.awaitingManagement } == true)
                let moved = try await AuditEntry.query(on: app.db).filter(\.$entityType == "contract").filter(\.$entityID == contract.requireID())
                    .filter(\.$action == "update").all()
                #expect(moved.count == 1 && moved.first?.after?.contains(c.today) == true)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "contractStart").filter(\.$entityID == contract.requireID()).count() == 1)

                // The project's page names who takes over and from when.
                let officer = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation/\(c.id)", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("竣工后物业承接") && res.body.string.contains("\(tender.code) · \(companies[0].name) · 合同自 \(c.today)"))
                }
            }
        }

        @Test("A cancelled project releases the wait: the contract runs from its own start date, or the cancellation day if later")
        func cancelledWorks() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app)
                let (lot, _) = try await Self.lots(for: c, on: app)
                let admin = try await SelectionTests.actor(app, "admin")
                let service = { TenderService(db: app.db, actor: admin, now: c.d.clock.now) }
                let tender = try await service().open(.init(lotID: try lot.requireID(), bidDeadline: c.d.clock.now.addingTimeInterval(86_400),
                                                            startDate: "2026-03-10", startsOnCompletion: true))
                let company = try #require(try await Company.properties(on: app.db).sort(\.$name).first())
                let bid = try await service().bid(try tender.requireID(), .init(
                    companyID: try company.requireID(), priceFen: 85, servicePlan: "两个服务站，24小时值守，冬季清雪机械化作业，公开收费标准。",
                    stations: 2, staff: 20, machines: 3))
                c.d.clock.advance(days: 2)
                _ = try await service().score(try tender.requireID(), bidID: try bid.requireID(), score: 80)
                let contract = try await service().award(try tender.requireID())
                c.d.clock.advance(days: 10)  // 2026-03-14, past the start date
                #expect(try await ContractStarts.apply(on: app.db, now: c.d.clock.now) == 0)
                _ = try await c.d.step(c.id, .cancel, reason: "居民表决未通过")
                let started = try #require(try await Contract.find(contract.requireID(), on: app.db))
                #expect(started.startDate == "2026-03-14" && started.endDate == "2029-03-14" && started.appliedAt != nil)
                #expect(try await Compound.find(c.d.first.requireID(), on: app.db)?.$company.id == company.id)
            }
        }
    }
}
