import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Zoning workflow: locks, undo and redo, comments and exports, the console, the demo plan, concurrent edits")
    struct ZoningWorkflowTests {
        typealias Plan = Components.Schemas.ZoningPlan

        struct Client {
            let app: Application

            func request(_ method: HTTPMethod, _ path: String, as user: String?, body: (any Encodable)? = nil,
                         _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                var headers: HTTPHeaders = ["Content-Type": "application/json"]
                if let user { headers = .bearer(try await app.token(user)) }
                try await app.testing().test(method, "/api/v1" + path, headers: headers, beforeRequest: { req in
                    if let body { try req.json(body) }
                }, afterResponse: check)
            }

            func plan(_ method: HTTPMethod, _ path: String, as user: String? = "qizheng", body: (any Encodable)? = nil,
                      expect status: HTTPStatus = .ok) async throws -> Plan? {
                var plan: Plan?
                try await request(method, path, as: user, body: body) { res in
                    #expect(res.status == status, "\(method) \(path): \(res.body.string.prefix(300))")
                    if res.status == status, status.code < 300 { plan = try res.content.decode(Plan.self) }
                }
                return plan
            }

            func error(_ method: HTTPMethod, _ path: String, as user: String? = "qizheng", body: (any Encodable)? = nil,
                       expect status: HTTPStatus) async throws -> APIError.Inner? {
                var error: APIError.Inner?
                try await request(method, path, as: user, body: body) { res in
                    #expect(res.status == status, "\(method) \(path): \(res.body.string.prefix(300))")
                    error = res.apiError
                }
                return error
            }

            /// Applies one change and returns the plan as the edit left it.
            func edit(_ id: String, _ revision: Int, _ change: Components.Schemas.ZoningChange) async throws -> Plan? {
                var plan: Plan?
                try await request(.POST, "/zoning-plans/\(id)/edits", as: "qizheng", body: Components.Schemas.ZoningEdit(revision: revision, change: change)) { res in
                    #expect(res.status == .ok, "edit: \(res.body.string.prefix(300))")
                    if res.status == .ok { plan = try res.content.decode(Components.Schemas.ZoningEditResult.self).plan }
                }
                return plan
            }

            func generate(_ office: StreetOffice, as user: String = "qizheng") async throws -> Plan {
                try #require(try await plan(.POST, "/street-offices/\(office.id!)/zoning-plans", as: user,
                                            body: Components.Schemas.ZoningPlanRequest(minFloorArea: 40_000, maxFloorArea: 150_000), expect: .created))
            }
        }

        static func objection(_ phone: String = "13800001234", compound: String? = nil) -> Components.Schemas.ObjectionInput {
            .init(name: "张三", phone: phone, compoundId: compound, body: "我们小区不想和河对面的小区合成一个片区")
        }

        @Test("Locks survive between edits; undo and redo restore exact states; a stale undo changes nothing")
        func locksUndoRedo() async throws {
            try await withApp { app in
                let api = Client(app: app)
                let plan = try await api.generate(try await app.streetOffice(code: "QZ"))
                let id = plan.id
                let loaded = try await ZoningPlanService(app: app, actor: .testBureau).load(UUID(uuidString: id)!)
                let zone = try #require(loaded.report.zones.first { $0.compoundIDs.count >= 2 })
                let original = loaded.record.document

                let locked = try #require(try await api.edit(id, 1, .init(kind: .lock, zoneId: zone.id)))
                #expect(locked.lockedZones == [zone.id] && locked.canUndo && !locked.canRedo)
                // The lock is kept with the plan: a later request cannot move a compound out of the zone.
                let refused = try await api.error(.POST, "/zoning-plans/\(id)/edits", body: Components.Schemas.ZoningEdit(
                    revision: 2, change: .init(kind: .move, compoundId: zone.compoundIDs[0])), expect: .unprocessableEntity)
                #expect(refused?.message.contains("locked") == true)

                let split = try await api.error(.POST, "/zoning-plans/\(id)/edits", body: Components.Schemas.ZoningEdit(
                    revision: 2, change: .init(kind: .split, zoneId: zone.id)), expect: .unprocessableEntity)
                #expect(split?.code == "change_refused")
                let unlocked = try #require(try await api.edit(id, 2, .init(kind: .unlock, zoneId: zone.id)))
                #expect(unlocked.lockedZones.isEmpty && unlocked.revision == 3)
                let afterSplit = try #require(try await api.edit(id, 3, .init(kind: .split, zoneId: zone.id)))
                #expect(afterSplit.zones == plan.zones + 1)
                // Every zone is in a lot after the split, so the plan stays publishable.
                let full = try #require(try await api.plan(.GET, "/zoning-plans/\(id)"))
                #expect(full.zoneTable?.allSatisfy { $0.lot?.isEmpty == false } == true)

                let stale = try await api.error(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 3), expect: .conflict)
                #expect(stale?.code == "stale_revision")
                let undone = try #require(try await api.plan(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 4)))
                #expect(undone.zones == plan.zones && undone.canRedo && undone.lockedZones.isEmpty)
                let undone2 = try #require(try await api.plan(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 5)))
                #expect(undone2.lockedZones == [zone.id])
                let redone = try #require(try await api.plan(.POST, "/zoning-plans/\(id)/redo", body: Components.Schemas.RevisionRequest(revision: 6)))
                #expect(redone.lockedZones.isEmpty && redone.canRedo)
                _ = try await api.plan(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 7))
                _ = try await api.plan(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 8))
                let none = try await api.error(.POST, "/zoning-plans/\(id)/undo", body: Components.Schemas.RevisionRequest(revision: 9), expect: .conflict)
                #expect(none?.code == "nothing_to_undo")
                // Back at the start: the very document the planner wrote.
                let record = try #require(try await ZoningPlanRecord.find(UUID(uuidString: id), on: app.db))
                #expect(record.document == original && record.lockedZones.isEmpty)
                // A new edit after undoing drops what could have been redone.
                let moved = try #require(try await api.edit(id, 9, .init(kind: .lock, zoneId: zone.id)))
                #expect(!moved.canRedo)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "zoningPlan").filter(\.$entityID == UUID(uuidString: id)).count() == 10)
            }
        }

        @Test("Comments, comparison and exports; the notice prints with the map")
        func commentsCompareExports() async throws {
            try await withApp { app in
                let api = Client(app: app)
                let qz = try await app.streetOffice(code: "QZ")
                let v1 = try await api.generate(qz)
                let v2 = try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/versions", expect: .created))
                let loaded = try await ZoningPlanService(app: app, actor: .testBureau).load(UUID(uuidString: v2.id)!)
                let zone = try #require(loaded.report.zones.first { $0.compoundIDs.count >= 2 })
                _ = try await api.edit(v2.id, 1, .init(kind: .split, zoneId: zone.id))
                try await api.request(.GET, "/zoning-plans/\(v1.id)/compare?other=\(v2.id)", as: "qizheng") { res in
                    let c = try res.content.decode(Components.Schemas.ZoningComparison.self)
                    #expect(c.sameZones == v1.zones - 1)
                    #expect(Set(c.changedCompounds) == Set(zone.compoundIDs))
                    #expect(c.onlyInA.isEmpty && c.onlyInB.isEmpty)
                }
                let other = try await app.streetOffice(code: "HY")
                let hy = try await api.generate(other, as: "admin")
                _ = try await api.error(.GET, "/zoning-plans/\(v1.id)/compare?other=\(hy.id)", as: "admin", expect: .unprocessableEntity)

                _ = try await api.error(.POST, "/zoning-plans/\(v1.id)/comments", body: Components.Schemas.CommentInput(body: "  "), expect: .unprocessableEntity)
                try await api.request(.POST, "/zoning-plans/\(v1.id)/comments", as: "admin", body: Components.Schemas.CommentInput(body: "北片请与社区再核对")) { res in
                    #expect(res.status == .created)
                }
                try await api.request(.GET, "/zoning-plans/\(v1.id)/comments", as: "qizheng") { res in
                    let comments = try res.content.decode([Components.Schemas.ZoningComment].self)
                    #expect(comments.map(\.author) == ["admin"] && comments[0].body == "北片请与社区再核对")
                }

                try await api.request(.GET, "/zoning-plans/\(v1.id)/csv", as: "qizheng") { res in
                    let rows = try CSV.parse(res.body.string)
                    #expect(rows.count == loaded.problem.compounds.count + 1)
                    #expect(rows[0].fields.prefix(5) == ["code", "name", "kind", "zone", "lot"])
                    #expect(rows.dropFirst().allSatisfy { !$0.fields[3].isEmpty && !$0.fields[4].isEmpty })
                }
                try await api.request(.GET, "/zoning-plans/\(v1.id)/csv?table=zones", as: "qizheng") { res in
                    let rows = try CSV.parse(res.body.string)
                    #expect(rows.count == v1.zones + 1)
                }
                try await api.request(.GET, "/zoning-plans/\(v1.id)/notice", as: "qizheng") { res in
                    let html = res.body.string
                    #expect(res.status == .ok && html.contains("@page") && html.contains("<svg") && html.contains("七政"))
                    #expect(html.components(separatedBy: "<polygon class='zone").count - 1 == v1.zones)
                }
            }
        }

        @Test("Console: generate, move live, refusals as text, publish, and the public page without login")
        func console() async throws {
            try await withApp { app in
                let session = try await ConsoleTests().login(app, "qizheng")
                var headers: HTTPHeaders = ["Cookie": session.cookie.cookieHeader]
                let qz = try await app.streetOffice(code: "QZ")
                var location = ""
                try await app.testing().test(.GET, "/console/zoning", headers: headers) { res in
                    #expect(res.status == .seeOther)
                    #expect(res.headers.first(name: .location) == "/console/zoning/street-offices/\(qz.id!.uuidString)")
                }
                try await app.testing().test(.GET, "/console/zoning/street-offices/\(qz.id!)", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("compounds[]"))
                }
                // Bad bands come back on the form, named, and nothing is created.
                try await app.testing().test(.POST, "/console/zoning/street-offices/\(qz.id!)/plans", headers: headers, beforeRequest: { req in
                    try req.content.encode(["_csrf": session.csrf, "minFloorArea": "90000", "maxFloorArea": "50000", "zonesPerLot": "3"], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("minFloorArea"))
                }
                #expect(try await ZoningPlanRecord.query(on: app.db).filter(\.$streetOffice.$id == qz.id!).count() == 0)
                try await app.testing().test(.POST, "/console/zoning/street-offices/\(qz.id!)/plans", headers: headers, beforeRequest: { req in
                    try req.content.encode(["_csrf": session.csrf, "minFloorArea": "40000", "maxFloorArea": "150000", "zonesPerLot": "3",
                                            "compounds[]": "QZ-001"], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .seeOther)
                    location = res.headers.first(name: .location) ?? ""
                }
                #expect(location.hasPrefix("/console/zoning/plans/"))
                let planID = String(location.split(separator: "/").last!)
                let record = try #require(try await ZoningPlanRecord.find(UUID(uuidString: planID), on: app.db))
                #expect(try ZoningPlanService.decode(record).0.compounds.map(\.id) == ["QZ-001"])

                // A full plan to work on.
                let full = try await Client(app: app).generate(qz)
                let loaded = try await ZoningPlanService(app: app, actor: .testBureau).load(UUID(uuidString: full.id)!)
                try await app.testing().test(.GET, "/console/zoning/plans/\(full.id)", headers: headers) { res in
                    let html = res.body.string
                    #expect(res.status == .ok)
                    #expect(html.contains("data-zoning-map") && html.components(separatedBy: "data-compound=").count - 1 == loaded.problem.compounds.count)
                    #expect(html.components(separatedBy: "<tr data-zone=").count - 1 == full.zones)
                }
                // A move the editor accepts: a compound on the border of a neighbouring zone.
                let (compound, target) = try #require(Self.acceptableMove(loaded))
                headers.add(name: "X-Live", value: "1")
                headers.add(name: "X-CSRF-Token", value: session.csrf)
                try await app.testing().test(.POST, "/console/zoning/plans/\(full.id)/change", headers: headers, beforeRequest: { req in
                    try req.content.encode(["revision": "1", "kind": "move", "compoundId": compound, "zoneId": target], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .ok)
                    let html = res.body.string
                    #expect(!html.contains("<html") && html.contains("name=\"revision\" value=\"2\""))
                    #expect(html.contains("data-compound='\(compound)' data-zone='\(target)'"))
                }
                try await app.testing().test(.POST, "/console/zoning/plans/\(full.id)/change", headers: headers, beforeRequest: { req in
                    try req.content.encode(["revision": "1", "kind": "lock", "zoneId": target], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .conflict)
                    #expect(res.headers.first(name: "X-Error-Code") == "stale_revision")
                }
                try await app.testing().test(.POST, "/console/zoning/plans/\(full.id)/change", headers: headers, beforeRequest: { req in
                    try req.content.encode(["revision": "2", "kind": "move", "compoundId": "NOPE", "zoneId": target], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("NOPE"))
                }
                headers.remove(name: "X-Live")
                try await app.testing().test(.POST, "/console/zoning/plans/\(full.id)/publish", headers: headers, beforeRequest: { req in
                    try req.content.encode(["revision": "2", "noticeDays": "10"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }

                // The public page: no cookie, the map, the zones, the dates, the objection form.
                try await app.testing().test(.GET, "/public/zoning/\(full.id)") { res in
                    let html = res.body.string
                    #expect(res.status == .ok && html.contains("<svg") && html.contains("objection-form"))
                    #expect(html.contains(Calendar.shanghai.day(app.clock.now())))
                }
                try await app.testing().test(.POST, "/public/zoning/\(full.id)/objections", beforeRequest: { req in
                    try req.content.encode(["name": "", "phone": "1", "body": "短"], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("phone"))
                }
                try await app.testing().test(.POST, "/public/zoning/\(full.id)/objections", beforeRequest: { req in
                    try req.content.encode(["name": "李四", "phone": "138 0000 5678", "body": "片区太大，服务站太远"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.GET, "/console/zoning/plans/\(full.id)", headers: headers) { res in
                    #expect(res.body.string.contains("片区太大，服务站太远") && res.body.string.contains("13800005678"))
                }
                // A department officer sees no draft and no plan under notice in the console.
                let dept = try await ConsoleTests().login(app, "gongre")
                try await app.testing().test(.GET, "/console/zoning/plans/\(planID)", headers: ["Cookie": dept.cookie.cookieHeader]) { res in
                    #expect(res.status == .notFound)
                }
                try await app.testing().test(.GET, "/public/zoning/\(planID)") { res in #expect(res.status == .notFound) }
            }
        }

        @Test("The demo district has 花园街道's plan adopted months ago: areas in force, lots open, on the public list")
        func demoPlan() async throws {
            try await withApp { app in
                let hy = try await app.streetOffice(code: "HY")
                let plans = try await ZoningPlanRecord.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).all()
                let plan = try #require(plans.first)
                #expect(plans.count == 1 && plan.status == .adopted)
                let today = Calendar.shanghai.day(app.clock.now())
                #expect(plan.noticeStart! < plan.noticeEnd! && plan.noticeEnd! < plan.adoptedOn! && plan.adoptedOn! < today)
                let loaded = try await ZoningPlanService(app: app, actor: .testBureau).load(plan.id!)
                let areas = try await ManagementArea.query(on: app.db).filter(\.$plan.$id == plan.id!).filter(\.$endDate == nil).count()
                #expect(areas == loaded.report.zones.count && areas > 5)
                #expect(try await TenderLot.query(on: app.db).filter(\.$plan.$id == plan.id!).filter(\.$status == .open).count() == loaded.report.lots.count)
                let withoutCompany = try await Compound.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).all().filter { $0.management.needsCompany }
                let open = try await ZoningPlanService.currentAreas(of: withoutCompany.map { $0.id! }, on: app.db)
                #expect(open.count == withoutCompany.count)
                try await Client(app: app).request(.GET, "/public/zoning-plans", as: nil) { res in
                    let listed = try res.content.decode([Plan].self)
                    #expect(listed.map(\.id) == [plan.id!.uuidString])
                }
            }
        }

        @Test("Two officers changing one revision at the same moment: exactly one change lands")
        func concurrentEdits() async throws {
            try await withApp { app in
                let plan = try await Client(app: app).generate(try await app.streetOffice(code: "QZ"))
                let id = try #require(UUID(uuidString: plan.id))
                let loaded = try await ZoningPlanService(app: app, actor: .testBureau).load(id)
                let zones = loaded.report.zones.map(\.id)
                let results = await withTaskGroup(of: Bool.self) { group in
                    for zone in zones.prefix(4) {
                        group.addTask {
                            do {
                                _ = try await ZoningPlanService(app: app, actor: .testBureau).edit(id, revision: 1, change: .lockZone(zone))
                                return true
                            } catch let error as DomainError {
                                return error.code == "stale_revision" ? false : true
                            } catch { return true }
                        }
                    }
                    var all: [Bool] = []
                    for await r in group { all.append(r) }
                    return all
                }
                #expect(results.filter { $0 }.count == 1)
                let record = try #require(try await ZoningPlanRecord.find(id, on: app.db))
                #expect(record.revision == 2 && record.lockedZones.count == 1)
                #expect(try await ZoningSnapshot.query(on: app.db).filter(\.$plan.$id == id).count() == 2)
            }
        }

        /// A compound whose move to a neighbouring zone keeps its own zone connected.
        static func acceptableMove(_ loaded: ZoningPlanService.Loaded) -> (String, String)? {
            for (v, c) in loaded.problem.compounds.enumerated() {
                var editor = ZoningEditor(problem: loaded.problem, graph: loaded.graph, plan: loaded.plan)
                let from = loaded.plan.zoneOf[v]
                for u in loaded.graph.neighbors[v] where loaded.plan.zoneOf[u] != from {
                    let target = loaded.plan.zoneIDs[loaded.plan.zoneOf[u]]
                    if editor.apply(.move(compound: c.id, toZone: target)).refusal == nil { return (c.id, target) }
                }
            }
            return nil
        }
    }
}

extension Actor {
    /// Reads plans in tests without going through a user.
    static let testBureau = Actor(userID: UUID(), username: "test", role: .bureauAdmin)
}
