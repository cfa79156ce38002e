import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("A password reset ends the user's sessions and tokens, and no one else's")
    struct PasswordResetTests {
        @Test("After `yiju users reset-password` the old session goes to the login page, the old token is 401, another user's session stays, and the new password logs in")
        func resetEndsSessionsAndTokens() async throws {
            try await withApp { app in
                let officer = try await ConsoleTests().login(app, "qizheng")
                let other = try await ConsoleTests().login(app, "wangge")
                let token = try await app.token("qizheng")
                for cookies in [officer.cookie, other.cookie] {
                    try await app.testing().test(.GET, "/console", headers: ["Cookie": cookies.cookieHeader]) { res in #expect(res.status == .ok) }
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in #expect(res.status == .ok) }
                let audited = try await app.auditCount()

                try await CommandContext(app: app, username: nil).resetPassword(username: "qizheng", password: "new-password-2026-winter")

                try await app.testing().test(.GET, "/console", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true)
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res in #expect(res.status == .unauthorized) }
                try await app.testing().test(.GET, "/console", headers: ["Cookie": other.cookie.cookieHeader]) { res in #expect(res.status == .ok) }
                #expect(try await UserToken.query(on: app.db).join(User.self, on: \UserToken.$user.$id == \User.$id)
                    .filter(User.self, \.$username == "qizheng").count() == 0)
                let entry = try #require(try await AuditEntry.query(on: app.db).sort(\.$at, .descending).first())
                #expect(try await app.auditCount() == audited + 1)
                #expect(entry.after?.contains("\"tokensRevoked\":\"1\"") == true && entry.after?.contains("\"sessionsEnded\":\"1\"") == true)
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { req in
                    try req.content.encode(["username": "qizheng", "password": "new-password-2026-winter"])
                }) { res in #expect(res.status == .created) }
            }
        }
    }
}
