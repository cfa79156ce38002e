import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("API: registry reads, writes and validation")
    struct APIRegistryTests {
        @Test("Health and the OpenAPI document are served")
        func healthAndSpec() async throws {
            try await withApp(demo: false) { app in
                try await app.testing().test(.GET, "/healthz") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("\"database\":\"ok\""))
                }
                try await app.testing().test(.GET, "/openapi.yaml") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.hasPrefix("openapi: 3.1.0"))
                    #expect(res.body.string.contains("/compounds/import"))
                }
            }
        }

        @Test("Without a valid token every operation is 401; the token exchange checks passwords")
        func authentication() async throws {
            try await withApp { app in
                try await app.testing().test(.GET, "/api/v1/compounds") { res in
                    #expect(res.status == .unauthorized)
                    #expect(res.apiError?.code == "unauthenticated")
                }
                try await app.testing().test(.GET, "/api/v1/compounds", headers: .bearer("yj_forged")) { res in
                    #expect(res.status == .unauthorized)
                }
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.json(["username": "admin", "password": "wrong-password"])
                }) { res in
                    #expect(res.status == .unauthorized)
                    #expect(res.apiError?.code == "bad_credentials")
                }
                var token = ""
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.json(["username": "qizheng", "password": DemoLoader.demoPassword])
                }) { res in
                    #expect(res.status == .created)
                    token = try res.content.decode(Components.Schemas.TokenResponse.self).token
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in
                    #expect(res.status == .ok)
                    let me = try res.content.decode(Components.Schemas.User.self)
                    #expect(me.role == .streetOfficer)
                }
                // Only the hash is stored.
                #expect(try await UserToken.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
            }
        }

        @Test("Twenty failed logins from one address lock the address, whatever usernames it tries; another address is unaffected")
        func throttlingPerAddress() async throws {
            try await withApp { app in
                let credentials = Credentials(app: app)
                // Spraying: four tries each on five usernames stays under the per-username limit.
                for k in 0..<Credentials.maxFailuresPerAddress {
                    await #expect(throws: DomainError.self) {
                        _ = try await credentials.authenticate(username: "sprayed\(k % 5)", password: "guess-guess", address: "203.0.113.9")
                    }
                }
                let locked = await #expect(throws: DomainError.self) {
                    _ = try await credentials.authenticate(username: "admin", password: DemoLoader.demoPassword, address: "203.0.113.9")
                }
                #expect(locked?.code == "too_many_attempts" && locked?.message.contains("address") == true)
                let user = try await credentials.authenticate(username: "admin", password: DemoLoader.demoPassword, address: "198.51.100.4")
                #expect(user.username == "admin")
                let recorded = try await LoginAttempt.query(on: app.db).filter(\.$address == "203.0.113.9").count()
                #expect(recorded == Credentials.maxFailuresPerAddress)
            }
        }

        @Test("A token is valid for TOKEN_DAYS (90 by default) and answers 401 after")
        func tokenExpiry() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                #expect(app.yijuConfig.tokenDays == 90)
                var token = ""
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.json(["username": "rexian", "password": DemoLoader.demoPassword])
                }) { res in
                    #expect(res.status == .created)
                    token = try res.content.decode(Components.Schemas.TokenResponse.self).token
                }
                let stored = try #require(try await UserToken.query(on: app.db).filter(\.$tokenHash == Credentials.hash(token)).first())
                #expect(stored.expiresAt == clock.now.addingTimeInterval(90 * 86_400))
                clock.advance(days: 89)
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in #expect(res.status == .ok) }
                clock.advance(days: 2)
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in #expect(res.status == .unauthorized) }
                // The setting is read from the environment, checked.
                #expect(try AppConfig.fromEnvironment(["TOKEN_DAYS": "7"]).tokenDays == 7)
                #expect(throws: DomainError.self) { try AppConfig.fromEnvironment(["TOKEN_DAYS": "0"]) }
            }
        }

        @Test("Five failed logins lock the username, even for the right password")
        func throttling() async throws {
            try await withApp { app in
                for _ in 0..<5 {
                    try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                        try req.json(["username": "rexian", "password": "guess-guess"])
                    }) { res in #expect(res.status == .unauthorized) }
                }
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.json(["username": "rexian", "password": DemoLoader.demoPassword])
                }) { res in
                    #expect(res.status == .tooManyRequests)
                    #expect(res.apiError?.code == "too_many_attempts")
                }
                // Another user is unaffected.
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.json(["username": "admin", "password": DemoLoader.demoPassword])
                }) { res in #expect(res.status == .created) }
            }
        }

        @Test("Search and filters narrow the compound list")
        func filters() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                try await app.testing().test(.GET, "/api/v1/compounds?limit=1000", headers: .bearer(token)) { res in
                    let page = try res.content.decode(Components.Schemas.CompoundPage.self)
                    #expect(page.total == 600)
                }
                try await app.testing().test(.GET, "/api/v1/compounds?management=abandoned&kind=singleBuilding&limit=1000", headers: .bearer(token)) { res in
                    let page = try res.content.decode(Components.Schemas.CompoundPage.self)
                    #expect(page.total > 0)
                    #expect(page.items.allSatisfy { $0.management == .abandoned && $0.kind == .singleBuilding })
                }
                let qz = try await app.streetOffice(code: "QZ")
                try await app.testing().test(.GET, "/api/v1/compounds?q=QZ-00&streetOfficeId=\(qz.id!)", headers: .bearer(token)) { res in
                    let page = try res.content.decode(Components.Schemas.CompoundPage.self)
                    #expect(page.total == 9)
                    #expect(page.items.allSatisfy { $0.streetOfficeName == "七政街道" })
                }
                try await app.testing().test(.GET, "/api/v1/compounds?limit=5000", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                }
                try await app.testing().test(.GET, "/api/v1/compounds?kind=villa", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                }
            }
        }

        @Test("Create a compound, then change it; each write is audited with before and after")
        func createAndUpdate() async throws {
            try await withApp { app in
                let token = try await app.token("qizheng")
                let qz = try await app.streetOffice(code: "QZ")
                let audits = try await app.auditCount()
                var id = ""
                try await app.testing().test(.POST, "/api/v1/compounds", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundInput(
                        code: "QZ-900", name: "宣化街900号院", kind: .estate, streetOfficeId: qz.id!.uuidString,
                        location: [126.655, 45.742], floorArea: 15_000, households: 210, management: .governmentFallback))
                }) { res in
                    #expect(res.status == .created)
                    let created = try res.content.decode(Components.Schemas.Compound.self)
                    #expect(created.buildings == 4)
                    #expect(created.streetOfficeName == "七政街道")
                    id = created.id
                }
                try await app.testing().test(.PATCH, "/api/v1/compounds/\(id)", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundPatch(households: 230, renovation: .underWorks))
                }) { res in
                    #expect(res.status == .ok)
                    let updated = try res.content.decode(Components.Schemas.Compound.self)
                    #expect(updated.households == 230 && updated.renovation == .underWorks && updated.name == "宣化街900号院")
                }
                #expect(try await app.auditCount() == audits + 2)
                let last = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "update").sort(\.$at, .descending).first())
                #expect(last.actorName == "qizheng")
                #expect(last.before?.contains("\"households\":210") == true)
                #expect(last.after?.contains("\"households\":230") == true)
            }
        }

        @Test("Bad input names every bad field and writes nothing")
        func validation() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                let before = try await Compound.query(on: app.db).count()
                let audits = try await app.auditCount()
                let qz = try await app.streetOffice(code: "QZ")
                try await app.testing().test(.POST, "/api/v1/compounds", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundInput(
                        code: "bad code!", name: " ", kind: .singleBuilding, streetOfficeId: UUID().uuidString,
                        location: [2.35, 60.0], floorArea: -10, households: -1, buildings: 3, yearBuilt: 1800))
                }) { res in
                    // What the document rules out, in its order, before any rule of the registry.
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["code", "name", "floorArea", "households", "yearBuilt"])
                }
                // Within the document: the registry's own rules, every one named.
                try await app.testing().test(.POST, "/api/v1/compounds", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundInput(
                        code: "QZ-950", name: "单栋", kind: .singleBuilding, streetOfficeId: UUID().uuidString,
                        location: [2.35, 60.0], floorArea: 10, households: 1, buildings: 3, yearBuilt: 1990))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    let fields = Set(res.apiError?.details.map(\.field) ?? [])
                    #expect(fields == ["streetOfficeId", "lon", "lat", "buildings"])
                }
                // A duplicate code is a conflict.
                try await app.testing().test(.POST, "/api/v1/compounds", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundInput(
                        code: "QZ-001", name: "重复", kind: .estate, streetOfficeId: qz.id!.uuidString,
                        location: [126.65, 45.74], floorArea: 1_000, households: 10))
                }) { res in
                    #expect(res.status == .conflict)
                    #expect(res.apiError?.field == "code")
                }
                // Professional management needs a company.
                let compound = try await app.compound(code: "QZ-002")
                try await app.testing().test(.PATCH, "/api/v1/compounds/\(compound.id!)", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundPatch(management: .professional, companyId: nil))
                }) { res in
                    if compound.management != .professional {
                        #expect(res.status == .unprocessableEntity)
                        #expect(res.apiError?.field == "company")
                    }
                }
                // Wrong JSON types are a 400 naming the field.
                try await app.testing().test(.PATCH, "/api/v1/compounds/\(compound.id!)", headers: .bearer(token), beforeRequest: { req in
                    req.body = ByteBuffer(string: #"{"households":"many"}"#)
                }) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.field == "households")
                }
                try await app.testing().test(.PATCH, "/api/v1/compounds/\(compound.id!)", headers: .bearer(token), beforeRequest: { req in
                    req.body = ByteBuffer(string: "{not json")
                }) { res in
                    #expect(res.status == .badRequest)
                }
                #expect(try await Compound.query(on: app.db).count() == before)
                #expect(try await app.auditCount() == audits)
                let unchanged = try await app.compound(code: "QZ-002")
                #expect(unchanged.households == compound.households && unchanged.management == compound.management)
            }
        }

        @Test("Oversized bodies are refused before they are read")
        func bodyLimit() async throws {
            try await withApp(demo: false) { app in
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: String(repeating: " ", count: 3 * 1024 * 1024) + "{}")
                }) { res in
                    #expect(res.status == .payloadTooLarge)
                }
            }
        }

        @Test("Street offices, communities, departments, companies and barriers through the API")
        func directory() async throws {
            try await withApp { app in
                let admin = try await app.token("admin")
                try await app.testing().test(.GET, "/api/v1/street-offices", headers: .bearer(admin)) { res in
                    let offices = try res.content.decode([Components.Schemas.StreetOffice].self)
                    #expect(offices.count == 8)
                    #expect(offices.reduce(0) { $0 + $1.compoundCount } == 600)
                }
                try await app.testing().test(.GET, "/api/v1/departments", headers: .bearer(admin)) { res in
                    let departments = try res.content.decode([Components.Schemas.Department].self)
                    #expect(departments.count == 9)
                }
                try await app.testing().test(.POST, "/api/v1/companies", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.CompanyInput(name: "哈尔滨市测试物业服务有限公司", registrationNumber: "91230103ABCDEFGHJ0"))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.field == "registrationNumber")
                }
                try await app.testing().test(.POST, "/api/v1/barriers", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.BarrierInput(name: "哈大铁路", kind: .railway, path: [[126.6, 45.7], [126.62, 45.78]]))
                }) { res in
                    #expect(res.status == .created)
                    let barrier = try res.content.decode(Components.Schemas.Barrier.self)
                    try await app.testing().test(.DELETE, "/api/v1/barriers/\(barrier.id)", headers: .bearer(admin)) { res in
                        #expect(res.status == .noContent)
                    }
                }
                try await app.testing().test(.POST, "/api/v1/barriers", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.BarrierInput(name: "x", kind: .river, path: [[126.6, 45.7], [226.6, 45.7]]))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.field == "path[1].lon")
                }
                let qz = try await app.streetOffice(code: "QZ")
                try await app.testing().test(.POST, "/api/v1/communities", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.CommunityInput(streetOfficeId: qz.id!.uuidString, name: "七政社区"))
                }) { res in
                    #expect(res.status == .conflict)
                }
                try await app.testing().test(.GET, "/api/v1/map.svg", headers: .bearer(admin)) { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.components(separatedBy: "<circle").count - 1 == 600)
                }
            }
        }
    }
}
