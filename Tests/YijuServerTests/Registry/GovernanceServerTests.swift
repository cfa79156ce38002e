import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Registry: a compound's committee and representatives (居民自治), kept by its street office, phones masked for the other readers")
    struct GovernanceServerTests {
        typealias Governance = Components.Schemas.CompoundGovernance

        static func input(members: Int = 5, directors: Int = 1, termEnd: String = "2029-05-31", building: Int? = 1) -> Components.Schemas.CompoundGovernanceInput {
            .init(body: .init(kind: .ownersCommittee, termStart: "2024-06-01", termEnd: termEnd, members: (0..<members).map { i in
                .init(position: i < directors ? .director : .member, name: "委员\(i + 1)", phone: "138 0451 000\(i)", building: building)
            }), representatives: [.init(role: .yardHead, name: "李桂芝", phone: "13904512222"),
                                  .init(role: .buildingHead, name: "王强", phone: "13604513333", building: 2)])
        }

        /// A compound of 七政 with buildings 1 to 3 at least.
        static func compound(_ app: Application) async throws -> Compound {
            let qz = try await app.streetOffice(code: "QZ")
            return try #require(try await Compound.query(on: app.db).filter(\.$streetOffice.$id == qz.requireID()).filter(\.$buildings >= 3).sort(\.$code).first())
        }

        @Test("The officer saves it whole and reads the phones; a grid worker reads them masked and may not save; another office does not see it; audited")
        func saveAndRead() async throws {
            try await withApp(demo: true) { app in
                _ = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                let compound = try await Self.compound(app)
                let id = try compound.requireID()
                let path = "/compounds/\(id)/governance"
                try await api.send(.GET, path, as: "qizheng") { res in
                    let g = try res.content.decode(Governance.self)
                    #expect(res.status == .ok && g.body == nil && g.representatives.isEmpty && !g.phonesMasked)
                }
                try await api.send(.PUT, path, as: "qizheng", body: Self.input()) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(400))")
                    let g = try res.content.decode(Governance.self)
                    #expect(g.body?.members.first?.phone == "13804510000" && g.inTerm == true && g.updatedBy == "qizheng")
                }
                try await api.send(.GET, path, as: "wangge") { res in
                    let g = try res.content.decode(Governance.self)
                    #expect(g.phonesMasked && g.representatives.map(\.phone) == ["139****2222", "136****3333"])
                    #expect(g.body?.members.count == 5 && g.body?.members.first?.phone == "138****0000")
                }
                try await api.send(.PUT, path, as: "wangge", body: Self.input()) { res in #expect(res.status == .forbidden) }
                try await api.send(.PUT, path, as: "zhengyi", body: Self.input()) { res in #expect(res.status == .forbidden || res.status == .notFound) }
                try await RenovationProjectTests.officer(app, of: try #require(try await Compound.query(on: app.db)
                    .filter(\.$streetOffice.$id != compound.$streetOffice.id).first()))
                try await api.send(.GET, path, as: "other") { res in #expect(res.status == .notFound) }
                try await api.send(.PUT, path, as: "other", body: Self.input()) { res in #expect(res.status == .notFound) }
                let audits = try await AuditEntry.query(on: app.db).filter(\.$entityType == "compoundGovernance").all()
                #expect(audits.count == 1 && audits[0].actorName == "qizheng" && audits[0].after?.contains("李桂芝") == true)

                // A management committee replaces the owners' committee; the bureau may save it too.
                var next = Self.input(members: 3)
                next.body?.kind = .managementCommittee
                next.representatives = []
                try await api.send(.PUT, path, as: "admin", body: next) { res in
                    let g = try res.content.decode(Governance.self)
                    #expect(res.status == .ok && g.body?.kind == .managementCommittee && g.representatives.isEmpty)
                }
                #expect(try await CompoundGovernanceRecord.query(on: app.db).count() == 1)
            }
        }

        @Test("Every wrong field is named and nothing is saved: an even committee, two directors, a building the compound has not, a term past five years")
        func refusals() async throws {
            try await withApp(demo: true) { app in
                let api = CaseTests.API(app: app)
                let compound = try await Self.compound(app)
                let path = "/compounds/\(try compound.requireID())/governance"
                var input = Self.input(members: 6, directors: 2, termEnd: "2030-01-01")
                input.representatives.append(.init(role: .buildingHead, name: "赵六", phone: "12345", building: compound.buildings + 1))
                try await api.send(.PUT, path, as: "qizheng", body: input) { res in
                    #expect(res.status == .unprocessableEntity)
                    let fields = res.apiError?.details.map(\.field) ?? []
                    #expect(fields == ["body.termEnd", "body.members", "body.members", "representatives[2].phone", "representatives[2].building"])
                }
                #expect(try await CompoundGovernanceRecord.query(on: app.db).count() == 0)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "compoundGovernance").count() == 0)
            }
        }

        @Test("The console: the page from the compound's file, the lines form with a bad line named by its number, then saved and shown")
        func console() async throws {
            try await withApp(demo: true) { app in
                _ = TestClock.mondayMorning(on: app)
                let compound = try await Self.compound(app)
                let page = "/console/compounds/\(try compound.requireID())/governance"
                let officer = try await ConsoleTests().login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                try await app.testing().test(.GET, "/console/compounds/\(try compound.requireID())", headers: headers) { res in
                    #expect(res.body.string.contains("href=\"\(page)\"") && res.body.string.contains("<dt>业主组织</dt><dd>未成立</dd>"))
                }
                var form = ["_csrf": officer.csrf, "kind": "ownersCommittee", "termStart": "2024-06-01", "termEnd": "2029-05-31",
                            "members": "主任 张建国 138 0451 0001 3号楼\n委员 李梅 13804510002\n\n委员 王五 13804510003\n委员 赵六\n委员 钱七 13804510005",
                            "representatives": "楼院长 李桂芝 13904512222\n楼栋长 王强 13604513333 2号楼"]
                func post(_ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, page, headers: headers, beforeRequest: { req in
                        try req.content.encode(form, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                // Line 5 has no phone: named by its number, what was typed kept.
                try await post { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("(行 5)") && res.body.string.contains("钱七 13804510005"))
                }
                form["members"] = "主任 张建国 138 0451 0001 3号楼\n委员 李梅 13804510002\n\n委员 王五 13804510003\n委员 赵六 12\n委员 钱七 13804510005"
                try await post { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("(行 5)") && res.body.string.contains("phone"))
                }
                #expect(try await CompoundGovernanceRecord.query(on: app.db).count() == 0)
                form["members"] = "主任 张建国 138 0451 0001 3号楼\n委员 李梅 13804510002\n\n委员 王五 13804510003\n委员 赵六 13804510004\n委员 钱七 13804510005"
                try await post { res in #expect(res.status == .seeOther) }
                let saved = try #require(try await CompoundGovernanceRecord.query(on: app.db).first()).governance
                #expect(saved.body?.members.first == .init(position: .director, name: "张建国", phone: "13804510001", building: 3))
                #expect(saved.representatives.last == .init(role: .buildingHead, name: "王强", phone: "13604513333", building: 2))
                try await app.testing().test(.GET, page, headers: headers) { res in
                    let html = res.body.string
                    #expect(html.contains("业主委员会") && html.contains("13804510001") && html.contains("id=\"governance-form\""))
                }
                try await app.testing().test(.GET, "/console/compounds/\(try compound.requireID())", headers: headers) { res in
                    #expect(res.body.string.contains("<dt>业主组织</dt><dd>业主委员会 · 任期结束 2029-05-31</dd>"))
                }
                let worker = try await ConsoleTests().login(app, "wangge")
                try await app.testing().test(.GET, page, headers: ["Cookie": worker.cookie.cookieHeader]) { res in
                    let html = res.body.string
                    #expect(html.contains("138****0001") && !html.contains("13804510001") && !html.contains("id=\"governance-form\""))
                }
            }
        }

        @Test("The completion check's form names the residents' signers from the compounds' committees and yard heads")
        func acceptanceSigners() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app, households: 6)
                try await c.toAcceptance()
                var input = Self.input(building: nil)
                input.representatives = [.init(role: .yardHead, name: "李桂芝", phone: "13904512222")]
                try await c.d.api.send(.PUT, "/compounds/\(try c.d.first.requireID())/governance", as: "qizheng", body: input) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(300))")
                }
                let officer = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation/\(c.id)/acceptance", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    let html = res.body.string
                    #expect(html.contains("\(c.d.first.name) 业主委员会主任 委员1") && html.contains("\(c.d.first.name) 楼院长 李桂芝"))
                }
            }
        }
    }
}
