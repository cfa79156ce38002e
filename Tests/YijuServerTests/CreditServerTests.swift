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
                let clock = TestClock.mondayMorning(on: app)
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
                #expect(entries.allSatisfy { $0.source.hasPrefix("诉求 YJ") && $0.caseID?.uuidString == c.id })
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

        @Test("Credit through the API: the statement by role, rule versions checked whole, the public grades and blacklist")
        func creditAPI() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let company = try #require(managed.$company.id)
                let other = try #require(try await Company.properties(on: app.db).filter(\.$id != company).first())
                typealias Statement = Components.Schemas.CreditStatement
                try await api.send(.GET, "/companies/\(company)/credit", as: "admin") { res in
                    #expect(res.status == .ok)
                    let s = try res.content.decode(Statement.self)
                    #expect(s.score == 100 && s.grade == .A && s.mayBid && s.lines.isEmpty && s.ruleVersion == 1)
                }
                try await api.send(.GET, "/companies/\(company)/credit", as: "qzstaff") { res in #expect(res.status == .ok) }
                try await api.send(.GET, "/companies/\(other.id!)/credit", as: "qzstaff") { res in #expect(res.status == .notFound) }
                try await api.send(.GET, "/companies/\(company)/credit?day=2025-13-45", as: "admin") { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "day")
                }

                var rules: Components.Schemas.CreditRules?
                try await api.send(.GET, "/credit-rules", as: "qizheng") { res in
                    rules = try res.content.decode(Components.Schemas.CreditRuleSet.self).rules
                }
                var changed = try #require(rules)
                #expect(changed.points.additionalProperties["verifiedComplaint"] == -0.5 && changed.grades.count == 4)
                changed.points.additionalProperties["overdueCase"] = -2
                try await api.send(.PUT, "/credit-rules", as: "qizheng", body: Components.Schemas.CreditRulesUpdate(rules: changed)) { res in
                    #expect(res.status == .forbidden)
                }
                var broken = changed
                broken.grades.removeAll { $0.grade == .C }
                try await api.send(.PUT, "/credit-rules", as: "admin", body: Components.Schemas.CreditRulesUpdate(rules: broken)) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.map(\.field) == ["rules.grades"])
                }
                try await api.send(.PUT, "/credit-rules", as: "admin", body: Components.Schemas.CreditRulesUpdate(note: "逾期加重", rules: changed)) { res in
                    let saved = try res.content.decode(Components.Schemas.CreditRuleSet.self)
                    #expect(res.status == .ok && saved.version == 2)
                }
                #expect(try await CreditRuleSetRecord.query(on: app.db).count() == 2)
                // New reports take the new points.
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))
                try await CreditEvents.emit(.overdueCase, company: company, case: UUID(uuidString: c.id)!, key: "overdue:\(c.id)", at: app.clock.now(), on: app.db)
                try await api.send(.GET, "/companies/\(company)/credit", as: "admin") { res in
                    let s = try res.content.decode(Statement.self)
                    #expect(s.score == 98 && s.lines.map(\.points) == [-2] && s.lines.first?.source.hasPrefix("诉求 YJ") == true && s.ruleVersion == 2)
                }
                // Entries by hand: the bureau any manual kind, a street officer complaints and commendations only.
                typealias Input = Components.Schemas.CreditEntryInput
                try await api.send(.POST, "/companies/\(company)/credit-events", as: "admin", body: Input(kind: .blacklistReport, source: "2026年第一期行业黑榜通报")) { res in
                    let line = try res.content.decode(Components.Schemas.CreditLine.self)
                    #expect(res.status == .created && line.points == -10)
                }
                try await api.send(.POST, "/companies/\(company)/credit-events", as: "admin", body: Input(kind: .overdueCase, source: "手工录入超期")) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "kind")
                }
                try await api.send(.POST, "/companies/\(company)/credit-events", as: "qizheng", body: Input(kind: .blacklistReport, source: "街道通报")) { res in
                    #expect(res.status == .forbidden)
                }
                try await api.send(.POST, "/companies/\(company)/credit-events", as: "qizheng", body: Input(kind: .commendation, source: "暴雪清雪及时，街道通报表扬", effective: "2099-01-01")) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "effective")
                }
                try await api.send(.POST, "/companies/\(company)/credit-events", as: "qizheng", body: Input(kind: .commendation, source: "暴雪清雪及时，街道通报表扬")) { res in
                    #expect(res.status == .created)
                }
                try await api.send(.GET, "/companies/\(company)/credit", as: "admin") { res in
                    let s = try res.content.decode(Statement.self)
                    #expect(s.score == 90 && s.lines.count == 3 && s.grade == .A)
                }
                try await app.testing().test(.GET, "/api/v1/public/credit") { res in
                    #expect(res.status == .ok)
                    let rows = try res.content.decode([Components.Schemas.PublicCompanyCredit].self)
                    // The property companies: contractors are not graded with them.
                    let companies = try await Company.properties(on: app.db).count()
                    #expect(rows.count == companies)
                    #expect(rows.last?.companyId == company.uuidString && rows.last?.score == 90)
                }
            }
        }

        @Test("The company file in the console shows the credit: score, grade, blacklist, bidding, every line; not to another company's staff")
        func companyFile() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let company = try #require(managed.$company.id)
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))
                try await CreditEvents.emit(.overdueCase, company: company, case: UUID(uuidString: c.id)!, key: "overdue:\(c.id)", at: app.clock.now(), on: app.db)
                let admin = try await ConsoleTests().login(app, "admin")
                try await app.testing().test(.GET, "/console/companies/\(company)", headers: ["Cookie": admin.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok)
                    let page = res.body.string
                    #expect(page.contains("id=\"credit\"") && page.contains("信用分 99") && page.contains("grade-A"))
                    #expect(page.contains("诉求超期") && page.contains("诉求 \(c.number)") && page.contains("可参加选聘") && page.contains("未列入黑名单"))
                }
                try await app.testing().test(.GET, "/console/companies", headers: ["Cookie": admin.cookie.cookieHeader]) { res in
                    // The managed company: grade A, 99 points, one point down on half a year ago.
                    #expect(res.status == .ok && res.body.string.contains("<td class=\"n\">99</td><td class=\"n overdue\">-1</td>"))
                }
                let staff = try await ConsoleTests().login(app, "zhengyi")
                let own = try #require(try await User.query(on: app.db).filter(\.$username == "zhengyi").first()?.$company.id)
                let other = try #require(try await Company.properties(on: app.db).filter(\.$id != own).first())
                try await app.testing().test(.GET, "/console/companies/\(other.id!)", headers: ["Cookie": staff.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains("id=\"credit\""), "\(res.status)")
                }
                try await app.testing().test(.GET, "/console/companies/\(own)", headers: ["Cookie": staff.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"credit\""))
                }
            }
        }

        @Test("Below 60 at the end of two consecutive half-years: one exit recommendation, which the bureau confirms or rejects with a reason, once")
        func exitRecommendation() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let companies = try await Company.properties(on: app.db).sort(\.$name).all()
                let (failing, recovering) = (companies[0], companies[1])
                func entry(_ company: Company, _ points: Int, _ effective: String, _ key: String) async throws {
                    let e = CreditEventEntry()
                    e.$company.id = company.id!
                    e.kind = .refusedRectification
                    e.points = points
                    e.effective = effective
                    e.expires = CreditLedger.expiry(of: effective, rules: .default)
                    e.source = "test \(key)"
                    e.sourceKey = "test:\(key)"
                    e.recordedBy = "admin"
                    try await e.create(on: app.db)
                }
                // 40 points at the end of 2025-06 and of 2025-12; the other one only since 2025-09.
                for n in 0..<3 { try await entry(failing, -200, "2025-05-01", "f\(n)") }
                for n in 0..<3 { try await entry(recovering, -200, "2025-09-01", "r\(n)") }
                let admin = try await SelectionTests.actor(app, "admin"), qizheng = try await SelectionTests.actor(app, "qizheng")
                let credit = CreditService(db: app.db, actor: admin, now: clock.now)
                #expect(try await credit.raiseExitRecommendations() == 1)
                _ = try await CaseTimers(db: app.db, now: clock.now).run()
                let raised = try await ExitRecommendation.query(on: app.db).all()
                #expect(raised.count == 1 && raised[0].$company.id == failing.id && raised[0].halfYearEnd == "2025-12-31")
                #expect(raised[0].basis == "2025-12-31 40; 2025-06-30 40" && raised[0].status == .pending)
                await #expect(throws: DomainError.self) {
                    _ = try await CreditService(db: app.db, actor: qizheng, now: clock.now).decide(exit: raised[0].id!, confirm: true, reason: "整改无望")
                }
                do {
                    _ = try await credit.decide(exit: raised[0].id!, confirm: true, reason: " ", endDate: "2026-04-30")
                    Issue.record("decided without a reason")
                } catch let error as DomainError { #expect(error.fields.map(\.field) == ["reason"]) }
                do {
                    _ = try await credit.decide(exit: raised[0].id!, confirm: true, reason: "连续两个半年度信用低于60分，拒不整改", endDate: "2026-03-01")
                    Issue.record("confirmed with an exit day in the past")
                } catch let error as DomainError { #expect(error.fields.map(\.field) == ["endDate"]) }
                let decided = try await credit.decide(exit: raised[0].id!, confirm: true, reason: "连续两个半年度信用低于60分，拒不整改", endDate: "2026-04-30")
                #expect(decided.status == .confirmed && decided.decidedBy == "admin" && decided.endDate == "2026-04-30")
                do {
                    _ = try await credit.decide(exit: raised[0].id!, confirm: false, reason: "再议一次")
                    Issue.record("decided twice")
                } catch let error as DomainError { #expect(error.code == "already_decided") }
                #expect(try await ExitRecommendation.find(raised[0].id!, on: app.db)?.status == .confirmed)
                let api = CaseTests.API(app: app)
                try await api.send(.GET, "/exit-recommendations", as: "rexian") { res in #expect(res.status == .forbidden) }
                try await api.send(.GET, "/exit-recommendations", as: "qizheng") { res in
                    let list = try res.content.decode([Components.Schemas.ExitRecommendation].self)
                    #expect(res.status == .ok && list.map(\.endDate) == ["2026-04-30"])
                }
                try await api.send(.GET, "/exit-recommendations", as: "admin") { res in
                    let list = try res.content.decode([Components.Schemas.ExitRecommendation].self)
                    #expect(list.map(\.status) == [.confirmed] && list.first?.companyName == failing.name)
                }
                try await api.send(.POST, "/exit-recommendations/\(raised[0].id!)/decision", as: "admin",
                                   body: Components.Schemas.ExitDecision(confirm: false, reason: "再议一次，请补充整改材料")) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "already_decided")
                }
            }
        }

        /// A recommendation as the timers would have raised it after two half-years below 60.
        static func pendingExit(_ company: UUID, on db: any Database) async throws -> ExitRecommendation {
            let recommendation = ExitRecommendation()
            recommendation.$company.id = company
            recommendation.halfYearEnd = "2025-12-31"
            recommendation.basis = "2025-12-31 52; 2025-06-30 57"
            recommendation.status = .pending
            try await recommendation.create(on: db)
            return recommendation
        }

        @Test("A confirmed exit: contracts end on the exit day, the lot reopens, an emergency provider takes over for at most six months and gives way to the new tender's contract")
        func exitConsequences() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                // A professionally managed compound in a zone of an adopted plan, its lot awarded before.
                let assignments = try await AreaAssignment.query(on: app.db).filter(\.$endDate == nil).with(\.$compound).with(\.$area).all()
                let assignment = try #require(assignments.first { $0.compound.management == .professional && $0.compound.$company.id != nil })
                let compound = assignment.compound
                let expelled = try #require(compound.$company.id)
                let lot = try #require(try await TenderLot.find(assignment.area.$lot.id, on: app.db))
                lot.status = .awarded
                try await lot.save(on: app.db)
                let old = Contract()
                old.code = "HT-EXIT-1"
                old.$company.id = expelled
                old.feeRateFen = 60
                old.startDate = "2024-01-01"
                old.endDate = "2027-12-31"
                try await old.create(on: app.db)
                let office = compound.$streetOffice.id
                let officer = User()
                officer.username = "exitofficer"
                officer.displayName = "街道物业办"
                officer.passwordHash = "unused"
                officer.role = .streetOfficer
                officer.$streetOffice.id = office
                try await officer.create(on: app.db)
                let recommendation = try await Self.pendingExit(expelled, on: app.db)
                let provider = try #require(try await Company.properties(on: app.db).filter(\.$id != expelled).sort(\.$name).first())
                typealias Appointment = Components.Schemas.EmergencyAppointment
                let appointment = Appointment(companyId: provider.id!.uuidString, feeRateFen: 50, months: 6)
                let path = "/exit-recommendations/\(recommendation.id!)"
                try await api.send(.POST, path + "/emergency-providers", as: "exitofficer", body: appointment) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "exit_not_confirmed")
                }

                try await api.send(.POST, path + "/decision", as: "admin", body: Components.Schemas.ExitDecision(confirm: true, reason: "连续两个半年度低于60分")) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "endDate")
                }
                try await api.send(.POST, path + "/decision", as: "admin",
                                   body: Components.Schemas.ExitDecision(confirm: true, reason: "连续两个半年度低于60分", endDate: "2026-03-31")) { res in
                    #expect(res.status == .ok)
                }
                #expect(try await Contract.find(old.id, on: app.db)?.endDate == "2026-03-31")
                #expect(try await TenderLot.find(lot.id, on: app.db)?.status == .open)

                // The street office appoints a provider: bad terms named, then once.
                var bad = appointment
                bad.months = 7
                bad.companyId = expelled.uuidString
                bad.startDate = "2026-03-30"
                try await api.send(.POST, path + "/emergency-providers", as: "exitofficer", body: bad) { res in
                    // Past the document's six months first; within it, the rules of an appointment.
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["months"])
                }
                bad.months = 6
                try await api.send(.POST, path + "/emergency-providers", as: "exitofficer", body: bad) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(Set(res.apiError?.details.map(\.field) ?? []) == ["startDate", "companyId"])
                }
                try await api.send(.POST, path + "/emergency-providers", as: "rexian", body: appointment) { res in #expect(res.status == .forbidden) }
                var emergency: Components.Schemas.Contract?
                try await api.send(.POST, path + "/emergency-providers", as: "exitofficer", body: appointment) { res in
                    #expect(res.status == .created)
                    emergency = try res.content.decode(Components.Schemas.Contract.self)
                }
                let e = try #require(emergency)
                #expect(e.start == "2026-03-31" && e.end == "2026-09-30" && e.companyId == provider.id!.uuidString)
                try await api.send(.POST, path + "/emergency-providers", as: "exitofficer", body: appointment) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "already_appointed")
                }

                // On the exit day the provider takes over and the compound's cases go to it.
                clock.advance(days: 29)
                _ = try await CaseTimers(db: app.db, now: clock.now).run()
                let taken = try #require(try await Compound.find(compound.id, on: app.db))
                #expect(taken.$company.id == provider.id && taken.$contract.id?.uuidString == e.id)
                let c = try #require(try await api.intake(CaseTests.hotline(taken, .propertyService)))
                #expect(c.handlerName == provider.name)

                // The re-tendered lot's contract starts: the emergency contract ends that day.
                let next = Contract()
                next.code = "HT-NEXT-1"
                next.$company.id = try #require(try await Company.properties(on: app.db).filter(\.$id !~ [expelled, provider.id!]).first()).id!
                next.feeRateFen = 80
                next.startDate = "2026-05-01"
                next.endDate = "2029-04-30"
                next.tenderID = UUID()
                try await next.create(on: app.db)
                let link = ContractCompound()
                link.$contract.id = next.id!
                link.$compound.id = compound.id!
                try await link.create(on: app.db)
                clock.advance(days: 31)
                _ = try await CaseTimers(db: app.db, now: clock.now).run()
                #expect(try await Compound.find(compound.id, on: app.db)?.$company.id == next.$company.id)
                #expect(try await Contract.find(UUID(uuidString: e.id), on: app.db)?.endDate == "2026-05-01")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "emergencyProvider").count() == 1)
            }
        }

        @Test("Exits in the console: the bureau confirms with the exit day, the street office appoints a provider")
        func exitsInTheConsole() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let expelled = try #require(managed.$company.id)
                let recommendation = try await Self.pendingExit(expelled, on: app.db)
                let console = ConsoleTests()
                let admin = try await console.login(app, "admin"), officer = try await console.login(app, "qizheng")
                func post(_ path: String, _ session: (cookie: HTTPCookies, csrf: String), _ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, path, headers: ["Cookie": session.cookie.cookieHeader], beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": session.csrf]) { a, _ in a }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await app.testing().test(.GET, "/console/exits", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains(recommendation.id!.uuidString))   // pending: the bureau's
                }
                let decision = "/console/exits/\(recommendation.id!)/decision"
                try await post(decision, admin, ["outcome": "confirm", "reason": "连续两个半年度低于60分"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("endDate"))
                }
                try await post(decision, admin, ["outcome": "confirm", "reason": "连续两个半年度低于60分", "endDate": "2026-03-31"]) { res in
                    #expect(res.status == .seeOther)
                }
                #expect(try await ExitRecommendation.find(recommendation.id, on: app.db)?.endDate == "2026-03-31")
                let provider = try #require(try await Company.properties(on: app.db).filter(\.$id != expelled).sort(\.$name).first())
                try await app.testing().test(.GET, "/console/exits", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("/console/exits/\(recommendation.id!)/emergency-providers"))
                }
                let appoint = "/console/exits/\(recommendation.id!)/emergency-providers"
                try await post(appoint, officer, ["companyId": provider.id!.uuidString, "feeRateFen": "50", "months": "9"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("months"))
                }
                try await post(appoint, officer, ["companyId": provider.id!.uuidString, "feeRateFen": "50", "months": "6"]) { res in
                    #expect(res.status == .seeOther)
                }
                let emergency = try #require(try await Contract.query(on: app.db).filter(\.$exitID == recommendation.id!).first())
                #expect(emergency.$company.id == provider.id && emergency.startDate == "2026-03-31" && emergency.endDate == "2026-09-30")
                let covered = try await ContractCompound.query(on: app.db).filter(\.$contract.$id == emergency.id!).with(\.$compound).all()
                #expect(covered.contains { $0.$compound.id == managed.id } && covered.allSatisfy { $0.compound.$streetOffice.id == managed.$streetOffice.id })
            }
        }

        @Test("A half-year's follow-up satisfaction at 95 % or more earns +3 once, from the figures; fewer follow-ups or a lower rate earn nothing")
        func satisfactionBonus() async throws {
            try await withApp { app in
                let clock = TestClock(Calendar.shanghai.start(of: "2025-10-13")!.addingTimeInterval(10 * 3600))
                clock.install(on: app)
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let company = try #require(managed.$company.id)
                // 24 satisfied and one reopened then basically satisfied: 25 of 26 follow-ups, 96 %.
                for n in 0..<25 {
                    let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))
                    _ = try await api.step(c.id, .init(kind: .accept), as: "qzstaff")
                    _ = try await api.step(c.id, .init(kind: .reply, text: "已处理完毕"), as: "qzstaff")
                    if n == 0 {
                        _ = try await api.step(c.id, .init(kind: .followUp, text: "没修好", satisfaction: .dissatisfied), as: "rexian")
                        _ = try await api.step(c.id, .init(kind: .reply, text: "重新处理完毕"), as: "qzstaff")
                    }
                    _ = try await api.step(c.id, .init(kind: .followUp, satisfaction: n == 0 ? .basicallySatisfied : .satisfied), as: "rexian")
                }
                clock.advance(days: 140)   // 2026-03-02
                let credit = CreditService(db: app.db, actor: nil, now: clock.now)
                #expect(try await credit.awardSatisfactionBonuses() == 1)
                #expect(try await credit.awardSatisfactionBonuses() == 0)
                // The timers do it once a day, whichever process sweeps first.
                #expect(try await DailyTask.satisfactionBonuses.claim(day: "2026-03-02", on: app.db))
                #expect(try await !DailyTask.satisfactionBonuses.claim(day: "2026-03-02", on: app.db))
                #expect(try await DailyTask.exitRecommendations.claim(day: "2026-03-02", on: app.db))
                #expect(try await DailyTask.satisfactionBonuses.claim(day: "2026-03-03", on: app.db))
                let bonus = try #require(try await CreditEventEntry.query(on: app.db).filter(\.$kind == .halfYearSatisfaction).first())
                #expect(bonus.$company.id == company && bonus.points == 30 && bonus.effective == "2026-01-01" && bonus.expires == "2027-01-01")
                #expect(bonus.source.contains("96.2 %（25/26）") && bonus.source.contains("2025-12-31"))
                // A stricter rule: 97 % is not reached, and nothing more is awarded.
                var rules = CreditRules.default
                rules.satisfactionBonusRate = 0.97
                let admin = try await SelectionTests.actor(app, "admin")
                _ = try await CreditService(db: app.db, actor: admin, now: clock.now).updateRules(rules, note: "stricter")
                #expect(try await credit.awardSatisfactionBonuses() == 0)
                await #expect(throws: DomainError.self) {
                    _ = try await CreditService(db: app.db, actor: admin, now: clock.now).record(company: company, kind: .halfYearSatisfaction, source: "by hand", effective: nil)
                }
            }
        }

        /// Each company's standing on the public list after loading the demo with its history on `day`.
        struct Standing: Equatable, CustomStringConvertible {
            var score: Tenths, grade: CreditGrade, blacklisted: Bool
            var description: String { "\(grade.rawValue) \(score)\(blacklisted ? " blacklisted" : "")" }
        }

        static func demoStandings(on day: Date) async throws -> [String: Standing] {
            var standings: [String: Standing] = [:]
            try await withApp(demo: false) { app in
                app.clock = Clock(now: { day })
                try await DemoLoader.load(into: app, caseHistory: true)
                for (company, statement, blacklist) in try await CreditService(db: app.db, actor: nil, now: day).publicList() {
                    standings[company.registrationNumber] = Standing(score: statement.score, grade: statement.grade, blacklisted: blacklist != nil)
                }
            }
            return standings
        }

        @Test("The demo's grades come from its history the same way on every load, and in winter and in summer have the issue's shape: most B, some A, a few C and D, a short blacklist")
        func demoCreditIsStableAndShaped() async throws {
            let winter = try #require(ISO8601DateFormatter().date(from: "2027-01-20T13:00:00Z"))
            let summer = try #require(ISO8601DateFormatter().date(from: "2027-07-15T02:00:00Z"))
            let first = try await Self.demoStandings(on: winter)
            // Company ids are random on every load; nothing the history does may depend on them.
            #expect(try await Self.demoStandings(on: winter) == first)
            for standings in [first, try await Self.demoStandings(on: summer)] {
                let grades = Dictionary(grouping: standings.values, by: \.grade).mapValues(\.count)
                let blacklisted = standings.values.filter(\.blacklisted)
                #expect(grades.max { $0.value < $1.value }?.key == .b, "\(grades)")
                #expect(grades[.a, default: 0] >= 3 && grades[.c, default: 0] + grades[.d, default: 0] >= 2, "\(grades)")
                #expect((1...3).contains(blacklisted.count), "\(blacklisted)")
                #expect(blacklisted.allSatisfy { $0.grade == .d })
            }
        }
    }
}
