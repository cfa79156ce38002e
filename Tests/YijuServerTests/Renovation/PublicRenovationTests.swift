import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation in public: a project from its consultation on, what each round published, the survey's result; never what a resident said")
    struct PublicRenovationTests {
        @Test("Planned projects stay internal; a consulting one shows its scope, money and publications without login, its opinions only counted")
        func publicProject() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let (planned, _) = try await d.create(try d.input(code: "XX-2026-05", compounds: [d.elsewhere]), as: "admin")
                let plannedID = try #require(planned?.project.id)
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(plannedID)") { res in #expect(res.status == .notFound) }
                try await app.testing().test(.GET, "/public/renovation/\(plannedID)") { res in #expect(res.status == .notFound) }

                let c = try await ConsultationTests.Consulting(app, district: d)
                let (opinion, _) = try await c.opinion(1, .visit, text: "停车难，楼下常堵")
                _ = try await c.round(1, .collect)
                _ = try await c.answer(try #require(opinion?.id), .adopted, item: "parkingSpaces")
                _ = try await c.round(1, .publish)

                try await app.testing().test(.GET, "/api/v1/public/renovation-projects") { res in
                    let codes = try res.content.decode([Components.Schemas.RenovationProjectSummary].self).map(\.code)
                    #expect(codes == ["QZ-2026-01"])
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)") { res in
                    #expect(res.status == .ok)
                    let p = try res.content.decode(Components.Schemas.PublicRenovationProject.self)
                    #expect(p.opinions.map(\.count) == [1, 0, 0] && p.publications.map(\.kind) == [.collection, .publication])
                    #expect(p.scope.map(\.item) == ["parkingSpaces", "elevator"] && p.funding.count == 3)
                    #expect(!res.body.string.contains("停车难") && !res.body.string.contains("张阿姨"))
                }
                try await app.testing().test(.GET, "/public/renovation/\(c.id)") { res in
                    let html = res.body.string
                    #expect(res.status == .ok && html.contains("第一轮") && html.contains("¥1,000,000"))
                    #expect(!html.contains("停车难") && !html.contains("张阿姨"))
                }
                try await app.testing().test(.GET, "/public/renovation") { res in
                    #expect(res.body.string.contains("/public/renovation/\(c.id)") && !res.body.string.contains(plannedID))
                }
            }
        }
    }
}
