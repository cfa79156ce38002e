import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("API: zoning plans of a street office")
    struct ZoningPlanTests {
        func generate(_ app: Application, _ user: String, _ street: StreetOffice,
                      _ request: Components.Schemas.ZoningPlanRequest = .init(minFloorArea: 40_000, maxFloorArea: 150_000),
                      _ check: (TestingHTTPResponse) async throws -> Void) async throws {
            try await app.testing().test(.POST, "/api/v1/street-offices/\(street.id!)/zoning-plans",
                                         headers: .bearer(try await app.token(user)), beforeRequest: { req in
                try req.json(request)
            }, afterResponse: check)
        }

        @Test("A street officer plans their street office's compounds without a company; the plan checks valid")
        func generateAndRead() async throws {
            try await withApp { app in
                let qz = try await app.streetOffice(code: "QZ")
                var plan: Components.Schemas.ZoningPlan?
                try await generate(app, "qizheng", qz) { res in
                    #expect(res.status == .created)
                    plan = try res.content.decode(Components.Schemas.ZoningPlan.self)
                }
                let created = try #require(plan)
                #expect(created.version == 1 && created.revision == 1 && created.zones > 5 && created.valid)
                #expect(created.bandViolations == created.unavoidable.count)
                try await app.testing().test(.GET, "/api/v1/zoning-plans/\(created.id)/geojson", headers: .bearer(try await app.token("qizheng"))) { res in
                    #expect(res.status == .ok)
                    let problem = try ZoningProblem.read(Data(buffer: res.body))
                    let report = PlanEvaluation.report(problem, ZoningGraph(problem: problem), try ZoningOutput.readPlan(problem))
                    #expect(report.isValid && report.zones.count == created.zones)
                    // Every compound without a company in 七政 takes part.
                    let codes = Set(problem.compounds.map(\.id))
                    let withoutCompany = try await Compound.query(on: app.db).filter(\.$streetOffice.$id == qz.id!).all()
                        .filter { $0.management.needsCompany }.map(\.code)
                    #expect(withoutCompany.allSatisfy(codes.contains))
                }
                try await generate(app, "admin", qz) { res in
                    let second = try res.content.decode(Components.Schemas.ZoningPlan.self)
                    #expect(second.version == 2)
                }
            }
        }

        @Test("Only the street office's officer and the bureau see or make its drafts; bad parameters change nothing")
        func permissionsAndInput() async throws {
            try await withApp { app in
                let qz = try await app.streetOffice(code: "QZ"), hy = try await app.streetOffice(code: "HY")
                for user in ["wangge", "gongre", "zhengyi", "rexian", "shigong"] {
                    try await generate(app, user, qz) { res in #expect(res.status == .notFound, "\(user)") }
                }
                try await generate(app, "qizheng", hy) { res in #expect(res.status == .notFound) }
                // No zones to a lot is outside the document; a minimum above the maximum breaks the planner's rule.
                try await generate(app, "qizheng", qz, .init(minFloorArea: 90_000, maxFloorArea: 50_000, zonesPerLot: 0)) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["zonesPerLot"])
                }
                try await generate(app, "qizheng", qz, .init(minFloorArea: 90_000, maxFloorArea: 50_000, zonesPerLot: 3)) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["minFloorArea"])
                }
                try await generate(app, "qizheng", qz, .init(minFloorArea: 40_000, maxFloorArea: 150_000, compoundIds: ["HY-001", "NOPE"])) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.count == 2)
                }
                #expect(try await ZoningPlanRecord.query(on: app.db).filter(\.$streetOffice.$id ~~ [qz.id!, hy.id!]).filter(\.$version > 1).count() == 0)
                #expect(try await ZoningPlanRecord.query(on: app.db).filter(\.$streetOffice.$id == qz.id!).count() == 0)
            }
        }

        @Test("Edits: applied at the current revision, refused when stale or structurally invalid")
        func edits() async throws {
            try await withApp { app in
                let qz = try await app.streetOffice(code: "QZ")
                var created: Components.Schemas.ZoningPlan?
                try await generate(app, "qizheng", qz) { res in created = try res.content.decode(Components.Schemas.ZoningPlan.self) }
                let plan = try #require(created)
                let record = try #require(try await ZoningPlanRecord.find(UUID(uuidString: plan.id), on: app.db))
                let (problem, zoning) = try ZoningPlanService.decode(record)
                // A zone with at least two compounds: split it.
                let big = try #require(zoning.zoneIDs.indices.first { z in zoning.zoneOf.filter { $0 == z }.count >= 2 })
                let token = try await app.token("qizheng")
                func edit(_ revision: Int, _ change: Components.Schemas.ZoningChange, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/api/v1/zoning-plans/\(plan.id)/edits", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.ZoningEdit(revision: revision, change: change))
                    }, afterResponse: check)
                }
                try await edit(1, .init(kind: .split, zoneId: zoning.zoneIDs[big])) { res in
                    #expect(res.status == .ok)
                    let result = try res.content.decode(Components.Schemas.ZoningEditResult.self)
                    #expect(result.plan.revision == 2 && result.plan.zones == plan.zones + 1)
                    #expect(result.zones.count == 2)
                }
                // A second officer still at revision 1 gets a conflict and nothing changes.
                try await edit(1, .init(kind: .lock, zoneId: zoning.zoneIDs[big])) { res in
                    #expect(res.status == .conflict)
                    #expect(res.apiError?.code == "stale_revision")
                }
                try await edit(2, .init(kind: .move, compoundId: "NOPE", zoneId: zoning.zoneIDs[big])) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.code == "change_refused")
                }
                try await edit(2, .init(kind: .merge, zoneId: zoning.zoneIDs[big])) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.field == "change.otherZoneId")
                }
                let after = try #require(try await ZoningPlanRecord.find(record.id, on: app.db))
                #expect(after.revision == 2)
                #expect(problem.compounds.count > 0)
                try await app.testing().test(.POST, "/api/v1/zoning-plans/\(plan.id)/edits", headers: .bearer(try await app.token("gongre")), beforeRequest: { req in
                    try req.json(Components.Schemas.ZoningEdit(revision: 2, change: .init(kind: .lock, zoneId: zoning.zoneIDs[big])))
                }) { res in #expect(res.status == .notFound) }
            }
        }
    }
}
