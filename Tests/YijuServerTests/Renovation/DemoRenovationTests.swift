import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("The demo's renovation history, written by the service's rules: what the console and the API show of it")
    struct DemoRenovationTests {
        typealias Summary = Components.Schemas.RenovationProjectSummary

        @Test("Batches since 2020 completed by passing surveys; today's projects under works (diary, builder's cases), in acceptance (half surveyed), consulting (objections open); 七政's completed compounds await zoning")
        func history() async throws {
            try await withApp(demo: false) { app in
                let clock = TestClock.mondayMorning(on: app)
                let loaded = try await DemoLoader.load(into: app, renovationHistory: true)
                let api = CaseTests.API(app: app)
                var projects: [Summary] = []
                try await api.send(.GET, "/renovation-projects", as: "admin") { res in projects = try res.content.decode([Summary].self) }
                #expect(projects.count == loaded.renovationProjects && projects.count == 30)
                let year = Int(Calendar.shanghai.day(clock.now).prefix(4))!
                let past = projects.filter { $0.year < year }
                #expect(past.count == 24 && past.allSatisfy { $0.status == .completed } && Set(past.map(\.year)) == Set(2020..<year))
                let current = Dictionary(grouping: projects.filter { $0.year >= year }, by: \.status).mapValues(\.count)
                #expect(current == [.completed: 1, .underWorks: 2, .acceptance: 1, .consulting: 1, .planned: 1], "\(current)")

                // Every completed project passed its survey by the rules, and its items are in the inventory.
                let completed = try await RenovationProject.query(on: app.db).filter(\.$status == .completed).all()
                for p in completed {
                    let rounds = try await AcceptanceRound.query(on: app.db).filter(\.$project.$id == p.requireID()).all()
                    #expect(rounds.count == 1 && rounds[0].passed == true, "\(p.code)")
                }
                #expect(try await CompoundFacility.query(on: app.db).count() > 0)
                #expect(loaded.surveyResponses > 5_000)

                // 七政's project completed this year: its compounds have no company and are handed to zoning.
                let done = try #require(projects.first { $0.code == "QZ-\(year)-01" })
                try await api.send(.GET, "/renovation-projects/\(done.id)", as: "qizheng") { res in
                    let project = try res.content.decode(Components.Schemas.RenovationProject.self)
                    #expect(project.project.status == .completed && !project.compounds.isEmpty && project.compounds.allSatisfy(\.awaitingManagement))
                }

                // Under works: the builder's staff (shigong, 宜建) keep the diary and have the works' cases.
                let works = projects.filter { $0.status == .underWorks }
                var shigongSees: [Summary] = []
                try await api.send(.GET, "/renovation-projects", as: "shigong") { res in shigongSees = try res.content.decode([Summary].self) }
                #expect(Set(works.map(\.id)).isSubset(of: Set(shigongSees.map(\.id))))
                for w in works {
                    let days = try await SiteDiaryRecord.query(on: app.db).filter(\.$project.$id == UUID(uuidString: w.id)!).count()
                    #expect(days >= 5, "\(w.code)")
                }
                let builder = try #require(try await Company.query(on: app.db).filter(\.$name == "哈尔滨宜建建筑工程有限公司").first())
                let routed = try await CaseRecord.query(on: app.db).filter(\.$handlerCompany.$id == builder.requireID()).count()
                #expect(routed == 2 * works.count)

                // In acceptance: the survey is open with about a third of the households answered: not yet enough.
                let inAcceptance = try #require(projects.first { $0.status == .acceptance })
                try await api.send(.GET, "/renovation-projects/\(inAcceptance.id)/acceptance", as: "admin") { res in
                    let a = try res.content.decode(Components.Schemas.RenovationAcceptance.self)
                    #expect(a.rounds.count == 1 && a.rounds[0].closedOn == nil && a.result?.passes == false && (a.result?.responsesNeeded ?? 0) > 0)
                    #expect(Double(a.responses.count) > 0.3 * Double(inAcceptance.households))
                }

                // Consulting: the final plan's notice runs today and two objections wait for answers.
                let consulting = try #require(projects.first { $0.status == .consulting })
                try await api.send(.GET, "/renovation-projects/\(consulting.id)/consultation", as: "qizheng") { res in
                    let c = try res.content.decode(Components.Schemas.RenovationConsultation.self)
                    #expect(c.noticeRunning == true && c.unansweredOpinions == 2)
                    #expect(c.entries.filter { $0.channel == .notice }.count == 2 && c.householdsVisited == 3)
                }

                // The objectors' phones: whole for the officer who calls back, masked on the grid worker's page.
                let console = ConsoleTests()
                for (user, shown, hidden) in [("qizheng", "13904511000", "139****1000"), ("wangge", "139****1000", "13904511000")] {
                    let session = try await console.login(app, user)
                    try await app.testing().test(.GET, "/console/renovation/\(consulting.id)/consultation",
                                                 headers: ["Cookie": session.cookie.cookieHeader]) { res in
                        #expect(res.status == .ok && res.body.string.contains(shown) && !res.body.string.contains(hidden), "\(user)")
                    }
                }

                // 七政's live projects are one renovation grid's work, with its grid worker on the roster.
                try await api.send(.GET, "/renovation-grids", as: "wangge") { res in
                    let grids = try res.content.decode([Components.Schemas.RenovationGridSummary].self)
                    #expect(grids.count == 1)
                    guard let grid = grids.first else { return }
                    try await api.send(.GET, "/renovation-grids/\(grid.id)", as: "wangge") { res in
                        let g = try res.content.decode(Components.Schemas.RenovationGrid.self)
                        let live = projects.filter { $0.code.hasPrefix("QZ-") && $0.status != .completed }.map(\.id)
                        #expect(g.members.count == 5 && Set(g.projects.map(\.id)) == Set(live) && live.count == 2)
                    }
                }

                // No compound is planned or under works without a project.
                let covered = Set(try await RenovationProjectCompound.query(on: app.db).all().map(\.$compound.id))
                let stray = try await Compound.query(on: app.db).filter(\.$renovation ~~ [.planned, .underWorks]).all()
                #expect(stray.allSatisfy { covered.contains($0.id!) })
            }
        }

        @Test("The history's rows are live state: the service carries each project on — objections answered and the plan approved, a diary day written, a survey closed short of its answers sends the works back")
        func rowsCarryOn() async throws {
            try await withApp(demo: false) { app in
                let clock = TestClock.mondayMorning(on: app)
                try await DemoLoader.load(into: app, renovationHistory: true)
                let officer = try #require(try await User.query(on: app.db).filter(\.$username == "qizheng").first()).actor
                let admin = try #require(try await DemoLoader.bureauAdmin(on: app.db)).actor
                let today = Calendar.shanghai.day(clock.now)
                func project(_ status: ProjectStatus, office: String? = nil) async throws -> RenovationProject {
                    let all = try await RenovationProject.query(on: app.db).filter(\.$status == status).sort(\.$code).all()
                    guard let found = all.first(where: { office == nil || $0.code.hasPrefix(office!) }) else { throw DomainError.notFound("demo project") }
                    return found
                }

                // Consulting: both objections answered today, the notice over in a week, then approval.
                let consulting = try await project(.consulting)
                let service = RenovationService(db: app.db, actor: officer, now: clock.now)
                let before = try await service.consultation(consulting.requireID())
                #expect(before.records.map(\.sequence) == Array(1...before.records.count), "one sequence, bulk rows then the objections")
                for objection in before.records where objection.channel == .notice {
                    _ = try await service.record(.init(kind: .answer, day: today, body: "已研究：车位另选址，施工避开考试期间", opinionID: objection.id,
                                                       outcome: .declined), on: consulting.requireID())
                }
                let later = RenovationService(db: app.db, actor: officer, now: clock.now.addingTimeInterval(8 * 86_400))
                let approved = try await later.take(.approve, on: consulting.requireID(), reason: nil, day: nil)
                #expect(approved.project.status == .approved)

                // Under works (七政's): today's diary day through the builder's own form.
                let works = try await project(.underWorks, office: "QZ-")
                let builder = try #require(try await User.query(on: app.db).filter(\.$username == "shigong").first()).actor
                let day = try await RenovationService(db: app.db, actor: builder, now: clock.now).saveDiaryDay(works.requireID(), DiaryEntry(
                    day: today, weather: "晴", workDone: "外墙保温板安装", workers: 20, machines: [], noise: [], dustSuppressed: true, wasteCleared: true))
                #expect(day.entry.day == today)

                // In acceptance: the check signed, the survey closed with a third answered: failed, back to works.
                let accepting = try await project(.acceptance)
                let bureau = RenovationService(db: app.db, actor: admin, now: clock.now)
                _ = try await bureau.recordCheck(accepting.requireID(), day: today, participants: ["社区居委会"], punchList: [])
                let closed = try await bureau.closeSurvey(accepting.requireID(), day: today)
                #expect(closed.rounds.last?.passed == false && closed.project.status == .underWorks)

                // Each project's history is audited, with its steps.
                let audited = try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationProject").filter(\.$action == "import").count()
                #expect(audited == 30)
            }
        }
    }
}
