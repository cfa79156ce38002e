import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YijuServer

extension ServerTests {
    @Suite("API tokens: listed and revoked by their owner and by the bureau, audited, refused from the next request on")
    struct TokenAdminTests {
        static func list(_ app: Application, _ token: String, query: String = "") async throws -> [Components.Schemas.ApiToken] {
            var tokens: [Components.Schemas.ApiToken] = []
            try await app.testing().test(.GET, "/api/v1/tokens\(query)", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                tokens = try res.content.decode([Components.Schemas.ApiToken].self)
            }
            return tokens
        }

        @Test("An officer sees and revokes only their own tokens; the bureau sees and revokes anyone's; a revoked token answers 401")
        func listAndRevoke() async throws {
            try await withApp { app in
                let admin = try await app.token("admin")
                let officer = try await app.token("qizheng"), second = try await app.token("qizheng")
                let qizheng = try #require(try await User.query(on: app.db).filter(\.$username == "qizheng").first())
                let adminUser = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first())

                let own = try await Self.list(app, officer)
                #expect(own.count == 2 && own.allSatisfy { $0.username == "qizheng" && $0.label == "test" })
                #expect(own.allSatisfy { ($0.expiresAt ?? .distantPast) > $0.createdAt })
                try await app.testing().test(.GET, "/api/v1/tokens?userId=\(adminUser.id!)", headers: .bearer(officer)) { res in
                    #expect(res.status == .notFound)
                }
                let everyone = try await Self.list(app, admin)
                #expect(Set(everyone.map(\.username)).isSuperset(of: ["admin", "qizheng"]))
                #expect(try await Self.list(app, admin, query: "?userId=\(qizheng.id!)").count == 2)

                // Not the officer's to revoke, nor to know of.
                let adminToken = try #require(everyone.first { $0.username == "admin" })
                try await app.testing().test(.DELETE, "/api/v1/tokens/\(adminToken.id)", headers: .bearer(officer)) { res in
                    #expect(res.status == .notFound)
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(admin)) { res in #expect(res.status == .ok) }

                // The officer revokes one of theirs; the bureau the other. Each answers 401 at once.
                let audits = try await app.auditCount()
                try await app.testing().test(.DELETE, "/api/v1/tokens/\(own[0].id)", headers: .bearer(officer)) { res in
                    #expect(res.status == .noContent)
                }
                let remaining = try #require(try await UserToken.query(on: app.db).filter(\.$user.$id == qizheng.id!).all().first)
                try await app.testing().test(.DELETE, "/api/v1/tokens/\(remaining.id!)", headers: .bearer(admin)) { res in
                    #expect(res.status == .noContent)
                }
                for token in [officer, second] {
                    try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in #expect(res.status == .unauthorized) }
                }
                #expect(try await app.auditCount() == audits + 2)
                let entries = try await AuditEntry.query(on: app.db).filter(\.$entityType == "apiToken").all()
                #expect(Set(entries.map(\.actorName)) == ["qizheng", "admin"])
                #expect(entries.allSatisfy { $0.before?.contains("\"username\":\"qizheng\"") == true })
                try await app.testing().test(.DELETE, "/api/v1/tokens/\(remaining.id!)", headers: .bearer(admin)) { res in
                    #expect(res.status == .notFound)
                }
            }
        }

        @Test("Every use notes the token's last use, to the minute and from where; the list shows it; revoking removes it with the token")
        func lastUse() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let admin = try await app.token("admin")
                let officer = try await app.token("qizheng")
                func officerToken() async throws -> Components.Schemas.ApiToken {
                    try #require(try await Self.list(app, admin).first { $0.username == "qizheng" })
                }
                #expect(try await officerToken().lastUsedAt == nil, "never used yet")
                let first = clock.now
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(officer)) { res in #expect(res.status == .ok) }
                let noted = try await officerToken()
                #expect(noted.lastUsedAt.map { abs($0.timeIntervalSince(first)) < 1 } == true)
                // Within the minute: the same note, not a write per request.
                clock.advance(seconds: 30)
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(officer)) { res in #expect(res.status == .ok) }
                #expect(try await officerToken().lastUsedAt == noted.lastUsedAt)
                // A minute on: noted again.
                clock.advance(seconds: 31)
                let later = clock.now
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(officer)) { res in #expect(res.status == .ok) }
                #expect(try await officerToken().lastUsedAt.map { abs($0.timeIntervalSince(later)) < 1 } == true)
                // The console shows it on the tokens page.
                let session = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/tokens", headers: ["Cookie": session.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains(Format.dateTime(later)))
                }
                // Revoked: its note goes with it.
                let id = try #require(UUID(uuidString: try await officerToken().id))
                try await app.testing().test(.DELETE, "/api/v1/tokens/\(id)", headers: .bearer(admin)) { res in #expect(res.status == .noContent) }
                #expect(try await TokenUses.last(of: [id], on: app.db).isEmpty)
            }
        }

        @Test("The console lists the user's own tokens, the bureau's everyone's, and revokes one with the form")
        func console() async throws {
            try await withApp { app in
                let officer = try await app.token("qizheng")
                _ = try await app.token("gongre")
                let qizheng = try #require(try await User.query(on: app.db).filter(\.$username == "qizheng").first())
                let own = try #require(try await UserToken.query(on: app.db).filter(\.$user.$id == qizheng.id!).first())

                let session = try await ConsoleTests().login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": session.cookie.cookieHeader]
                try await app.testing().test(.GET, "/console/tokens", headers: headers) { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("/console/tokens/\(own.id!)/revoke"))
                    #expect(!res.body.string.contains("gongre"), "another user's token is not on an officer's page")
                }
                let bureau = try await ConsoleTests().login(app, "admin")
                try await app.testing().test(.GET, "/console/tokens", headers: ["Cookie": bureau.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("gongre") && res.body.string.contains("qizheng"))
                }
                try await app.testing().test(.POST, "/console/tokens/\(own.id!)/revoke", headers: headers, beforeRequest: { req in
                    try req.content.encode(["_csrf": session.csrf], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(officer)) { res in #expect(res.status == .unauthorized) }
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "apiToken").count() == 1)
            }
        }
    }
}
