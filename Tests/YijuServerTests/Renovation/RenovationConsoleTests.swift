import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation in the console: the inventory form, a project planned from the gaps, the plan's form, the steps")
    struct RenovationConsoleTests {
        @Test("A street officer records a compound's facilities, plans a project from its gaps, costs the scope and starts consulting")
        func officerPlansFromGaps() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                let compoundID = try d.first.requireID()
                func post(_ path: String, _ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }

                // The compound's page links its inventory; the inventory form lists the catalogue.
                try await app.testing().test(.GET, "/console/compounds/\(compoundID)", headers: headers) { res in
                    #expect(res.body.string.contains("/console/compounds/\(compoundID)/facilities"))
                }
                try await app.testing().test(.GET, "/console/compounds/\(compoundID)/facilities", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.components(separatedBy: "name=\"quantity.").count == 21)
                    #expect(res.body.string.contains("/console/renovation/new?compound=\(compoundID)&amp;office=") || res.body.string.contains("/console/renovation/new?compound=\(compoundID)&office="))
                }
                try await post("/console/compounds/\(compoundID)/facilities", ["quantity.parkingSpaces": "十", "quantity.greening": "120"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("quantity.parkingSpaces") && res.body.string.contains("120"))
                }
                try await post("/console/compounds/\(compoundID)/facilities", ["quantity.parkingSpaces": "10", "condition.parkingSpaces": "good",
                                                                             "quantity.waterDrainage": "300", "condition.waterDrainage": "worn"]) { res in
                    #expect(res.status == .seeOther)
                }
                #expect(try await CompoundFacility.query(on: app.db).filter(\.$compound.$id == compoundID).count() == 2)

                // The new project's form offers the street office's compounds; money that does not add up keeps what was typed.
                try await app.testing().test(.GET, "/console/renovation/new?compound=\(compoundID)", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("name=\"compound.\(compoundID)\" checked"))
                    #expect(!res.body.string.contains(d.elsewhere.code))
                }
                var form = ["code": "QZ-2026-01", "name": "七政片区改造", "year": "2026", "budget": "1,000,000", "fund.higherSubsidy": "600000",
                            "fund.districtBudget": "300000", "compound.\(compoundID)": "on", "plannedStart": "2026-04-01"]
                try await post("/console/renovation", form) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("funding") && res.body.string.contains("QZ-2026-01"))
                }
                form["fund.residents"] = "100000.00"
                var location = ""
                try await post("/console/renovation", form) { res in
                    #expect(res.status == .seeOther, "\(res.body.string.suffix(800))")
                    location = res.headers.first(name: .location) ?? ""
                }
                let project = try #require(try await RenovationProject.query(on: app.db).first())
                #expect(location == "/console/renovation/\(project.id!)" && project.budgetFen == 100_000_000 && project.funding.count == 3)
                let scope = try await RenovationScopeItem.query(on: app.db).filter(\.$project.$id == project.requireID()).sort(\.$position).all()
                #expect(scope.contains { $0.item == "waterDrainage" && $0.quantity == 300 } && scope.allSatisfy { $0.costFen == 0 })

                // The project page: approval is offered only once the residents decided; the plan's form lists the scope.
                try await app.testing().test(.GET, location, headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("value=\"startConsultation\"") && res.body.string.contains("id=\"scope-form\""))
                    #expect(res.body.string.contains("name=\"item\(scope.count + 4)\""))  // five blank lines
                }
                // Cost the first line, remove the second, add a shed; a bad cost is named by its line.
                var plan = ["name": "七政片区改造", "budget": "1000000", "fund.higherSubsidy": "600000", "fund.districtBudget": "300000",
                            "fund.residents": "100000", "count": String(scope.count + 5), "households": String(project.households)]
                for (i, line) in scope.enumerated() {
                    plan["item\(i)"] = line.item
                    plan["quantity\(i)"] = Format.quantity(line.quantity)
                    plan["cost\(i)"] = "0"
                    plan["compound\(i)"] = line.$compound.id?.uuidString ?? ""
                }
                plan["cost0"] = "120000"
                plan["remove1"] = "on"
                plan["item\(scope.count)"] = "bicycleShed"
                plan["quantity\(scope.count)"] = "1"
                plan["cost\(scope.count)"] = "八万"
                try await post(location + "/plan", plan) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("cost\(scope.count)") && res.body.string.contains("line \(scope.count + 1)"))
                }
                plan["cost\(scope.count)"] = "80000"
                plan["quantity\(scope.count)"] = "0"
                try await post(location + "/plan", plan) { res in
                    // The service's `scope[k]` is the form's line: named as the officer numbered it.
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("line \(scope.count + 1)"), "\(res.body.string.suffix(900))")
                }
                plan["quantity\(scope.count)"] = "1"
                try await post(location + "/plan", plan) { res in #expect(res.status == .seeOther) }
                let replanned = try await RenovationScopeItem.query(on: app.db).filter(\.$project.$id == project.requireID()).sort(\.$position).all()
                #expect(replanned.count == scope.count && replanned[0].costFen == 12_000_000 && replanned.last?.item == "bicycleShed")
                #expect(replanned.last?.costFen == 8_000_000 && !replanned.contains { $0.item == scope[1].item && $0.$compound.id == scope[1].$compound.id })

                try await post(location + "/transitions", ["transition": "startConsultation"]) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.GET, location, headers: headers) { res in
                    #expect(res.body.string.contains("value=\"approve\"") && res.body.string.contains("disabled") && res.body.string.contains("一访"))
                }
                try await post(location + "/transitions", ["transition": "approve"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("一议"))
                }
                try await app.testing().test(.GET, "/console/renovation?status=consulting", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("QZ-2026-01") && res.body.string.contains("project-consulting"))
                }

                // A grid worker reads the project but is offered no step and no plan form.
                let grid = try await console.login(app, "wangge")
                try await app.testing().test(.GET, location, headers: ["Cookie": grid.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains("name=\"transition\"") && !res.body.string.contains("id=\"plan\""))
                }
                try await app.testing().test(.GET, "/console/renovation/new", headers: ["Cookie": grid.cookie.cookieHeader]) { res in
                    #expect(res.status == .forbidden)
                }
            }
        }

        @Test("The bureau edits the settings: the catalogue's lines, the standard as JSON, the thresholds; a bad standard is named and nothing saved")
        func settings() async throws {
            try await withApp(demo: true) { app in
                let console = ConsoleTests()
                let admin = try await console.login(app, "admin")
                let headers: HTTPHeaders = ["Cookie": admin.cookie.cookieHeader]
                var form: [String: String] = ["_csrf": admin.csrf, "count": "23", "minimumResponseShare": "0.7", "minimumSatisfiedShare": "0.9", "noticeDays": "10",
                                               "dayLimitDecibels": "70", "nightLimitDecibels": "50", "nightStarts": "22:00", "nightEnds": "06:00",
                                               "quietPeriods": "高考 06-07 06-09 55\n中考 06-2x 06-22 55"]
                for (i, item) in WorkItemCatalogue.default.items.enumerated() {
                    form["code\(i)"] = item.code
                    form["nameZh\(i)"] = item.nameZh
                    form["nameEn\(i)"] = item.nameEn
                    form["category\(i)"] = item.category.rawValue
                    form["unit\(i)"] = item.unit
                }
                form["code20"] = "rainGarden"
                form["nameZh20"] = "雨水花园"
                form["unit20"] = "m²"
                form["category20"] = "improvement"
                form["standard"] = "[{\"code\": \"1.1\"}]"
                try await app.testing().test(.POST, "/console/renovation/settings", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("<code>standard</code>") && res.body.string.contains("雨水花园"))
                }
                // A count below zero (the form fuzzer's find: it once stopped the server) reads as no lines.
                var negative = form
                negative["count"] = "-1"
                try await app.testing().test(.POST, "/console/renovation/settings", headers: headers, beforeRequest: { req in
                    try req.content.encode(negative, as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                }
                // A quiet period whose day is not a day is named by the rules' check once the form reads.
                let encoder = JSONEncoder()
                form["standard"] = String(decoding: try encoder.encode(CommunityStandard.default.indicators), as: UTF8.self)
                try await app.testing().test(.POST, "/console/renovation/settings", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("rules.site.quietPeriods[1].from"))
                }
                form["quietPeriods"] = "高考 06-07 06-09 55\n中考 06-20 06-22 55"
                form["standard"] = String(decoding: try encoder.encode(CommunityStandard.default.indicators), as: UTF8.self)
                try await app.testing().test(.POST, "/console/renovation/settings", headers: headers, beforeRequest: { req in
                    try req.content.encode(form, as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                let current = try await RenovationSettingsStore.current(on: app.db)
                #expect(current.version == 2 && current.settings.catalogue.item("rainGarden") != nil && current.settings.rules.noticeDays == 10)
                #expect(current.settings.standard == .default && abs(current.settings.rules.minimumResponseShare - 0.7) < 1e-9)
                #expect(current.settings.rules.site.nightLimitDecibels == 50
                        && current.settings.rules.site.quietPeriods == [QuietPeriod(name: "高考", from: "06-07", to: "06-09", limitDecibels: 55),
                                                                        QuietPeriod(name: "中考", from: "06-20", to: "06-22", limitDecibels: 55)])

                let officer = try await console.login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation/settings", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("雨水花园") && !res.body.string.contains("name=\"standard\""))
                }
                try await app.testing().test(.POST, "/console/renovation/settings", headers: ["Cookie": officer.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                }) { res in #expect(res.status == .forbidden) }
            }
        }

        @Test("The consultation page: a visit and an opinion recorded from its forms, a bad number named with the form kept open, read-only for a grid worker")
        func consultationPage() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app)
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                let page = "/console/renovation/\(c.id)/consultation"
                func post(_ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, page, headers: headers, beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await app.testing().test(.GET, "/console/renovation/\(c.id)", headers: headers) { res in
                    #expect(res.body.string.contains(page))
                }
                let compound = try c.d.first.requireID().uuidString
                try await post(["kind": "visit", "compound": compound, "building": "一", "unit": "2", "room": "301", "day": c.today, "text": "加装电梯"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("<code>building</code>"))
                    #expect(res.body.string.contains("加装电梯") && res.body.string.contains("<details class=\"new-record\" open>"))
                }
                try await post(["kind": "visit", "compound": compound, "building": "1", "unit": "2", "room": "301", "day": c.today,
                                "text": "加装电梯", "item.elevator": "on"]) { res in
                    #expect(res.status == .seeOther)
                }
                try await post(["kind": "opinion", "round": "1", "channel": "visit", "day": c.today, "text": "停车难", "person": "张阿姨"]) { res in
                    #expect(res.status == .seeOther)
                }
                try await post(["kind": "round", "round": "1", "step": "publish", "day": c.today, "text": "初步方案"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("round 1 publishes after its opinions were collected"))
                }
                let records = try await ConsultationRecord.query(on: app.db).sort(\.$sequence).all()
                #expect(records.map(\.kind) == [.visit, .opinion] && records[0].itemCodes == ["elevator"] && records[1].person == "张阿姨")
                try await app.testing().test(.GET, page, headers: headers) { res in
                    #expect(res.body.string.contains("张阿姨") && res.body.string.contains("1 / ") && res.body.string.contains("name=\"kind\" value=\"answer\""))
                }
                let grid = try await console.login(app, "wangge")
                try await app.testing().test(.GET, page, headers: ["Cookie": grid.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("张阿姨") && !res.body.string.contains("name=\"kind\""))
                }
            }
        }

        @Test("The survey on a phone: each answer keeps the compound and building for the next household, a second answer from a household is refused, the arithmetic shows")
        func surveyPage() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app, households: 6)
                try await c.toAcceptance()
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                let page = "/console/renovation/\(c.id)/acceptance"
                let compound = try c.d.first.requireID().uuidString
                func post(_ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, page, headers: headers, beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": officer.csrf]) { $1 }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await app.testing().test(.GET, "/console/renovation/\(c.id)", headers: headers) { res in
                    #expect(res.body.string.contains(page))
                }
                let answer = ["kind": "response", "compound": compound, "building": "1", "unit": "2", "room": "301", "verdict": "satisfied"]
                try await post(answer) { res in
                    #expect(res.status == .seeOther)
                    let next = res.headers.first(name: .location) ?? ""
                    #expect(next.hasPrefix(page + "?") && next.contains("building=1") && next.contains("unit=2") && next.contains(compound))
                }
                try await post(answer) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("has answered this survey already"))
                }
                try await post(answer.merging(["room": "302", "verdict": ""]) { $1 }) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("<code>verdict</code>"))
                }
                try await app.testing().test(.GET, page + "?building=1&unit=2&compound=\(compound)", headers: headers) { res in
                    let html = res.body.string
                    #expect(html.contains("1 / 6") && html.contains("测评未通过") && html.contains("name=\"building\" inputmode=\"numeric\" value=\"1\""))
                }
                try await post(["kind": "close", "day": c.today]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("completion check"))
                }
                try await post(["kind": "check", "day": c.today, "participants": "社区 王主任\n业委会 李主任", "punchList": ""]) { res in
                    #expect(res.status == .seeOther)
                }
                #expect(try await AcceptanceRound.query(on: app.db).first()?.participants == "社区 王主任\n业委会 李主任")
                let grid = try await console.login(app, "wangge")
                try await app.testing().test(.GET, page, headers: ["Cookie": grid.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("1 / 6") && !res.body.string.contains("name=\"kind\""))
                }
            }
        }

        @Test("The district map coloured by renovation: a project's compounds in its status's colour, linked to it; those without one pale; only the projects one may see")
        func mapByRenovation() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app)
                let officer = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/map?colour=renovation", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    let svg = res.body.string
                    #expect(res.status == .ok && svg.components(separatedBy: "class='compound project-consulting'").count - 1 == 2)
                    #expect(svg.contains("href='/console/renovation/\(c.id)'") && svg.contains("QZ-2026-01 征求意见"))
                    #expect(svg.contains("class='compound project-none'") && !svg.contains("class='compound mode-"))
                    #expect(svg.contains("无改造项目") && svg.contains("selected>按改造项目状态"))
                }
                try await app.testing().test(.GET, "/console/map", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("class='compound mode-") && !res.body.string.contains("project-consulting"))
                }
                let company = try await ConsoleTests().login(app, "zhengyi")
                try await app.testing().test(.GET, "/console/map?colour=renovation", headers: ["Cookie": company.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains("project-consulting"))
                }
            }
        }
    }
}
