import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: cases about a compound under works go to the builder (即接即办), by the routing the bureau edits")
    struct WorksRoutingTests {
        typealias Wire = Components.Schemas.Case

        static func intake(_ compound: Compound, _ domain: Components.Schemas.CaseDomain, channel: Components.Schemas.CaseChannel = .reception)
            -> Components.Schemas.CaseIntake {
            .init(channel: channel, externalNumber: channel == .hotline ? UUID().uuidString : nil, reporterName: "李大爷", reporterPhone: "13900001111",
                  compoundCode: compound.code, domain: domain, description: "改造施工挖断自来水管，整栋楼停水")
        }

        @Test("During the works a water case from the reception room goes to the builder's lead, a property-service case stays with the manager; after the works, back to the department")
        func routedToTheBuilder() async throws {
            try await withApp(demo: true) { app in
                let site = try await SiteDiaryTests.Site(app)
                let compound = site.c.d.first
                let api = CaseTests.API(app: app)
                let before = try #require(try await api.intake(Self.intake(compound, .water), as: "qizheng"))
                #expect(before.handler == .department)

                try await site.c.toWorks()
                let builderID = try site.contractors.builder.requireID()
                let burst = try #require(try await api.intake(Self.intake(compound, .water), as: "qizheng"))
                #expect(burst.handler == .company && burst.handlerCompanyId == builderID.uuidString && burst.handlerName == site.contractors.builder.name)
                let detail = try await api.detail(burst.id)
                #expect(detail.routing.contains { $0.contains("即接即办") && $0.contains("QZ-2026-01") })
                #expect(detail.routing.contains { $0.contains("王建国") && $0.contains("13804512233") })
                let service = try #require(try await api.intake(Self.intake(compound, .propertyService), as: "qizheng"))
                #expect(service.handlerCompanyId != builderID.uuidString)

                // The builder's staff take the case like any handler.
                let accepted = try #require(try await api.step(burst.id, .init(kind: .accept), as: "shigong"))
                #expect(accepted._case.state == .accepted)
                try await api.send(.GET, "/companies/\(builderID)/file", as: "qizheng") { res in
                    let record = try #require(try res.content.decode(Components.Schemas.CompanyFile.self).contractorRecord)
                    #expect(record.cases == 1 && record.openCases == 1 && record.overdueCases == 0)
                }

                // Once the works end (acceptance requested), the table's department again.
                _ = try await site.c.d.step(site.c.id, .requestAcceptance)
                let after = try #require(try await api.intake(Self.intake(compound, .water), as: "qizheng"))
                #expect(after.handler == .department)

                // The figures count the cases from the first day of works to completion, the one before not.
                try await api.send(.GET, "/renovation-figures", as: "qizheng") { res in
                    let f = try res.content.decode(Components.Schemas.RenovationFigures.self)
                    #expect(f.worksCases.received == 3, "\(f.worksCases)")
                    #expect(f.worksCases.replied == 0 && f.worksOnTimeRate == nil)
                }
            }
        }

        @Test("The bureau turns a domain's works routing off in the case settings; the change is audited and the next case follows it")
        func bureauEditsIt() async throws {
            try await withApp(demo: true) { app in
                let site = try await SiteDiaryTests.Site(app)
                try await site.c.toWorks()
                let api = CaseTests.API(app: app)
                var settings: Components.Schemas.CaseSettings?
                try await api.send(.GET, "/case-settings", as: "admin") { res in settings = try res.content.decode(Components.Schemas.CaseSettings.self) }
                var update = try #require(settings)
                #expect(Set(update.routing.filter { $0.duringWorks == true }.map(\.domain)) == [.constructionQuality, .water, .heating, .safety])
                update.routing = update.routing.map { entry in
                    var e = entry
                    if e.domain == .water { e.duringWorks = false }
                    return e
                }
                try await api.send(.PUT, "/case-settings", as: "admin", body: update) { res in #expect(res.status == .ok, "\(res.body.string.prefix(300))") }
                let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "routingRule").first())
                #expect(audit.after?.contains("\"duringWorks\":\"false\"") == true && audit.before?.contains("\"duringWorks\":\"true\"") == true)
                let water = try #require(try await api.intake(Self.intake(site.c.d.first, .water), as: "qizheng"))
                #expect(water.handler == .department)
                let heating = try #require(try await api.intake(Self.intake(site.c.d.first, .heating), as: "qizheng"))
                #expect(heating.handlerCompanyId == (try site.contractors.builder.requireID().uuidString))

                // The console's settings form: a box per domain; saving it unticked turns heating off too.
                let admin = try await ConsoleTests().login(app, "admin")
                let cookie: HTTPHeaders = ["Cookie": admin.cookie.cookieHeader]
                try await app.testing().test(.GET, "/console/case-settings", headers: cookie) { res in
                    let body = res.body.string
                    #expect(body.contains("name=\"works.heating\" checked") && !body.contains("name=\"works.water\" checked"))
                }
                var form = ["_csrf": admin.csrf]
                let current = try await CaseSettings.load(on: app.db)
                for (key, value) in CaseSettingsPage.ruleFields(current.rules) { form[key] = String(value) }
                for domain in CaseDomain.allCases {
                    form["route." + domain.rawValue] = current.routing.target(domain).key
                    if current.routing.duringWorks.contains(domain), domain != .heating { form["works." + domain.rawValue] = "on" }
                }
                try await app.testing().test(.POST, "/console/case-settings", headers: cookie, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther, "\(res.body.string.prefix(300))") }
                #expect(try await CaseSettings.load(on: app.db).routing.duringWorks == [.constructionQuality, .safety])
            }
        }
    }
}
