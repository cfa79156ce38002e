import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation grids (改造网格): drawn by the street office, whose members see the grid's projects and record its fieldwork")
    struct GridTests {
        typealias Grid = Components.Schemas.RenovationGrid
        typealias Consulting = ConsultationTests.Consulting

        /// 七政's grid over the project's first compound: its officer (name from the account),
        /// its grid worker, 正一物业's staff, and two residents without accounts.
        static func input(_ c: Consulting, code: String = "WG-QZ-01", compounds: [Compound]? = nil,
                          members: [Components.Schemas.GridMemberInput]? = nil) throws -> Components.Schemas.RenovationGridCreate {
            .init(value1: .init(code: code, name: "七政第一改造网格",
                                members: members ?? [
                                    .init(side: .streetOffice, phone: "0451-8888 0001", username: "qizheng"),
                                    .init(side: .community, name: "网格员小王", phone: "13904510002", username: "wangge"),
                                    .init(side: .company, name: "正一物业 刘经理", phone: "13904510003", username: "zhengyi"),
                                    .init(side: .ownersCommittee, name: "张建国", phone: "13804510004"),
                                    .init(side: .residents, name: "李桂芝", phone: "+86 139 0451 0005"),
                                ],
                                compoundIds: try (compounds ?? [c.d.first]).map { try $0.requireID().uuidString }),
                  value2: .init(streetOfficeId: c.d.first.$streetOffice.id.uuidString))
        }

        func create(_ c: Consulting, _ body: Components.Schemas.RenovationGridCreate, as user: String = "qizheng",
                    expect status: HTTPStatus = .created) async throws -> (Grid?, APIError.Inner?) {
            var grid: Grid?, error: APIError.Inner?
            try await c.d.api.send(.POST, "/renovation-grids", as: user, body: body) { res in
                #expect(res.status == status, "\(res.body.string.prefix(600))")
                if res.status == .created { grid = try res.content.decode(Grid.self) } else { error = res.apiError }
            }
            return (grid, error)
        }

        @Test("Members with an account read the grid's projects and record visits and opinions, but not answers or publications; the rest stays out; audited")
        func membersSeeAndAct() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let project = "/renovation-projects/\(c.id)"
                // Before the grid: the company's staff do not see the project; the grid worker reads it but records nothing.
                try await c.d.api.send(.GET, project, as: "zhengyi") { res in #expect(res.status == .notFound) }
                _ = try await c.post("visits", Self.visit(c), as: "wangge", expect: .forbidden)

                let (grid, _) = try await create(c, try Self.input(c))
                let g = try #require(grid)
                #expect(g.members.map(\.name) == ["七政街道 物业办", "网格员小王", "正一物业 刘经理", "张建国", "李桂芝"])
                #expect(g.members.map(\.phone) == ["045188880001", "13904510002", "13904510003", "13804510004", "13904510005"] && !g.phonesMasked)
                #expect(g.members.map(\.username) == ["qizheng", "wangge", "zhengyi", nil, nil])
                let firstID = try c.d.first.requireID().uuidString
                #expect(g.projects.map(\.id) == [c.id] && g.compounds.map(\.id) == [firstID])

                // Now the company's staff read it, list it and record the fieldwork by their own name.
                try await c.d.api.send(.GET, project, as: "zhengyi") { res in #expect(res.status == .ok) }
                try await c.d.api.send(.GET, "/renovation-projects", as: "zhengyi") { res in
                    let list = try res.content.decode([Components.Schemas.RenovationProjectSummary].self)
                    #expect(list.map(\.id) == [c.id])
                }
                let (visit, _) = try await c.post("visits", Self.visit(c), as: "zhengyi")
                #expect(visit?.recordedBy == "zhengyi")
                _ = try await c.post("visits", Self.visit(c, room: "302"), as: "wangge")
                _ = try await c.meeting()
                let (opinion, _) = try await c.post("opinions", Components.Schemas.RenovationOpinionInput(
                    round: 1, channel: .visit, day: c.today, text: "楼道灯常坏", person: "2号楼 住户", items: ["stairwellLighting"]), as: "zhengyi")
                let opinionID = try #require(opinion?.id)
                // What changes the plan stays the street office's.
                _ = try await c.post("opinions/\(opinionID)/answer", Components.Schemas.RenovationAnswerInput(outcome: .declined, day: c.today, text: "另行安排"),
                                     as: "zhengyi", expect: .forbidden)
                _ = try await c.post("rounds/1", Components.Schemas.RenovationRoundStepInput(step: .collect, day: c.today, summary: "第1轮"),
                                     as: "wangge", expect: .forbidden)
                try await c.d.api.send(.POST, "\(project)/transitions", as: "zhengyi",
                                       body: Components.Schemas.RenovationTransitionInput(transition: .cancel, reason: "试")) { res in
                    #expect(res.status == .forbidden)
                }

                // The grid itself: members read it with phones masked; another street office does not see it.
                let gridPath = "/renovation-grids/\(g.grid.id)"
                try await c.d.api.send(.GET, gridPath, as: "zhengyi") { res in
                    let read = try res.content.decode(Grid.self)
                    #expect(read.phonesMasked && read.members[3].phone == "138****0004")
                }
                try await c.d.api.send(.GET, "/renovation-grids", as: "zhengyi") { res in
                    let list = try res.content.decode([Components.Schemas.RenovationGridSummary].self)
                    #expect(list.map(\.code) == ["WG-QZ-01"])
                }
                try await RenovationProjectTests.officer(app, of: c.d.elsewhere)
                try await c.d.api.send(.GET, gridPath, as: "other") { res in #expect(res.status == .notFound) }
                try await c.d.api.send(.GET, "/renovation-grids", as: "other") { res in
                    let list = try res.content.decode([Components.Schemas.RenovationGridSummary].self)
                    #expect(list.isEmpty)
                }
                // Another company's staff still see nothing of it.
                try await c.d.api.send(.GET, project, as: "shigong") { res in #expect(res.status == .notFound) }

                let audits = try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationGrid").all()
                #expect(audits.count == 1 && audits[0].actorName == "qizheng" && audits[0].after?.contains("张建国") == true)
            }
        }

        @Test("A new roster replaces the old whole: a member taken off loses the grid's projects; only the street office edits; audited before and after")
        func rosterReplaced() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let g = try #require(try await create(c, try Self.input(c)).0)
                let path = "/renovation-grids/\(g.grid.id)"
                var next = try Self.input(c).value1
                next.members.removeAll { $0.username == "zhengyi" }
                next.name = "七政一网格"
                try await c.d.api.send(.PUT, path, as: "wangge", body: next) { res in #expect(res.status == .forbidden) }
                try await c.d.api.send(.PUT, path, as: "zhengyi", body: next) { res in #expect(res.status == .forbidden) }
                try await c.d.api.send(.PUT, path, as: "qizheng", body: next) { res in
                    #expect(res.status == .ok)
                    let read = try res.content.decode(Grid.self)
                    #expect(read.grid.name == "七政一网格" && read.members.count == 4 && read.updatedBy == "qizheng")
                }
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)", as: "zhengyi") { res in #expect(res.status == .notFound) }
                try await c.d.api.send(.GET, path, as: "zhengyi") { res in #expect(res.status == .notFound) }
                #expect(try await RenovationGridMember.query(on: app.db).count() == 4)
                let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationGrid").filter(\.$action == "update").first())
                #expect(audit.before?.contains("正一物业 刘经理") == true && audit.after?.contains("正一物业 刘经理") == false)
            }
        }

        @Test("Every wrong field is named and nothing is saved: no street-office member, accounts on the wrong side, a stranger, another office's compound, a compound of another grid, a taken code")
        func refusals() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let body = try Self.input(c, compounds: [c.d.first, c.d.elsewhere], members: [
                    .init(side: .community, name: "张三", phone: "12", username: "zhengyi"),
                    .init(side: .residents, name: "李四", phone: "13904510002", username: "wangge"),
                    .init(side: .company, name: "", phone: "13904510003", username: "nobody"),
                ])
                let (_, error) = try await create(c, body, expect: .unprocessableEntity)
                let fields = error?.details.map(\.field) ?? []
                #expect(Set(fields) == ["members", "members[0].username", "members[0].phone", "members[1].username",
                                        "members[2].username", "members[2].name", "compoundIds[1]"], "\(fields)")
                #expect(error?.details.first { $0.field == "members[0].username" }?.reason.contains("Grid worker") == true)
                #expect(try await RenovationGrid.query(on: app.db).count() == 0)
                #expect(try await RenovationGridMember.query(on: app.db).count() == 0)

                // A grid worker of 七政 may sit for the community, but not draw a grid.
                _ = try await create(c, try Self.input(c), as: "wangge", expect: .forbidden)
                _ = try await create(c, try Self.input(c))
                let (_, taken) = try await create(c, try Self.input(c, code: "WG-QZ-01", compounds: [c.d.first, c.d.second]), expect: .unprocessableEntity)
                #expect(Set(taken?.details.map(\.field) ?? []) == ["code", "compoundIds[0]"])
                #expect(taken?.details.first { $0.field == "compoundIds[0]" }?.reason.contains("WG-QZ-01") == true)
                #expect(try await RenovationGrid.query(on: app.db).count() == 1)
            }
        }

        @Test("In the console: the officer draws a grid from roster lines (a bad line named by its number), and a member's consultation page offers the fieldwork forms only")
        func console() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                let first = try c.d.first.requireID()
                func post(_ path: String, _ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await app.testing().test(.GET, "/console/renovation", headers: headers) { res in
                    #expect(res.body.string.contains("/console/renovation/grids"))
                }
                try await app.testing().test(.GET, "/console/renovation/grids/new", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("name=\"compound.\(first)\"") && !res.body.string.contains(c.d.elsewhere.code))
                }
                var form = ["code": "WG-QZ-01", "name": "七政第一改造网格", "compound.\(first)": "on",
                            "members": "街道 李明 13804510001 @qizheng\n\n企业 正一 13904510003 @zhengyi\n居民代表 李桂芝"]
                try await post("/console/renovation/grids/new", form) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("(行 4)") && res.body.string.contains("李桂芝"))
                }
                form["members"] = "街道 李明 13804510001 @qizheng\n企业 正一 139 0451 0003 @zhengyi\n居民代表 李桂芝 13904510005 @wangge"
                try await post("/console/renovation/grids/new", form) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("(行 3)"))
                }
                form["members"] = "街道 李明 13804510001 @qizheng\n企业 正一 139 0451 0003 @zhengyi\n居民代表 李桂芝 13904510005"
                var location = ""
                try await post("/console/renovation/grids/new", form) { res in
                    #expect(res.status == .seeOther, "\(res.body.string.suffix(800))")
                    location = res.headers.first(name: .location) ?? ""
                }
                let grid = try #require(try await RenovationGrid.query(on: app.db).first())
                #expect(location == "/console/renovation/grids/\(grid.id!)")
                try await app.testing().test(.GET, location, headers: headers) { res in
                    let page = res.body.string
                    #expect(page.contains("李桂芝") && page.contains("13904510005") && page.contains("/console/renovation/\(c.id)") && page.contains("grid-form"))
                }

                try await app.testing().test(.GET, "/console/renovation/\(c.id)/consultation", headers: headers) { res in
                    #expect(res.body.string.contains("name=\"kind\" value=\"round\"") && res.body.string.contains("name=\"kind\" value=\"notice\""))
                }
                let member = try await console.login(app, "zhengyi")
                let memberHeaders: HTTPHeaders = ["Cookie": member.cookie.cookieHeader]
                try await app.testing().test(.GET, location, headers: memberHeaders) { res in
                    #expect(res.status == .ok && res.body.string.contains("139****0005") && !res.body.string.contains("grid-form"))
                }
                try await app.testing().test(.GET, "/console/renovation/\(c.id)/consultation", headers: memberHeaders) { res in
                    let page = res.body.string
                    #expect(res.status == .ok && page.contains("value=\"visit\"") && page.contains("value=\"opinion\""))
                    #expect(!page.contains("name=\"kind\" value=\"round\"") && !page.contains("name=\"kind\" value=\"notice\"") && page.contains("name=\"kind\" value=\"visit\""))
                }
            }
        }

        static func visit(_ c: Consulting, room: String = "301") throws -> Components.Schemas.RenovationVisitInput {
            .init(compoundId: try c.d.first.requireID().uuidString, building: 1, unit: "2", room: room, day: c.today,
                  requests: "希望加装电梯", items: ["elevator"])
        }
    }
}
