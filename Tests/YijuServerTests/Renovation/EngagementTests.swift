import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: contractors (参建单位) in the registry, engaged on projects, and what their staff see")
    struct EngagementTests {
        typealias Project = Components.Schemas.RenovationProject

        /// The demo's contractors by kind, and the contractor user's company (宜建建筑, construction).
        struct Contractors {
            let builder: Company, otherBuilder: Company, designer: Company, supervisor: Company, manager: Company

            init(_ app: Application) async throws {
                let all = try await Company.query(on: app.db).filter(\.$kind != .property).sort(\.$name).all()
                let shigong = try #require(try await User.query(on: app.db).filter(\.$username == "shigong").first())
                let builder = try #require(all.first { $0.id == shigong.$company.id })
                self.builder = builder
                otherBuilder = try #require(all.first { $0.kind == .construction && $0.id != builder.id })
                designer = try #require(all.first { $0.kind == .design })
                supervisor = try #require(all.first { $0.kind == .supervision })
                manager = try #require(try await Company.properties(on: app.db).sort(\.$name).first())
            }
        }

        static func input(_ role: Components.Schemas.ContractorRole, _ company: Company, lead: String = "王建国",
                          phone: String = "138 0451 2233") throws -> Components.Schemas.EngagementInput {
            .init(role: role, companyId: try company.requireID().uuidString, leadName: lead, leadPhone: phone)
        }

        func engage(_ d: RenovationProjectTests.District, _ id: String, _ engagements: [Components.Schemas.EngagementInput],
                    as user: String = "qizheng", expect status: HTTPStatus = .ok) async throws -> (Project?, APIError.Inner?) {
            var project: Project?, error: APIError.Inner?
            try await d.api.send(.PUT, "/renovation-projects/\(id)/engagements", as: user,
                                 body: Components.Schemas.EngagementsInput(engagements: engagements)) { res in
                #expect(res.status == status, "\(user): \(res.body.string.prefix(500))")
                if res.status == .ok { project = try res.content.decode(Project.self) } else { error = res.apiError }
            }
            return (project, error)
        }

        @Test("The officer engages a designer, a builder and a supervisor; the builder's staff then see that project alone, and change nothing")
        func engageAndSee() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let c = try await Contractors(app)
                let id = try #require(try await d.create(try d.input()).0).project.id
                let (other, _) = try await d.create(try d.input(code: "QZ-2026-02", compounds: [try await app.compound(code: "QZ-003")]))
                _ = try #require(other)

                // Not engaged yet: the contractor's staff do not know the project exists.
                try await d.api.send(.GET, "/renovation-projects/\(id)", as: "shigong") { res in #expect(res.status == .notFound) }
                try await d.api.send(.GET, "/renovation-projects", as: "shigong") { res in
                    let decoded = try res.content.decode([Components.Schemas.RenovationProjectSummary].self)
                    #expect(decoded.isEmpty)
                }

                let (project, _) = try await engage(d, id, [try Self.input(.construction, c.builder), try Self.input(.design, c.designer, lead: "李工", phone: "0451-86001234"),
                                                             try Self.input(.supervision, c.supervisor, lead: "张监理")])
                let engaged = try #require(project).engagements
                #expect(engaged.map(\.role) == [.design, .construction, .supervision])
                #expect(engaged[1].companyName == c.builder.name && engaged[1].leadPhone == "13804512233" && engaged[0].leadPhone == "045186001234")
                let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationEngagements").first())
                #expect(audit.actorName == "qizheng" && audit.after?.contains("13804512233") == true)

                try await d.api.send(.GET, "/renovation-projects", as: "shigong") { res in
                    let decoded = try res.content.decode([Components.Schemas.RenovationProjectSummary].self)
                    #expect(decoded.map(\.id) == [id])
                }
                try await d.api.send(.GET, "/renovation-projects/\(id)", as: "shigong") { res in #expect(res.status == .ok) }
                try await d.api.send(.GET, "/renovation-projects/\(try #require(other).project.id)", as: "shigong") { res in #expect(res.status == .notFound) }
                // Reading is all: the steps and the contractors are the street office's.
                _ = try await d.step(id, .startConsultation, as: "shigong", expect: .forbidden)
                _ = try await engage(d, id, [], as: "shigong", expect: .forbidden)
                _ = try await engage(d, id, [], as: "wangge", expect: .forbidden)
                // The registry is not theirs: a compound's record stays hidden.
                try await d.api.send(.GET, "/compounds/\(try d.first.requireID())", as: "shigong") { res in #expect(res.status == .notFound) }

                // Replaced whole: another builder, the design part left open; the first builder loses sight of the project.
                let (changed, _) = try await engage(d, id, [try Self.input(.construction, c.otherBuilder)])
                #expect(try #require(changed).engagements.map(\.companyName) == [c.otherBuilder.name])
                try await d.api.send(.GET, "/renovation-projects/\(id)", as: "shigong") { res in #expect(res.status == .notFound) }
            }
        }

        @Test("Each part needs a company of its kind, once, with a lead and a phone; a refused set changes nothing; a closed project's are fixed")
        func refusals() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let c = try await Contractors(app)
                let id = try #require(try await d.create(try d.input()).0).project.id
                _ = try await engage(d, id, [try Self.input(.construction, c.builder)])

                let (_, kind) = try await engage(d, id, [try Self.input(.construction, c.designer)], expect: .unprocessableEntity)
                #expect(kind?.details.first?.field == "engagements[0].companyId" && kind?.details.first?.reason.contains("design company") == true)
                let (_, property) = try await engage(d, id, [try Self.input(.supervision, c.manager)], expect: .unprocessableEntity)
                #expect(property?.details.first?.reason.contains("property company") == true)
                let (_, twice) = try await engage(d, id, [try Self.input(.construction, c.builder), try Self.input(.construction, c.otherBuilder)],
                                                  expect: .unprocessableEntity)
                #expect(twice?.details.map(\.field) == ["engagements[1].role"])
                let (_, lead) = try await engage(d, id, [try Self.input(.construction, c.builder, lead: " ", phone: "12")], expect: .unprocessableEntity)
                #expect(lead?.details.map(\.field) == ["engagements[0].leadName", "engagements[0].leadPhone"])
                _ = try await engage(d, id, [.init(role: .design, companyId: UUID().uuidString, leadName: "李", leadPhone: "13804512233")],
                                     expect: .unprocessableEntity)
                _ = try await engage(d, id, [.init(role: .design, companyId: "not-a-uuid", leadName: "李", leadPhone: "13804512233")],
                                     expect: .unprocessableEntity)
                let rows = try await RenovationEngagement.query(on: app.db).all()
                #expect(rows.count == 1 && rows[0].$company.id == c.builder.id)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationEngagements").count() == 1)

                _ = try await d.step(id, .cancel, reason: "居民意见未统一，暂缓实施")
                let (_, closed) = try await engage(d, id, [], expect: .conflict)
                #expect(closed?.code == "project_closed")
                #expect(try await RenovationEngagement.query(on: app.db).count() == 1)
            }
        }

        @Test("Contractors are companies of their own kind: fixed at registration, never managing a compound, bidding, graded or expelled, nor staffed by the wrong role")
        func contractorCompanies() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let c = try await Contractors(app)
                // Registered with its kind; the kind is fixed after.
                var created: Components.Schemas.Company?
                try await d.api.send(.POST, "/companies", as: "admin",
                                     body: Components.Schemas.CompanyInput(name: "哈尔滨新筑建设有限公司", registrationNumber: "91230103MA1B2C3D4L",
                                                                           kind: .init(value1: .construction))) { res in
                    #expect(res.status == .created, "\(res.body.string)")
                    created = try res.content.decode(Components.Schemas.Company.self)
                }
                #expect(created?.kind == .construction)
                try await d.api.send(.GET, "/companies/\(try c.manager.requireID())", as: "admin") { res in
                    let decoded = try res.content.decode(Components.Schemas.Company.self)
                    #expect(decoded.kind == .property)
                }
                let service = RegistryService(app: app, actor: try await RenovationProjectTests.actor(app, "admin"))
                let builderID = try c.builder.requireID()
                await #expect(throws: DomainError.self) { _ = try await service.saveCompany(builderID, .init(kind: .property)) }

                // Never the manager of a compound.
                try await d.api.send(.PATCH, "/compounds/\(try d.first.requireID())", as: "qizheng",
                                     body: Components.Schemas.CompoundPatch(management: .professional, companyId: try c.builder.requireID().uuidString)) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("only a property company manages a compound"))
                }
                // Not graded with the property companies, so never eligible to bid nor recommended for exit.
                let credit = CreditService(db: app.db, actor: try await RenovationProjectTests.actor(app, "admin"), now: d.clock.now)
                let graded = Set(try await credit.statements(on: ["2026-03-02"]).keys)
                let (builderID2, managerID) = (try c.builder.requireID(), try c.manager.requireID())
                #expect(!graded.contains(builderID2) && graded.contains(managerID))
                try await app.testing().test(.GET, "/api/v1/public/credit") { res in
                    let names = try res.content.decode([Components.Schemas.PublicCompanyCredit].self).map(\.name)
                    #expect(!names.contains(c.builder.name) && names.contains(c.manager.name))
                }

                // A contractor's staff have the contractor role, and a property company's the company role.
                func user(_ name: String, _ role: Components.Schemas.Role, _ company: Company) throws -> Components.Schemas.UserInput {
                    .init(username: name, displayName: name, role: role, password: "long-enough-password", companyId: try company.requireID().uuidString)
                }
                try await d.api.send(.POST, "/users", as: "admin", body: try user("builder2", .contractorStaff, c.manager)) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("is a property company"))
                }
                try await d.api.send(.POST, "/users", as: "admin", body: try user("builder3", .companyStaff, c.builder)) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("contractorStaff"))
                }
                try await d.api.send(.POST, "/users", as: "admin", body: try user("builder4", .contractorStaff, c.otherBuilder)) { res in
                    #expect(res.status == .created)
                }
            }
        }

        @Test("In the console: the officer engages the contractors on the project page; the builder's staff see the project, their file lists it, the public page names the companies")
        func console() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let c = try await Contractors(app)
                let id = try #require(try await d.create(try d.input()).0).project.id
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation/\(id)", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("id=\"engagement-form\"") && res.body.string.contains(c.builder.name))
                    #expect(!res.body.string.contains(">\(c.manager.name)<"))  // only contractors of each part's kind are offered
                }
                func post(_ form: [String: String]) async throws -> TestingHTTPResponse {
                    var response: TestingHTTPResponse?
                    try await app.testing().test(.POST, "/console/renovation/\(id)/engagements", headers: ["Cookie": officer.cookie.cookieHeader], beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                    }, afterResponse: { response = $0 })
                    return try #require(response)
                }
                let builder = try c.builder.requireID().uuidString
                let refused = try await post(["company.construction": builder, "leadName.construction": "王建国", "leadPhone.construction": "12"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("leadPhone") && refused.body.string.contains("王建国"))
                #expect(try await RenovationEngagement.query(on: app.db).count() == 0)
                let saved = try await post(["company.construction": builder, "leadName.construction": "王建国", "leadPhone.construction": "13804512233",
                                            "company.design": "", "company.supervision": ""])
                #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/console/renovation/\(id)#engagements")
                #expect(try await RenovationEngagement.query(on: app.db).count() == 1)

                let staff = try await console.login(app, "shigong")
                let firstID = try d.first.requireID()
                try await app.testing().test(.GET, "/console/renovation/\(id)", headers: ["Cookie": staff.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"engagement-list\"") && res.body.string.contains("王建国"))
                    #expect(!res.body.string.contains("id=\"engagement-form\"") && !res.body.string.contains("id=\"steps\""))
                    #expect(!res.body.string.contains("/console/compounds/\(firstID)\""))
                }
                try await app.testing().test(.GET, "/console/companies/\(builder)", headers: ["Cookie": staff.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"engaged-projects\"") && res.body.string.contains("QZ-2026-01"))
                    #expect(!res.body.string.contains("id=\"credit\""))
                }
                try await app.testing().test(.GET, "/console/companies", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("id=\"contractors\"") && res.body.string.contains(c.supervisor.name))
                }
                _ = try await d.step(id, .startConsultation)
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(id)") { res in
                    let p = try res.content.decode(Components.Schemas.PublicRenovationProject.self)
                    #expect(p.contractors.map(\.company) == [c.builder.name] && !res.body.string.contains("13804512233"))
                }
            }
        }
    }
}
