import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: settings, facilities and gaps, projects planned from them, their steps and scope")
    struct RenovationProjectTests {
        typealias Project = Components.Schemas.RenovationProject
        typealias Inventory = Components.Schemas.FacilityInventory

        /// Two 七政 compounds to renovate together, and a compound of another street office.
        struct District {
            let api: CaseTests.API
            let clock: TestClock
            let first: Compound, second: Compound, elsewhere: Compound

            init(_ app: Application) async throws {
                clock = TestClock.mondayMorning(on: app)
                api = CaseTests.API(app: app)
                let qz = try await app.streetOffice(code: "QZ")
                let home = try await Compound.query(on: app.db).filter(\.$streetOffice.$id == qz.requireID()).sort(\.$code).all()
                first = home[0]
                second = home[1]
                elsewhere = try #require(try await Compound.query(on: app.db).filter(\.$streetOffice.$id != qz.requireID()).sort(\.$code).first())
            }

            /// ¥1,000,000: ¥600,000 from above, ¥300,000 from the district, ¥100,000 from the residents.
            func input(code: String = "QZ-2026-01", compounds: [Compound]? = nil, scope: [Components.Schemas.ScopeLineInput]? = nil) throws
                -> Components.Schemas.RenovationProjectInput {
                .init(code: code, name: "七政片区老旧小区改造", year: 2026,
                      compounds: try (compounds ?? [first, second]).map { .init(compoundId: try $0.requireID().uuidString) },
                      budgetFen: 100_000_000,
                      funding: [.init(source: .higherSubsidy, fen: 60_000_000), .init(source: .districtBudget, fen: 30_000_000),
                                .init(source: .residents, fen: 10_000_000, note: "加装电梯分摊")],
                      scope: scope, plannedStart: "2026-04-01", plannedFinish: "2026-10-31")
            }

            func create(_ input: Components.Schemas.RenovationProjectInput, as user: String = "qizheng",
                        expect status: HTTPStatus = .created) async throws -> (Project?, APIError.Inner?) {
                var project: Project?, error: APIError.Inner?
                try await api.send(.POST, "/renovation-projects", as: user, body: input) { res in
                    #expect(res.status == status, "\(res.body.string.prefix(500))")
                    if res.status == .created { project = try res.content.decode(Project.self) } else { error = res.apiError }
                }
                return (project, error)
            }

            func step(_ id: String, _ transition: Components.Schemas.ProjectTransition, reason: String? = nil, day: String? = nil,
                      as user: String = "qizheng", expect status: HTTPStatus = .ok) async throws -> (Project?, APIError.Inner?) {
                var project: Project?, error: APIError.Inner?
                try await api.send(.POST, "/renovation-projects/\(id)/transitions", as: user,
                                   body: Components.Schemas.RenovationTransitionInput(transition: transition, reason: reason, day: day)) { res in
                    #expect(res.status == status, "\(transition) by \(user): \(res.body.string.prefix(500))")
                    if res.status == .ok { project = try res.content.decode(Project.self) } else { error = res.apiError }
                }
                return (project, error)
            }

            func saveFacilities(_ compound: Compound, _ items: [Components.Schemas.Facility], as user: String = "qizheng",
                                expect status: HTTPStatus = .ok) async throws -> (Inventory?, APIError.Inner?) {
                var inventory: Inventory?, error: APIError.Inner?
                try await api.send(.PUT, "/compounds/\(try compound.requireID())/facilities", as: user, body: Components.Schemas.FacilitiesUpdate(items: items)) { res in
                    #expect(res.status == status, "\(res.body.string.prefix(500))")
                    if res.status == .ok { inventory = try res.content.decode(Inventory.self) } else { error = res.apiError }
                }
                return (inventory, error)
            }
        }

        @Test("Version 1 ships the catalogue, the twenty indicators and Shiquan's thresholds; only the bureau adds a version, checked whole")
        func settings() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                var current: Components.Schemas.RenovationSettings?
                try await d.api.send(.GET, "/renovation/settings", as: "wangge") { res in
                    #expect(res.status == .ok)
                    current = try res.content.decode(Components.Schemas.RenovationSettings.self)
                }
                let v1 = try #require(current)
                #expect(v1.version == 1 && v1.catalogue.count == 20 && v1.standard.count == 20)
                #expect(abs(v1.rules.minimumResponseShare - 2.0 / 3.0) < 1e-9 && v1.rules.minimumSatisfiedShare == 0.9)
                #expect(v1.standard.first { $0.code == "3.2" }?.requirements.first == .init(kind: .onePer, item: "parkingSpaces", households: 4))

                var update = Components.Schemas.RenovationSettingsUpdate(note: "加装电梯改为每 3 户 1 部车位", catalogue: v1.catalogue, standard: v1.standard, rules: v1.rules)
                update.catalogue.append(.init(code: "rainGarden", nameZh: "雨水花园", nameEn: "Rain garden", category: .improvement, unit: "m²"))
                try await d.api.send(.PUT, "/renovation/settings", as: "qizheng", body: update) { res in #expect(res.status == .forbidden) }

                // A standard naming an item the catalogue lacks, an item twice, a threshold out of range: all named, nothing saved.
                var bad = update
                bad.catalogue.append(bad.catalogue[0])
                bad.standard[0].requirements = [.init(kind: .present, item: "sauna")]
                bad.rules.minimumSatisfiedShare = 1.5
                let audits = try await app.auditCount()
                try await d.api.send(.PUT, "/renovation/settings", as: "admin", body: bad) { res in
                    // A share above 1 is outside the document; the rest are the settings' own rules.
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["rules.minimumSatisfiedShare"])
                }
                bad.rules.minimumSatisfiedShare = update.rules.minimumSatisfiedShare
                try await d.api.send(.PUT, "/renovation/settings", as: "admin", body: bad) { res in
                    #expect(res.status == .unprocessableEntity)
                    let fields = Set(res.apiError?.details.map(\.field) ?? [])
                    #expect(fields == ["catalogue.items[21].code", "standard.indicators[0].requirements[0]"], "\(fields)")
                }
                // A requirement missing what its kind needs is a 422 naming it, not a crash.
                var incomplete = update
                incomplete.standard[0].requirements = [.init(kind: .onePer, item: "parkingSpaces")]
                try await d.api.send(.PUT, "/renovation/settings", as: "admin", body: incomplete) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "standard[0].requirements[0].households")
                }
                #expect(try await app.auditCount() == audits)
                #expect(try await RenovationSettingsRecord.query(on: app.db).count() == 1)

                try await d.api.send(.PUT, "/renovation/settings", as: "admin", body: update) { res in
                    #expect(res.status == .ok)
                    let v2 = try res.content.decode(Components.Schemas.RenovationSettings.self)
                    #expect(v2.version == 2 && v2.catalogue.last?.code == "rainGarden" && v2.createdBy == "admin" && v2.note == update.note)
                }
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationSettings").count() == 1)
            }
        }

        @Test("A compound's inventory reads its gaps against the standard; a bad line is named and nothing changes; only its street office edits it")
        func facilities() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                let households = d.first.households
                let (saved, _) = try await d.saveFacilities(d.first, [
                    .init(item: "parkingSpaces", quantity: 1, condition: .good), .init(item: "waterDrainage", quantity: 320, condition: .worn),
                    .init(item: "fitness", quantity: 1, condition: .good), .init(item: "accessibility", quantity: 2, condition: .good),
                ])
                let inventory = try #require(saved)
                #expect(inventory.items.map(\.item) == ["waterDrainage", "parkingSpaces", "accessibility", "fitness"])  // the catalogue's order
                let gaps = Dictionary(uniqueKeysWithValues: inventory.gaps.map { ($0.item, $0) })
                #expect(households >= 8 && gaps["parkingSpaces"]?.quantity == (Double(households) / 4).rounded(.up) - 1)  // one space per four households
                #expect(gaps["waterDrainage"]?.quantity == 320 && gaps["waterDrainage"]?.name == "供排水管网改造")
                #expect(gaps["fitness"] == nil && gaps["accessibility"] == nil && gaps["serviceRoom"]?.quantity == 1)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "compoundFacilities").count() == 1)

                // A negative quantity is outside the document; an item not in the catalogue, or twice, breaks its rules.
                let (_, negative) = try await d.saveFacilities(d.first, [.init(item: "sauna", quantity: 1, condition: .good),
                                                                          .init(item: "fitness", quantity: -2, condition: .worn)], expect: .unprocessableEntity)
                #expect(negative?.details.map(\.field) == ["items[1].quantity"])
                let (_, unknown) = try await d.saveFacilities(d.first, [.init(item: "sauna", quantity: 1, condition: .good),
                                                                         .init(item: "fitness", quantity: 1, condition: .good),
                                                                         .init(item: "fitness", quantity: 2, condition: .worn)], expect: .unprocessableEntity)
                #expect(Set(unknown?.details.map(\.field) ?? []) == ["items[0].item", "items[2].item"])
                #expect(try await CompoundFacility.query(on: app.db).count() == 4)

                _ = try await d.saveFacilities(d.first, [], as: "wangge", expect: .forbidden)
                _ = try await d.saveFacilities(d.first, [], as: "rexian", expect: .forbidden)
                _ = try await d.saveFacilities(d.elsewhere, [], as: "qizheng", expect: .notFound)
                try await d.api.send(.GET, "/compounds/\(try d.first.requireID())/facilities", as: "wangge") { res in
                    #expect(res.status == .ok)
                    let inventory = try res.content.decode(Inventory.self)
                    #expect(inventory.items.count == 4)
                }
                _ = try await d.saveFacilities(d.elsewhere, [.init(item: "greening", quantity: 500, condition: .good)], as: "admin")
            }
        }

        @Test("A project planned from two compounds: the gaps are the draft scope, the money adds up, the compounds are planned, the write is audited")
        func planFromGaps() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                _ = try await d.saveFacilities(d.first, [.init(item: "parkingSpaces", quantity: 10, condition: .good)])
                let priorFirst = d.first.renovation
                let (created, _) = try await d.create(try d.input())
                let project = try #require(created)
                #expect(project.project.status == .planned && project.project.streetOfficeName.contains("七政"))
                #expect(project.project.households == d.first.households + d.second.households)
                #expect(project.project.buildings == d.first.buildings + d.second.buildings)
                #expect(project.compounds.map(\.compoundId).sorted() == [d.first.id!.uuidString, d.second.id!.uuidString].sorted())
                #expect(project.compounds.first { $0.compoundId == d.first.id!.uuidString }?.priorRenovation.rawValue == priorFirst.rawValue)

                // The draft scope is each compound's gaps, uncosted, noting the gap.
                var expected: [String] = []
                for compound in [d.first, d.second].sorted(by: { $0.id!.uuidString < $1.id!.uuidString }) {
                    let inventory = try await RenovationService(db: app.db, actor: try await Self.actor(app, "qizheng"), now: Date()).inventory(of: compound.requireID())
                    expected += inventory.gaps.map { "\(compound.id!.uuidString) \($0.item) \($0.quantity)" }
                }
                #expect(project.scope.map { "\($0.compoundId ?? "") \($0.item) \($0.quantity)" }.sorted() == expected.sorted())
                #expect(project.scope.allSatisfy { $0.costFen == 0 && !$0.built && $0.note != nil })
                #expect(project.scope.map(\.position) == Array(1...project.scope.count))
                #expect(project.transitions.map(\.transition) == [.startConsultation, .cancel])

                for compound in [d.first, d.second] {
                    #expect(try await Compound.find(compound.id, on: app.db)?.renovation == .planned)
                }
                let audits = try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationProject").all()
                #expect(audits.count == 1 && audits[0].after?.contains("QZ-2026-01") == true)

                try await d.api.send(.GET, "/renovation-projects?status=planned&year=2026", as: "qizheng") { res in
                    let codes = try res.content.decode([Components.Schemas.RenovationProjectSummary].self).map(\.code)
                    #expect(codes == ["QZ-2026-01"])
                }
                try await d.api.send(.GET, "/renovation-projects?compoundId=\(d.first.id!)", as: "admin") { res in
                    let found = try res.content.decode([Components.Schemas.RenovationProjectSummary].self)
                    #expect(found.count == 1)
                }
                try await d.api.send(.GET, "/renovation-projects?year=2025", as: "admin") { res in
                    let found = try res.content.decode([Components.Schemas.RenovationProjectSummary].self)
                    #expect(found.isEmpty)
                }
            }
        }

        @Test("A bad plan names each problem — money that does not add up, items not in the catalogue, a line on another compound, dates — and creates nothing")
        func badPlans() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                var input = try d.input(scope: [.init(item: "sauna", quantity: 1, costFen: 100), .init(item: "elevator", quantity: 0, costFen: -5),
                                                .init(item: "greening", quantity: 200, costFen: 200_000_000, compoundId: d.elsewhere.id!.uuidString)])
                input.funding[0].fen = 50_000_000
                input.plannedFinish = "2026-03-01"
                input.name = " "
                // A blank name, a quantity of nothing and a negative cost are outside the document: named first.
                let (_, outside) = try await d.create(input, expect: .unprocessableEntity)
                #expect(Set(outside?.details.map(\.field) ?? []) == ["name", "scope[1].quantity", "scope[1].costFen"])
                input.name = "七政小区改造"
                input.scope?[1].quantity = 1
                input.scope?[1].costFen = 5
                let (_, error) = try await d.create(input, expect: .unprocessableEntity)
                let fields = Set(error?.details.map(\.field) ?? [])
                #expect(fields == ["funding", "scope[0].item", "scope", "scope[2].compoundId", "plannedFinish"], "\(fields)")
                #expect(error?.details.first { $0.field == "funding" }?.reason.contains("90000000") == true)

                // Compounds of two street offices; a building that does not exist; a compound named twice.
                var spread = try d.input(compounds: [d.first, d.elsewhere])
                _ = try await d.create(spread, as: "admin", expect: .unprocessableEntity)
                spread = try d.input(compounds: [d.first, d.first])
                spread.compounds[0].buildings = [0, 1]
                let (_, zero) = try await d.create(spread, expect: .unprocessableEntity)
                #expect(zero?.details.map(\.field) == ["compounds[0].buildings[0]"])  // buildings count from 1
                spread.compounds[0].buildings = [999, 1]
                let (_, twice) = try await d.create(spread, expect: .unprocessableEntity)
                #expect(Set(twice?.details.map(\.field) ?? []) == ["compounds[0].buildings", "compounds[1].compoundId"])
                _ = try await d.create(try d.input(code: "七政"), expect: .unprocessableEntity)
                #expect(try await RenovationProject.query(on: app.db).count() == 0)
                #expect(try await Compound.find(d.first.id, on: app.db)?.renovation == d.first.renovation)

                // A code taken, a compound already in an open project: 409, nothing written.
                _ = try await d.create(try d.input())
                _ = try await d.create(try d.input(), expect: .conflict)
                let (_, busy) = try await d.create(try d.input(code: "QZ-2026-02", compounds: [d.second]), expect: .conflict)
                #expect(busy?.code == "compound_in_project" && busy?.message.contains("QZ-2026-01") == true)
                #expect(try await RenovationProject.query(on: app.db).count() == 1)
            }
        }

        @Test("Who plans and sees projects: a street office at home, the bureau anywhere; grid workers, departments and the hotline read; companies see none")
        func scope() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                let (project, _) = try await d.create(try d.input())
                let id = try #require(project?.project.id)
                _ = try await d.create(try d.input(code: "QZ-2026-09", compounds: [d.elsewhere]), expect: .unprocessableEntity)  // not theirs to see
                _ = try await d.create(try d.input(code: "QZ-2026-08"), as: "wangge", expect: .forbidden)
                _ = try await d.create(try d.input(code: "QZ-2026-07"), as: "gongre", expect: .forbidden)
                let (other, _) = try await d.create(try d.input(code: "XX-2026-01", compounds: [d.elsewhere]), as: "admin")
                let otherID = try #require(other?.project.id)

                try await Self.officer(app, of: d.elsewhere)
                for (user, visible) in [("qizheng", ["QZ-2026-01"]), ("wangge", ["QZ-2026-01"]), ("other", ["XX-2026-01"]), ("gongre", ["QZ-2026-01", "XX-2026-01"]),
                                        ("rexian", ["QZ-2026-01", "XX-2026-01"]), ("admin", ["QZ-2026-01", "XX-2026-01"]), ("zhengyi", [])] {
                    try await d.api.send(.GET, "/renovation-projects", as: user) { res in
                        let codes = try res.content.decode([Components.Schemas.RenovationProjectSummary].self).map(\.code)
                        #expect(codes.sorted() == visible, "\(user)")
                    }
                }
                try await d.api.send(.GET, "/renovation-projects/\(otherID)", as: "qizheng") { res in #expect(res.status == .notFound) }
                try await d.api.send(.GET, "/renovation-projects/\(id)", as: "zhengyi") { res in #expect(res.status == .notFound) }
                try await d.api.send(.GET, "/renovation-projects/\(id)", as: "wangge") { res in
                    #expect(res.status == .ok)
                    let project = try res.content.decode(Project.self)
                    #expect(project.transitions.count == 2)
                }
                _ = try await d.step(id, .startConsultation, as: "wangge", expect: .forbidden)
                _ = try await d.step(id, .startConsultation, as: "other", expect: .notFound)
                _ = try await d.step(id, .startConsultation, as: "rexian", expect: .forbidden)
                _ = try await d.step(otherID, .startConsultation, as: "admin")
            }
        }

        @Test("Steps: consulting, approval refused until the residents decided (naming what is missing), out-of-turn steps refused, a cancellation gives the compounds back")
        func lifecycle() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                let (created, _) = try await d.create(try d.input())
                let id = try #require(created?.project.id)
                let (_, early) = try await d.step(id, .startWorks, expect: .conflict)
                #expect(early?.code == "invalid_transition")
                let (consulting, _) = try await d.step(id, .startConsultation)
                #expect(consulting?.project.status == .consulting)
                let approve = try #require(consulting?.transitions.first { $0.transition == .approve })
                #expect(approve.blockedBy?.contains("一访") == true && approve.blockedBy?.contains("round 2") == true)
                let (_, refused) = try await d.step(id, .approve, expect: .conflict)
                #expect(refused?.code == "consultation_incomplete" && refused?.message.contains("一公示") == true)
                #expect(try await RenovationProject.find(UUID(uuidString: id), on: app.db)?.status == .consulting)

                let (_, noReason) = try await d.step(id, .cancel, reason: "  ", expect: .unprocessableEntity)
                #expect(noReason?.details.first?.field == "reason")
                _ = try await d.step(id, .cancel, reason: "居民意见未统一", day: "2026-03-09", expect: .unprocessableEntity)  // a future day
                let (cancelled, _) = try await d.step(id, .cancel, reason: "居民意见未统一，改下一批次")
                #expect(cancelled?.project.status == .cancelled && cancelled?.cancelReason == "居民意见未统一，改下一批次" && cancelled?.transitions.isEmpty == true)
                for compound in [d.first, d.second] {
                    #expect(try await Compound.find(compound.id, on: app.db)?.renovation == compound.renovation)
                }
                // Each compound's state went to planned and back, both audited as the registry's changes.
                let changed = [d.first, d.second].filter { $0.renovation != .planned }.count
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "compound").count() == changed * 2)
                _ = try await d.step(id, .startConsultation, expect: .conflict)

                // Its compounds are free for a new project.
                _ = try await d.create(try d.input(code: "QZ-2027-01"))
            }
        }

        @Test("A new plan while consulting: costed lines, a line on one compound, a new catalogue version; refused once the project is out of consultation")
        func replan() async throws {
            try await withApp(demo: true) { app in
                let d = try await District(app)
                let (created, _) = try await d.create(try d.input(scope: [.init(item: "parkingSpaces", quantity: 40, costFen: 40_000_000)]))
                let id = try #require(created?.project.id)
                _ = try await d.step(id, .startConsultation)
                let plan = Components.Schemas.RenovationPlanInput(
                    name: "七政片区改造（二下方案）", budgetFen: 100_000_000,
                    funding: [.init(source: .higherSubsidy, fen: 70_000_000), .init(source: .districtBudget, fen: 30_000_000)],
                    scope: [.init(item: "parkingSpaces", quantity: 36, costFen: 36_000_000, compoundId: d.first.id!.uuidString),
                            .init(item: "bicycleShed", quantity: 1, costFen: 8_000_000, note: "居民一上意见：增设车棚"),
                            .init(item: "publicToilet", quantity: 29, costFen: 12_000_000)],
                    households: (d.first.households + d.second.households) / 2, plannedStart: "2026-05-01")
                try await d.api.send(.PUT, "/renovation-projects/\(id)/plan", as: "qizheng", body: plan) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(400))")
                    let p = try res.content.decode(Project.self)
                    #expect(p.project.name == plan.name && p.project.households == plan.households && p.project.plannedFinish == nil)
                    #expect(p.scope.map(\.item) == ["parkingSpaces", "bicycleShed", "publicToilet"] && p.scope[0].compoundId == d.first.id!.uuidString)
                    #expect(p.scope.map(\.costFen).reduce(0, +) == 56_000_000 && p.funding.count == 2)
                }
                var tooMany = plan
                tooMany.households = 1_000_000
                try await d.api.send(.PUT, "/renovation-projects/\(id)/plan", as: "qizheng", body: tooMany) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.map(\.field) == ["households"])
                }
                try await d.api.send(.PUT, "/renovation-projects/\(id)/plan", as: "wangge", body: plan) { res in #expect(res.status == .forbidden) }
                _ = try await d.step(id, .cancel, reason: "并入下一批次")
                try await d.api.send(.PUT, "/renovation-projects/\(id)/plan", as: "qizheng", body: plan) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "plan_fixed")
                }
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationProject").count() == 4)
            }
        }

        // MARK: Helpers

        static func actor(_ app: Application, _ username: String) async throws -> Actor {
            try #require(try await User.query(on: app.db).filter(\.$username == username).first()).actor
        }

        /// A street officer `other` for the street office of `compound`.
        static func officer(_ app: Application, of compound: Compound) async throws {
            let user = User()
            user.username = "other"
            user.displayName = "另一街道 物业办"
            user.passwordHash = "unused"
            user.role = .streetOfficer
            user.$streetOffice.id = compound.$streetOffice.id
            try await user.create(on: app.db)
        }
    }
}
