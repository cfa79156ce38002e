import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// The bureau's case settings through the API: the rule set, the routing table, the calendar.
    @Suite("Cases: settings — rules, routing and the calendar are the bureau's, checked whole")
    struct CaseSettingsTests {
        typealias Settings = Components.Schemas.CaseSettings

        static func current(_ api: CaseTests.API, as user: String) async throws -> Settings {
            var current: Settings?
            try await api.send(.GET, "/case-settings", as: user) { res in current = try res.content.decode(Settings.self) }
            return try #require(current)
        }

        @Test("Everyone reads the settings, the published defaults first; a street officer may not change them (403)")
        func readByAllSetByTheBureau() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                var settings = try await Self.current(api, as: "qizheng")
                #expect(settings.rules.yellowWorkingDays == 2 && settings.rules.redWorkingDays == 7)
                settings.rules.yellowWorkingDays = 3

                try await api.send(.PUT, "/case-settings", as: "qizheng", body: settings) { res in #expect(res.status == .forbidden) }

                #expect(try await CaseSettings.load(on: app.db).rules.yellowWorkingDays == 2)
            }
        }

        @Test("The bureau changes the rules and routes a domain elsewhere; both take effect")
        func bureauChangesRulesAndRouting() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                var settings = try await Self.current(api, as: "admin")
                settings.rules.yellowWorkingDays = 3
                settings.routing = [.init(domain: .parking, target: "department:cityManagement")]

                try await api.send(.PUT, "/case-settings", as: "admin", body: settings) { res in #expect(res.status == .ok) }

                let loaded = try await CaseSettings.load(on: app.db)
                #expect(loaded.rules.yellowWorkingDays == 3 && loaded.routing.target(.parking) == .department(.cityManagement))
            }
        }

        @Test("A rule set with nonsense in it is refused whole, naming the field, and nothing changes")
        func nonsenseRefusedWhole() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                var bad = try await Self.current(api, as: "admin")
                bad.rules.yellowWorkingDays = 3
                bad.rules.redWorkingDays = 0
                bad.routing = [.init(domain: .parking, target: "department:nope")]

                // Out of the document's range first; then, within it, a target no department has.
                try await api.send(.PUT, "/case-settings", as: "admin", body: bad) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.map(\.field) == ["rules.redWorkingDays"])
                }
                bad.rules.redWorkingDays = 6
                try await api.send(.PUT, "/case-settings", as: "admin", body: bad) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "routing[0].target")
                }

                let loaded = try await CaseSettings.load(on: app.db)
                #expect(loaded.rules.yellowWorkingDays == 2 && loaded.routing.target(.parking) == .manager)
            }
        }

        @Test("The bureau replaces a year's calendar; a day of another year or a wrong kind is refused with every reason; all read it")
        func calendar() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let year = Components.Schemas.CalendarYear(year: 2025, days: [
                    .init(day: "2025-10-01", kind: .holiday, name: "国庆节"), .init(day: "2025-09-28", kind: .workday, name: "调休"),
                ])
                try await api.send(.PUT, "/calendar/2025", as: "admin", body: year) { res in #expect(res.status == .ok) }
                let wrong = Components.Schemas.CalendarYear(year: 2025, days: [
                    .init(day: "2025-10-04", kind: .holiday), .init(day: "2025-09-29", kind: .workday), .init(day: "2024-01-01", kind: .holiday),
                ])

                try await api.send(.PUT, "/calendar/2025", as: "admin", body: wrong) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.count == 3)
                }

                try await api.send(.GET, "/calendar/2025", as: "rexian") { res in
                    let year = try res.content.decode(Components.Schemas.CalendarYear.self)
                    #expect(year.days.count == 2)
                }
                #expect(try await CaseSettings.load(on: app.db).calendar.isWorkingDay("2025-09-28"))
            }
        }
    }

    /// The cases pages of the console, by form as a browser posts them.
    @Suite("Cases in the console: intake by form, the case page's steps, the ledger per role, settings for the bureau")
    struct CaseConsoleTests {
        static func form(_ csrf: String, compound: String, name: String = "李先生", phone: String = "139 0000 1111") -> [String: String] {
            ["_csrf": csrf, "channel": "hotline", "externalNumber": "H-9", "reporterName": name, "reporterPhone": phone,
             "compound": compound, "domain": "sanitation", "description": "垃圾未清运"]
        }

        @Test("The compound box suggests compounds by code as the operator types")
        func suggestions() async throws {
            try await withApp { app in
                let (_, abandoned) = try await CaseTests.compounds(app)
                let session = try await ConsoleTests().login(app, "rexian")

                try await app.testing().test(.GET, "/console/cases/compound-suggestions?q=\(abandoned.code)", headers: ["Cookie": session.cookie.cookieHeader]) { res in
                    let items = try res.content.decode([String].self)
                    #expect(items.first?.hasPrefix(abandoned.code + " ") == true)
                }
            }
        }

        @Test("The intake form shows what was wrong, field by field (422), and writes nothing")
        func intakeFormErrors() async throws {
            try await withApp { app in
                let (_, abandoned) = try await CaseTests.compounds(app)
                let session = try await ConsoleTests().login(app, "rexian")

                try await app.testing().test(.POST, "/console/cases", headers: ["Cookie": session.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(Self.form(session.csrf, compound: abandoned.code, name: "", phone: "12"), as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("reporterName") && res.body.string.contains("reporterPhone"))
                }

                #expect(try await CaseRecord.query(on: app.db).count() == 0)
            }
        }

        @Test("Journey: the operator takes a case in by form; the street office that handles it sees the number, accepts it, and finds it in its ledger")
        func intakeAcceptLedger() async throws {
            try await withApp { app in
                let (_, abandoned) = try await CaseTests.compounds(app)
                let session = try await ConsoleTests().login(app, "rexian")
                var location = ""
                try await app.testing().test(.POST, "/console/cases", headers: ["Cookie": session.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(Self.form(session.csrf, compound: "\(abandoned.code) \(abandoned.name)"), as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .seeOther)
                    location = res.headers.first(name: .location) ?? ""
                }
                #expect(location.hasPrefix("/console/cases/"))
                let officer = try await ConsoleTests().login(app, "qizheng")
                let officerHeaders: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]

                try await app.testing().test(.GET, location, headers: officerHeaders) { res in
                    #expect(res.status == .ok && res.body.string.contains("name=\"kind\" value=\"accept\""))
                    #expect(res.body.string.contains("13900001111"))  // the street office handles it, so it sees the number
                }
                try await app.testing().test(.POST, location + "/steps", headers: officerHeaders, beforeRequest: { req in
                    try req.content.encode(["_csrf": officer.csrf, "kind": "accept"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }

                try await app.testing().test(.GET, "/console/cases?open=1", headers: officerHeaders) { res in
                    #expect(res.body.string.contains("id=\"case-total\">1<"))
                }
            }
        }

        @Test("A company cannot open a case that is not its own (404); a street officer cannot open the settings (403)")
        func scoped() async throws {
            try await withApp { app in
                let (_, abandoned) = try await CaseTests.compounds(app)
                let api = CaseTests.API(app: app)
                let c = try #require(try await api.intake(CaseTests.hotline(abandoned, .sanitation)))
                let staff = try await ConsoleTests().login(app, "zhengyi")
                let officer = try await ConsoleTests().login(app, "qizheng")

                try await app.testing().test(.GET, "/console/cases/\(c.id)", headers: ["Cookie": staff.cookie.cookieHeader]) { res in #expect(res.status == .notFound) }
                try await app.testing().test(.GET, "/console/case-settings", headers: ["Cookie": officer.cookie.cookieHeader]) { res in #expect(res.status == .forbidden) }
            }
        }

        @Test("The calendar form refuses a line it cannot take, naming it, and writes nothing")
        func calendarForm() async throws {
            try await withApp { app in
                let admin = try await ConsoleTests().login(app, "admin")

                try await app.testing().test(.POST, "/console/case-settings/calendar", headers: ["Cookie": admin.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(["_csrf": admin.csrf, "year": "2026", "days": "2026-10-01 holiday 国庆节\n2026-10-03 holiday 周六"], as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("2026-10-03"))
                }

                #expect(try await CalendarDay.query(on: app.db).count() == 0)
            }
        }
    }
}
