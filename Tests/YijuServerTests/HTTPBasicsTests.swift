import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import YijuServer

extension ServerTests {
    @Suite("HTTP: 405 with Allow, security headers, request ids, readiness")
    struct HTTPBasicsTests {
        @Test("A known path asked with a method it does not answer is 405 with Allow; an unknown path and a missing record stay 404")
        func methodNotAllowed() async throws {
            try await withApp { app in
                try await app.testing().test(.DELETE, "/api/v1/compounds") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow) == "GET, HEAD, POST")
                    let error = try res.content.decode(APIError.self).error
                    #expect(error.code == "method_not_allowed" && error.message.contains("DELETE"))
                }
                // A path with a parameter: the methods of its pattern.
                try await app.testing().test(.DELETE, "/api/v1/compounds/\(UUID())") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow) == "GET, HEAD, PATCH")
                }
                try await app.testing().test(.POST, "/healthz") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow) == "GET, HEAD")
                }
                // The console answers with its error page, and still says what is allowed.
                try await app.testing().test(.PATCH, "/console/compounds") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow)?.contains("GET") == true)
                    #expect(res.headers.contentType?.subType == "html")
                }
                try await app.testing().test(.GET, "/api/v1/no-such-thing") { res in
                    #expect(res.status == .notFound)
                    #expect(res.headers.first(name: .allow) == nil)
                }
                let token = try await app.token("admin")
                try await app.testing().test(.GET, "/api/v1/compounds/\(UUID())", headers: .bearer(token)) { res in
                    #expect(res.status == .notFound)
                }
            }
        }

        @Test("Every answer — a page, the API, an error — carries the security headers; the policy allows no inline script")
        func securityHeaders() async throws {
            try await withApp(demo: false) { app in
                for (method, path) in [(HTTPMethod.GET, "/login"), (.GET, "/healthz"), (.GET, "/api/v1/compounds"), (.DELETE, "/api/v1/compounds"), (.GET, "/css/console.css")] {
                    try await app.testing().test(method, path) { res in
                        #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                        #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                        #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                        let csp = try #require(res.headers.first(name: "Content-Security-Policy"), "\(path)")
                        #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"))
                        #expect(!csp.split(separator: ";").contains { $0.contains("script-src") && $0.contains("unsafe-inline") })
                        // HTTP only here: no HSTS unless cookies are marked secure.
                        #expect(res.headers.first(name: "Strict-Transport-Security") == nil)
                    }
                }
                // Behind HTTPS (COOKIE_SECURE=true) the answers also carry HSTS.
                let request = Request(application: app, method: .GET, url: "/healthz", on: app.eventLoopGroup.next())
                struct Plain: AsyncResponder { func respond(to request: Request) async throws -> Response { Response(status: .ok) } }
                let plain = Plain()
                let secure = try await SecurityHeadersMiddleware(strictTransport: true).respond(to: request, chainingTo: plain)
                #expect(secure.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
            }
        }

        @Test("Every answer has an X-Request-Id: the load balancer's when it is of a sane shape, else the server's own")
        func requestIDs() async throws {
            try await withApp(demo: false) { app in
                var seen: Set<String> = []
                for _ in 0..<2 {
                    try await app.testing().test(.GET, "/healthz") { res in
                        let id = try #require(res.headers.first(name: "X-Request-Id"))
                        #expect(!id.isEmpty && !seen.contains(id))
                        seen.insert(id)
                    }
                }
                try await app.testing().test(.GET, "/healthz", headers: ["X-Request-Id": "lb-7f3a9c:01"]) { res in
                    #expect(res.headers.first(name: "X-Request-Id") == "lb-7f3a9c:01")
                }
                for forged in ["two words", String(repeating: "a", count: 129), "id\u{7f}"] {
                    try await app.testing().test(.GET, "/api/v1/no-such-thing", headers: ["X-Request-Id": forged]) { res in
                        let id = try #require(res.headers.first(name: "X-Request-Id"))
                        #expect(id != forged && !id.isEmpty)
                    }
                }
            }
        }

        @Test("/readyz: ready when every migration has run and the database answers; 503 naming a migration that has not run")
        func readiness() async throws {
            try await withApp(demo: false) { app in
                struct Readiness: Decodable { var status: String; var database: String; var pendingMigrations: [String] }
                try await app.testing().test(.GET, "/readyz") { res in
                    #expect(res.status == .ok)
                    let body = try res.content.decode(Readiness.self)
                    #expect(body.status == "ready" && body.database == "ok" && body.pendingMigrations.isEmpty)
                }
                // As if this build's last migration had not run on this database yet.
                let sql = try #require(app.db as? any SQLDatabase)
                let last = CreateRenovationGrids().name
                try await sql.raw("UPDATE _fluent_migrations SET name = \(bind: last + "-hidden") WHERE name = \(bind: last)").run()
                try await app.testing().test(.GET, "/readyz") { res in
                    #expect(res.status == .serviceUnavailable)
                    let body = try res.content.decode(Readiness.self)
                    #expect(body.status == "not ready" && body.database == "ok" && body.pendingMigrations == [last])
                }
                try await sql.raw("UPDATE _fluent_migrations SET name = \(bind: last) WHERE name = \(bind: last + "-hidden")").run()
                try await app.testing().test(.GET, "/readyz") { res in #expect(res.status == .ok) }
            }
        }

        @Test("The console's CSS and JS: the pages name them by version, kept a year; unversioned or stale URLs revalidate by ETag (304); HEAD keeps the length; /livez answers without the database")
        func publicAssets() async throws {
            try await withApp { app in
                var stylesheet = ""
                try await app.testing().test(.GET, "/login") { res in
                    #expect(res.status == .ok)
                    let page = res.body.string
                    let found = page.range(of: #"/css/console\.css\?v=[0-9a-f]{16}"#, options: .regularExpression).map { String(page[$0]) }
                    stylesheet = try #require(found)
                }
                let bytes = try #require(FileManager.default.contents(atPath: app.directory.publicDirectory + "css/console.css"))
                var etag = ""
                try await app.testing().test(.GET, stylesheet) { res in
                    #expect(res.status == .ok && res.body.readableBytes == bytes.count)
                    #expect(res.headers.first(name: .cacheControl) == "public, max-age=31536000, immutable")
                    #expect(res.headers.first(name: .contentType) == "text/css; charset=utf-8")
                    etag = try #require(res.headers.first(name: .eTag))
                }
                for path in ["/css/console.css", "/css/console.css?v=0000000000000000"] {
                    try await app.testing().test(.GET, path) { res in
                        #expect(res.status == .ok && res.headers.first(name: .cacheControl) == "no-cache", "\(path)")
                    }
                    try await app.testing().test(.GET, path, headers: ["If-None-Match": etag]) { res in
                        #expect(res.status == .notModified && res.body.readableBytes == 0 && res.headers.first(name: .eTag) == etag, "\(path)")
                    }
                }
                try await app.testing().test(.GET, "/css/console.css", headers: ["If-None-Match": "\"other\""]) { res in
                    #expect(res.status == .ok)
                }
                try await app.testing().test(.GET, "/js/no-such.js") { res in #expect(res.status == .notFound) }
                try await app.testing().test(.POST, "/css/console.css") { res in #expect(res.status != .ok) }
                try await app.testing().test(.GET, "/livez") { res in
                    #expect(res.status == .ok && res.body.string == "ok")
                }
            }
        }
    }
}
