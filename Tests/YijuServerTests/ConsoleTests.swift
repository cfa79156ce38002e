import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Console: login, pages, forms")
    struct ConsoleTests {
        /// Logs in through the form and returns the session cookie and the CSRF token.
        func login(_ app: Application, _ username: String) async throws -> (cookie: HTTPCookies, csrf: String) {
            var cookies = HTTPCookies()
            var csrf = ""
            try await app.testing().test(.GET, "/login") { res in
                #expect(res.status == .ok)
                cookies = res.headers.setCookie ?? HTTPCookies()
                csrf = try #require(Self.csrf(in: res.body.string))
            }
            try await app.testing().test(.POST, "/login", beforeRequest: { req in
                req.headers.cookie = cookies
                try req.content.encode(["username": username, "password": DemoLoader.demoPassword, "_csrf": csrf, "next": "/console"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther)
                cookies = res.headers.setCookie ?? cookies
            }
            // The session id changes on login; fetch the new session's token.
            try await app.testing().test(.GET, "/console/compounds/new", headers: ["Cookie": cookies.cookieHeader]) { res in
                if let token = Self.csrf(in: res.body.string) { csrf = token }
            }
            return (cookies, csrf)
        }

        static func csrf(in html: String) -> String? {
            guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        @Test("The console needs a login; the login page lists the demo users in Chinese")
        func loginRequired() async throws {
            try await withApp { app in
                try await app.testing().test(.GET, "/console/compounds") { res in
                    #expect(res.status == .seeOther)
                    #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)
                }
                try await app.testing().test(.GET, "/login") { res in
                    #expect(res.body.string.contains("登录"))
                    #expect(res.body.string.contains("qizheng"))
                    #expect(res.headers.setCookie?["yiju_session"]?.isHTTPOnly == true)
                }
            }
        }

        @Test("A logged-in street officer sees their compounds, the map and can edit by form")
        func browseAndEdit() async throws {
            try await withApp { app in
                let session = try await login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": session.cookie.cookieHeader]
                try await app.testing().test(.GET, "/console/compounds?management=abandoned", headers: headers) { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("七政街道"))
                    #expect(!res.body.string.contains("花园街道</td>"))
                }
                try await app.testing().test(.GET, "/console/map", headers: headers) { res in
                    #expect(res.body.string.contains("<svg"))
                    #expect(res.body.string.components(separatedBy: "<circle").count - 1 == 84)
                }
                let compound = try await app.compound(code: "QZ-005")
                try await app.testing().test(.GET, "/console/compounds/\(compound.id!)", headers: headers) { res in
                    #expect(res.body.string.contains(compound.name))
                    #expect(res.body.string.contains("stroke='#000'"))
                }
                var form = CompoundFormPage.values(of: compound)
                form["households"] = "999"
                form["_csrf"] = session.csrf
                try await app.testing().test(.POST, "/console/compounds/\(compound.id!)", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                #expect(try await app.compound(code: "QZ-005").households == 999)

                form["floorArea"] = "-3"
                try await app.testing().test(.POST, "/console/compounds/\(compound.id!)", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("floorArea"))
                }
                // Another street office's compound is not found; a post without the CSRF token is refused.
                let other = try await app.compound(code: "HY-005")
                try await app.testing().test(.GET, "/console/compounds/\(other.id!)", headers: headers) { res in #expect(res.status == .notFound) }
                form["_csrf"] = "forged"
                form["floorArea"] = "5000"
                try await app.testing().test(.POST, "/console/compounds/\(compound.id!)", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in #expect(res.status == .forbidden) }
                #expect(try await app.compound(code: "QZ-005").floorArea == compound.floorArea)
            }
        }

        @Test("The bureau adds a company, a department and a barrier by form; bad input re-renders with the field")
        func adminForms() async throws {
            try await withApp { app in
                let session = try await login(app, "admin")
                let headers: HTTPHeaders = ["Cookie": session.cookie.cookieHeader]
                func post(_ path: String, _ form: [String: String], expect status: HTTPStatus, contains text: String? = nil) async throws {
                    var form = form
                    form["_csrf"] = session.csrf
                    try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
                        try req.content.encode(form, as: .urlEncodedForm)
                    }) { res in
                        #expect(res.status == status, "\(path)")
                        if let text { #expect(res.body.string.contains(text), "\(path)") }
                    }
                }
                try await post("/console/companies", ["name": "哈尔滨市新物业服务有限公司", "registrationNumber": "91230103000000000X", "staff": "x"],
                               expect: .unprocessableEntity, contains: "staff")
                let code = try #require(try await Company.query(on: app.db).first()).registrationNumber
                try await post("/console/companies", ["name": "哈尔滨市新物业服务有限公司", "registrationNumber": code],
                               expect: .unprocessableEntity, contains: "registrationNumber")
                #expect(try await Company.query(on: app.db).count() == 44)  // 40 property companies, 4 contractors
                try await post("/console/departments", ["kind": "gas", "name": "南岗区燃气安全办公室", "phone": "0451-1"], expect: .seeOther)
                #expect(try await Department.query(on: app.db).count() == 10)
                try await post("/console/barriers", ["name": "哈大铁路", "kind": "railway", "path": "126.58,45.70\n126.60,45.78"], expect: .seeOther)
                try await post("/console/barriers", ["name": "坏线", "kind": "railway", "path": "126.58"], expect: .unprocessableEntity, contains: "path[0]")
                #expect(try await Barrier.query(on: app.db).count() == 6)
                try await app.testing().test(.GET, "/console/street-offices", headers: headers) { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("七政社区"))
                }
            }
        }

        @Test("English switch, and every registry page renders for every role")
        func pagesForEveryRole() async throws {
            try await withApp { app in
                for user in ["admin", "qizheng", "gongre", "zhengyi", "wangge", "rexian", "shigong"] {
                    let session = try await login(app, user)
                    let headers: HTTPHeaders = ["Cookie": session.cookie.cookieHeader]
                    for page in ["/console", "/console/compounds", "/console/map", "/console/street-offices", "/console/companies",
                                 "/console/departments", "/console/barriers"]
                        // The contractor's role is the newest: every section renders for it too.
                        + (user == "shigong" ? ["/console/cases", "/console/renovation", "/console/zoning", "/console/tenders", "/console/inspections"] : []) {
                        try await app.testing().test(.GET, page, headers: headers) { res in
                            #expect(res.status == .ok, "\(user) \(page)")
                        }
                    }
                    try await app.testing().test(.GET, "/console/audit", headers: headers) { res in
                        #expect(res.status == (user == "admin" ? .ok : .notFound), "\(user) audit")
                    }
                }
                var english: HTTPHeaders = ["Cookie": (try await login(app, "admin")).cookie.cookieHeader]
                try await app.testing().test(.GET, "/lang/en", headers: english) { res in
                    #expect(res.headers.setCookie?["lang"]?.string == "en")
                }
                english.replaceOrAdd(name: .cookie, value: english.first(name: .cookie)! + "; lang=en")
                try await app.testing().test(.GET, "/console/compounds", headers: english) { res in
                    #expect(res.body.string.contains("Compounds"))
                    #expect(res.body.string.contains("Floor area"))
                }
            }
        }
    }
}

extension HTTPCookies {
    var cookieHeader: String {
        all.map { "\($0.key)=\($0.value.string)" }.joined(separator: "; ")
    }
}
