import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YijuServer

extension ServerTests {
    @Suite("Passwords: a new one is long and not one tried first")
    struct PasswordPolicyTests {
        @Test("The rules, one reason each", arguments: [
            ("short-pw", "must be 10–200 characters"),
            ("my-qz01-password", "must not contain the username"),
            ("aaaaaaaaaaaa", "must not be one or two characters repeated"),
            ("abababababab", "must not be one or two characters repeated"),
            ("Password123", "is one of the passwords tried first; choose another"),
            ("demo-yiju-2026", "is one of the passwords tried first; choose another"),
            ("3456789012", "is one of the passwords tried first; choose another"),
            ("jihgfedcba", "is one of the passwords tried first; choose another"),
        ])
        func rules(password: String, reason: String) {
            #expect(UserRules.passwordProblems(password, username: "qz01").map(\.reason) == [reason])
        }

        @Test("A long, unremarkable password passes")
        func good() {
            #expect(UserRules.passwordProblems("松北区 七政 2026 春", username: "qz01").isEmpty)
            #expect(UserRules.passwordProblems("correct horse battery", username: "qz01").isEmpty)
        }

        @Test("The API refuses a weak password for a new user, naming it, and creates nothing")
        func api() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                let audits = try await app.auditCount()
                try await app.testing().test(.POST, "/api/v1/users", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.UserInput(username: "hotline02", displayName: "热线 二号", role: .hotlineOperator,
                                                              password: "hotline02-secret"))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["password"])
                    #expect(res.apiError?.details.first?.reason == "must not contain the username")
                }
                #expect(try await User.query(on: app.db).filter(\.$username == "hotline02").count() == 0)
                #expect(try await app.auditCount() == audits)
                try await app.testing().test(.POST, "/api/v1/users", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.UserInput(username: "hotline02", displayName: "热线 二号", role: .hotlineOperator,
                                                              password: "松北热线 接线 2026"))
                }) { res in #expect(res.status == .created) }
            }
        }
    }
}
