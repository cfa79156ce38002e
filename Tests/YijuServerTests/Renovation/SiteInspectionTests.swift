import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: site inspections (文明施工) raise orders on the builder, who is not graded; its own record")
    struct SiteInspectionTests {
        typealias Detail = Components.Schemas.Inspection

        func inspect(_ site: SiteDiaryTests.Site, _ body: Components.Schemas.InspectionInput, as user: String = "qizheng",
                     expect status: HTTPStatus = .created) async throws -> (Detail?, APIError.Inner?) {
            var detail: Detail?, error: APIError.Inner?
            try await site.api.send(.POST, "/inspections", as: user, body: body) { res in
                #expect(res.status == status, "\(res.body.string.prefix(400))")
                if res.status == .created { detail = try res.content.decode(Detail.self) } else { error = res.apiError }
            }
            return (detail, error)
        }

        static func siteInput(_ template: InspectionTemplate, project: String?, compound: String? = nil) throws -> Components.Schemas.InspectionInput {
            .init(templateId: try template.requireID().uuidString, compoundId: compound, projectId: project, note: "月度文明施工检查",
                  items: InspectionTests.verdicts([1: ("3号楼东侧土方未苫盖", "2026-03-14"), 3: ("22:40 仍在切割作业", "2026-03-12")], of: 8))
        }

        @Test("The officer inspects the site with the 文明施工 checklist: the orders go to the builder, no credit points; the builder reports, and its record counts it all")
        func ordersOnTheBuilder() async throws {
            try await withApp(demo: true) { app in
                let site = try await SiteDiaryTests.Site(app)
                let civilised = try await InspectionTests.template(app, "civilised-construction")
                let early = try await inspect(site, try Self.siteInput(civilised, project: site.c.id), expect: .conflict).1
                #expect(early?.code == "works_not_on")
                try await site.c.toWorks()
                let builderID = try site.contractors.builder.requireID()

                let detail = try #require(try await inspect(site, try Self.siteInput(civilised, project: site.c.id)).0)
                #expect(detail.inspection.projectId == site.c.id && detail.inspection.companyId == builderID.uuidString)
                #expect(detail.inspection.projectCode == "QZ-2026-01" && detail.inspection.failed == 2)
                #expect(detail.orders.count == 2 && detail.orders.allSatisfy { $0.companyId == builderID.uuidString })
                // A contractor is not graded: nothing on a credit ledger.
                #expect(try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == builderID).count() == 0)

                // The builder sees its site's inspection and reports one order put right.
                try await site.api.send(.GET, "/inspections/\(detail.inspection.id)", as: "shigong") { res in #expect(res.status == .ok) }
                let order = try #require(detail.orders.first { $0.position == 2 })
                try await site.api.send(.POST, "/rectification-orders/\(order.id)/report", as: "shigong", body: ["report": "已全部苫盖并洒水"]) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(300))")
                }
                try await site.api.send(.GET, "/inspections?projectId=\(site.c.id)", as: "qizheng") { res in
                    let rows = try res.content.decode([Components.Schemas.InspectionSummary].self)
                    #expect(rows.map(\.id) == [detail.inspection.id])
                }

                // The other order runs past its deadline and is found not put right: still no credit points.
                site.c.d.clock.advance(days: 30)
                let late = try #require(detail.orders.first { $0.position == 4 })
                try await site.api.send(.POST, "/rectification-orders/\(late.id)/verify", as: "qizheng",
                                        body: InspectionTests.Verdict(rectified: false, note: "夜间仍有施工")) { res in #expect(res.status == .ok) }
                #expect(try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == builderID).count() == 0)

                _ = try #require(try await site.write(site.today, SiteDiaryTests.Site.input(dust: false)).0)
                try await site.api.send(.GET, "/companies/\(builderID)/file", as: "qizheng") { res in
                    let file = try res.content.decode(Components.Schemas.CompanyFile.self)
                    let record = try #require(file.contractorRecord)
                    #expect(record.inspections == 1 && record.failedItems == 2 && record.awaitingVerification == 1 && record.notRectified == 1)
                    #expect(record.openOrders == 0 && record.diaryDays == 1 && record.daysWithFindings == 1)
                }
                try await site.api.send(.GET, "/companies/\(try site.contractors.manager.requireID())/file", as: "qizheng") { res in
                    let file = try res.content.decode(Components.Schemas.CompanyFile.self)
                    #expect(file.contractorRecord == nil)
                }
            }
        }

        @Test("A 文明施工 checklist inspects only sites, and a site only with one; a site without a builder, or named with a compound, is refused")
        func refusals() async throws {
            try await withApp(demo: true) { app in
                let site = try await SiteDiaryTests.Site(app)
                try await site.c.toWorks()
                let civilised = try await InspectionTests.template(app, "civilised-construction")
                let cleaning = try await InspectionTests.template(app, "cleaning")
                let compound = try site.c.d.first.requireID().uuidString
                let onCompound = try await inspect(site, try Self.siteInput(civilised, project: nil, compound: compound), expect: .unprocessableEntity).1
                #expect(onCompound?.details.map(\.field) == ["templateId"])
                var cleaningSite = try Self.siteInput(cleaning, project: site.c.id)
                cleaningSite.items = InspectionTests.verdicts([:], of: 5)
                #expect(try await inspect(site, cleaningSite, expect: .unprocessableEntity).1?.details.map(\.field) == ["templateId"])
                let both = try await inspect(site, try Self.siteInput(civilised, project: site.c.id, compound: compound), expect: .unprocessableEntity).1
                #expect(both?.details.map(\.field) == ["projectId"])
                _ = try await inspect(site, try Self.siteInput(civilised, project: site.c.id), as: "wangge", expect: .forbidden)
                _ = try await inspect(site, try Self.siteInput(civilised, project: site.c.id), as: "shigong", expect: .forbidden)

                // Without a builder engaged, no one would answer for the orders.
                _ = try await EngagementTests().engage(site.c.d, site.c.id, [try EngagementTests.input(.supervision, site.contractors.supervisor)])
                let unbuilt = try await inspect(site, try Self.siteInput(civilised, project: site.c.id), expect: .unprocessableEntity).1
                #expect(unbuilt?.details.map(\.field) == ["projectId"])
                #expect(try await InspectionRecord.query(on: app.db).count() == 0)
            }
        }

        @Test("The console: the officer starts a site inspection from the diary page; the builder is named on the form and the diary lists it")
        func console() async throws {
            try await withApp(demo: true) { app in
                let site = try await SiteDiaryTests.Site(app)
                try await site.c.toWorks()
                let officer = try await ConsoleTests().login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                let diary = "/console/renovation/\(site.c.id)/diary"
                var link = ""
                try await app.testing().test(.GET, diary, headers: headers) { res in
                    let body = res.body.string
                    let match = try #require(body.firstMatch(of: /href="([^"]+)" id="inspect-site"/))
                    link = String(match.output.1).replacingOccurrences(of: "&amp;", with: "&")
                }
                #expect(link.contains("project=\(site.c.id)"))
                try await app.testing().test(.GET, link, headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"site-builder\"") && res.body.string.contains(site.contractors.builder.name))
                }
                let civilised = try await InspectionTests.template(app, "civilised-construction")
                var fields: [(String, String)] = [("_csrf", officer.csrf), ("templateId", try civilised.requireID().uuidString), ("project", site.c.id),
                                                  ("kind", "routine"), ("count", "8"), ("day", site.today)]
                fields += [("verdict1", "fail"), ("finding1", "土方未苫盖"), ("rectifyBy1", Calendar.shanghai.day(site.today, plus: 3))]
                let boundary = "yiju-site"
                try await app.testing().test(.POST, "/console/inspections", headers: ["Cookie": officer.cookie.cookieHeader, "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                             beforeRequest: { req in req.body = InspectionTests.multipart(fields, files: [], boundary: boundary) }) { res in
                    #expect(res.status == .seeOther, "\(res.body.string.prefix(600))")
                }
                let record = try #require(try await InspectionRecord.query(on: app.db).first())
                #expect(record.$project.id?.uuidString == site.c.id && record.$company.id == site.contractors.builder.id)
                try await app.testing().test(.GET, diary, headers: headers) { res in
                    #expect(res.body.string.contains("id=\"site-inspections\"") && res.body.string.contains(record.number))
                }
                try await app.testing().test(.GET, "/console/companies/\(try site.contractors.builder.requireID())", headers: headers) { res in
                    let body = res.body.string
                    #expect(body.contains("id=\"contractor-record\"") && body.contains("现场检查次数") && body.contains(record.number))
                }
                let builder = try await ConsoleTests().login(app, "shigong")
                try await app.testing().test(.GET, diary, headers: ["Cookie": builder.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains(record.number) && !res.body.string.contains("id=\"inspect-site\""))
                }
            }
        }
    }
}
