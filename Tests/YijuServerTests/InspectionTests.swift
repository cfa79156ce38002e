import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Inspections: checklists, findings with photos, rectification, credit, look-backs")
    struct InspectionTests {
        typealias Detail = Components.Schemas.Inspection
        typealias Order = Components.Schemas.RectificationOrder

        static func template(_ app: Application, _ code: String) async throws -> InspectionTemplate {
            try #require(try await InspectionTemplate.query(on: app.db).filter(\.$code == code).first())
        }

        static func verdicts(_ failing: [Int: (finding: String, rectifyBy: String?)], of count: Int) -> [Components.Schemas.InspectionVerdict] {
            (0..<count).map { i in
                failing[i].map { .init(passed: false, finding: $0.finding, rectifyBy: $0.rectifyBy) } ?? .init(passed: true)
            }
        }

        /// The monthly cleaning inspection of a managed 七政 compound on Monday 2026-03-02, by the
        /// street officer: items 2 (weight 5, to be put right by Thursday) and 4 (weight 4) fail.
        struct Inspected {
            let api: CaseTests.API
            let clock: TestClock
            let managed: Compound, abandoned: Compound
            let company: UUID
            let cleaning: InspectionTemplate
            let input: Components.Schemas.InspectionInput
            let detail: Detail
            var order: Order { detail.orders[0] }

            init(_ app: Application) async throws {
                clock = TestClock.mondayMorning(on: app)
                api = CaseTests.API(app: app)
                (managed, abandoned) = try await CaseTests.compounds(app)
                company = try #require(managed.$company.id)
                cleaning = try await InspectionTests.template(app, "cleaning")
                input = Components.Schemas.InspectionInput(
                    templateId: try cleaning.requireID().uuidString, compoundId: try managed.requireID().uuidString, note: "月度考评",
                    items: InspectionTests.verdicts([1: ("3 号楼垃圾站满溢，周边散落", "2026-03-05"), 3: ("2 单元下水井堵塞", nil)], of: 5))
                var detail: Detail?
                try await api.send(.POST, "/inspections", as: "qizheng", body: input) { res in
                    #expect(res.status == .created, "\(res.body.string.prefix(300))")
                    detail = try res.content.decode(Detail.self)
                }
                self.detail = try #require(detail)
            }
        }

        struct Verdict: Encodable { var rectified: Bool; var note: String }

        @Test("Seven checklists ship (six for compounds, 文明施工 for renovation sites); cleaning's items weigh 3, 5, 3, 4 and 1")
        func shippedChecklists() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)

                let cleaning = try await Self.template(app, "cleaning")

                #expect(cleaning.items.map(\.weight) == [3, 5, 3, 4, 1])
                try await api.send(.GET, "/inspection-templates", as: "qizheng") { res in
                    let templates = try res.content.decode([Components.Schemas.InspectionTemplate].self)
                    #expect(templates.map(\.code) == ["civilised-construction", "cleaning", "disclosure", "facilities", "greening", "security", "snow"])
                }
            }
        }

        @Test("A bad inspection names every problem — a failed item without a finding, deadlines, the item count, a future day — and writes nothing")
        func badInspection() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)  // 2026-03-03 is tomorrow
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let cleaning = try await Self.template(app, "cleaning")
                var bad = Components.Schemas.InspectionInput(templateId: try cleaning.requireID().uuidString, compoundId: try managed.requireID().uuidString,
                                                             items: Self.verdicts([1: ("", nil)], of: 5))
                bad.items[0].rectifyBy = "2026-03-09"
                bad.items[1].rectifyBy = "2026-02-20"

                try await api.send(.POST, "/inspections", as: "qizheng", body: bad) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(Set(res.apiError?.details.map(\.field) ?? []) == ["items[1].finding", "items[0].rectifyBy", "items[1].rectifyBy"])
                }
                bad = .init(templateId: try cleaning.requireID().uuidString, compoundId: try managed.requireID().uuidString, items: Self.verdicts([:], of: 4))
                try await api.send(.POST, "/inspections", as: "qizheng", body: bad) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "items")
                }
                bad.items = Self.verdicts([:], of: 5)
                bad.day = "2026-03-03"
                try await api.send(.POST, "/inspections", as: "qizheng", body: bad) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "day")
                }

                #expect(try await InspectionRecord.query(on: app.db).count() == 0)
                #expect(try await CreditEventEntry.query(on: app.db).count() == 0)
            }
        }

        @Test("Only inspectors inspect: the hotline, the company and a department are refused (403)")
        func onlyInspectorsInspect() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let cleaning = try await Self.template(app, "cleaning")
                let passing = Components.Schemas.InspectionInput(templateId: try cleaning.requireID().uuidString, compoundId: try managed.requireID().uuidString,
                                                                 items: Self.verdicts([:], of: 5))

                for user in ["rexian", "qzstaff", "gongre"] {
                    try await api.send(.POST, "/inspections", as: user, body: passing) { res in #expect(res.status == .forbidden, "\(user)") }
                }

                #expect(try await InspectionRecord.query(on: app.db).count() == 0)
            }
        }

        @Test("Failed items: the score is the weight passed, each failure costs the company its weight, a deadline makes an order")
        func failedItemsCost() async throws {
            try await withApp { app in
                let inspected = try await Inspected(app)
                let d = inspected.detail

                #expect(d.inspection.number == "JC20260302-0001" && d.inspection.score == 43.8 && d.inspection.failed == 2)
                #expect(d.inspection.companyId == inspected.company.uuidString && d.inspection.day == "2026-03-02" && d.inspection.templateVersion == 1)
                #expect(d.items.map(\.passed) == [true, false, true, false, true] && d.items[1].finding == "3 号楼垃圾站满溢，周边散落")
                #expect(d.orders.count == 1 && inspected.order.position == 2 && inspected.order.deadline == "2026-03-05"
                        && inspected.order.status == .open && !inspected.order.overdue)
                let entries = try await CreditEventEntry.query(on: app.db).filter(\.$company.$id == inspected.company).all()
                #expect(entries.map(\.points).sorted() == [-50, -40] && entries.allSatisfy { $0.kind == .inspectionFailure && $0.source.contains(d.inspection.number) })
                #expect(try await CreditService(db: app.db, actor: nil, now: inspected.clock.now).statement(company: inspected.company).score == 910)
            }
        }

        @Test("An abandoned compound is inspected, numbered on, without anyone's credit changing")
        func unmanagedCompound() async throws {
            try await withApp { app in
                let inspected = try await Inspected(app)
                let unmanaged = Components.Schemas.InspectionInput(templateId: try inspected.cleaning.requireID().uuidString,
                                                                   compoundId: try inspected.abandoned.requireID().uuidString,
                                                                   items: Self.verdicts([0: ("楼道堆满杂物", nil)], of: 5))

                try await inspected.api.send(.POST, "/inspections", as: "admin", body: unmanaged) { res in
                    let saved = try res.content.decode(Detail.self)
                    #expect(res.status == .created && saved.inspection.companyId == nil && saved.inspection.number == "JC20260302-0002")
                }

                #expect(try await CreditEventEntry.query(on: app.db).count() == 2)
            }
        }

        @Test("Photos document findings: images only, failed items only; whoever reads the inspection sees them, a department does not")
        func photos() async throws {
            try await withApp { app in
                let inspected = try await Inspected(app)
                let id = inspected.detail.inspection.id
                let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 3, count: 64))
                let token = try await app.token("qizheng")
                func upload(_ position: Int, _ data: Data, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/api/v1/inspections/\(id)/items/\(position)/photos",
                                                 headers: ["Authorization": "Bearer \(token)", "Content-Type": "image/png"],
                                                 beforeRequest: { req in req.body = ByteBuffer(data: data) }, afterResponse: check)
                }

                try await upload(2, png) { res in #expect(res.status == .created) }
                try await upload(1, png) { res in #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "position") }
                try await upload(2, Data("<svg/>".utf8)) { res in #expect(res.status == .unprocessableEntity && res.apiError?.code == "not_an_image") }
                try await upload(9, png) { res in #expect(res.status == .notFound) }

                let shown = try await Self.detail(inspected.api, id, as: "qzstaff")
                let photo = try #require(shown.items[1].photos.first)
                try await inspected.api.send(.GET, "/inspections/\(id)/photos/\(photo)", as: "qzstaff") { res in
                    #expect(res.status == .ok && res.body.readableBytes == png.count)
                }
                try await inspected.api.send(.GET, "/inspections/\(id)", as: "gongre") { res in #expect(res.status == .notFound) }
            }
        }

        @Test("The company reports once, in words; the inspecting street office verifies once; rectified costs nothing more; both audited")
        func reportAndVerify() async throws {
            try await withApp { app in
                let inspected = try await Inspected(app)
                let api = inspected.api, order = inspected.order

                try await api.send(.POST, "/rectification-orders/\(order.id)/report", as: "qizheng", body: ["report": "垃圾已清运"]) { res in
                    #expect(res.status == .forbidden)
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/report", as: "qzstaff", body: ["report": "x"]) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "report")
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/report", as: "qzstaff", body: ["report": "已清运并增加清运频次"]) { res in
                    let decoded = try res.content.decode(Order.self)
                    #expect(res.status == .ok && decoded.status == .reported)
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/report", as: "qzstaff", body: ["report": "再次报告整改"]) { res in
                    #expect(res.status == .conflict)
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/verify", as: "qzstaff", body: Verdict(rectified: true, note: "自查")) { res in
                    #expect(res.status == .forbidden)
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/verify", as: "qizheng", body: Verdict(rectified: true, note: "现场复查合格")) { res in
                    let verified = try res.content.decode(Order.self)
                    #expect(res.status == .ok && verified.status == .rectified && verified.verifiedBy == "qizheng")
                }
                try await api.send(.POST, "/rectification-orders/\(order.id)/verify", as: "qizheng", body: Verdict(rectified: false, note: "改判")) { res in
                    #expect(res.status == .conflict)
                }

                #expect(try await CreditEventEntry.query(on: app.db).filter(\.$kind == .refusedRectification).count() == 0)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "rectificationOrder").count() == 2)
            }
        }

        @Test("An order nobody acts on: \"not rectified\" waits for its deadline, then costs the company −20, audited")
        func unactedOrderCosts() async throws {
            try await withApp { app in
                let inspected = try await Inspected(app)
                let api = inspected.api
                // The first order was put right and verified.
                try await api.send(.POST, "/rectification-orders/\(inspected.order.id)/report", as: "qzstaff", body: ["report": "已清运并增加清运频次"]) { _ in }
                try await api.send(.POST, "/rectification-orders/\(inspected.order.id)/verify", as: "qizheng",
                                   body: Verdict(rectified: true, note: "现场复查合格")) { _ in }
                var second = inspected.input
                second.items = Self.verdicts([4: ("小广告未清除", "2026-03-04")], of: 5)
                var secondOrder: Order?
                try await api.send(.POST, "/inspections", as: "qizheng", body: second) { res in secondOrder = try res.content.decode(Detail.self).orders.first }
                let late = try #require(secondOrder)

                try await api.send(.GET, "/rectification-orders", as: "qzstaff") { res in
                    let decoded = try res.content.decode([Order].self)
                    #expect(decoded.map(\.id) == [late.id])
                }
                try await api.send(.POST, "/rectification-orders/\(late.id)/verify", as: "qizheng", body: Verdict(rectified: false, note: "未整改")) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "rectified")
                }
                inspected.clock.advance(days: 3)
                try await api.send(.GET, "/rectification-orders", as: "qizheng") { res in
                    let decoded = try res.content.decode([Order].self)
                    #expect(decoded.first?.overdue == true)
                }
                try await api.send(.POST, "/rectification-orders/\(late.id)/verify", as: "qizheng", body: Verdict(rectified: false, note: "逾期未整改")) { res in
                    let decoded = try res.content.decode(Order.self)
                    #expect(res.status == .ok && decoded.status == .notRectified)
                }

                let refusal = try #require(try await CreditEventEntry.query(on: app.db).filter(\.$kind == .refusedRectification).first())
                #expect(refusal.points == -200 && refusal.$company.id == inspected.company && refusal.effective == "2026-03-05")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "rectificationOrder").count() == 3)
            }
        }

        static func detail(_ api: CaseTests.API, _ id: String, as user: String) async throws -> Detail {
            var detail: Detail?
            try await api.send(.GET, "/inspections/\(id)", as: user) { res in detail = try res.content.decode(Detail.self) }
            return try #require(detail)
        }

        @Test("Templates are versioned; past inspections keep their items; a bad template names each problem")
        func templates() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let greening = try await Self.template(app, "greening")
                let before = Components.Schemas.InspectionInput(templateId: greening.id!.uuidString, compoundId: managed.id!.uuidString,
                                                                items: Self.verdicts([2: ("绿地被占用种菜", nil)], of: 3))
                var first = ""
                try await api.send(.POST, "/inspections", as: "qizheng", body: before) { res in first = try res.content.decode(Detail.self).inspection.id }

                typealias Input = Components.Schemas.InspectionTemplateInput
                let bad = Input(code: "greening", name: "绿化养护", category: .greening,
                                items: [.init(title: "草坪修剪", weight: 9), .init(title: "草坪修剪", weight: 2)])
                try await api.send(.POST, "/inspection-templates", as: "admin", body: bad) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["items[0].weight", "items[1].title"])
                }
                let good = Input(code: "greening", name: "绿化养护", category: .greening,
                                 items: [.init(title: "草坪按时修剪", weight: 2), .init(title: "无毁绿种菜", weight: 4)])
                try await api.send(.POST, "/inspection-templates", as: "qizheng", body: good) { res in #expect(res.status == .forbidden) }
                try await api.send(.POST, "/inspection-templates", as: "admin", body: good) { res in
                    let saved = try res.content.decode(Components.Schemas.InspectionTemplate.self)
                    #expect(res.status == .ok && saved.version == 2 && saved.items.count == 2 && saved.id == greening.id!.uuidString)
                }
                let kept = try await Self.detail(api, first, as: "admin")
                #expect(kept.items.count == 3 && kept.inspection.templateVersion == 1 && kept.items[2].title == greening.items[2].title)
                // The old three verdicts no longer fit; two do, against version 2.
                try await api.send(.POST, "/inspections", as: "qizheng", body: before) { res in #expect(res.status == .unprocessableEntity) }
                var after = before
                after.items = Self.verdicts([:], of: 2)
                try await api.send(.POST, "/inspections", as: "qizheng", body: after) { res in
                    let decoded = try res.content.decode(Detail.self)
                    #expect(res.status == .created && decoded.inspection.templateVersion == 2)
                }
                // Retired: listed only on request, and not usable.
                var retired = good
                retired.active = false
                try await api.send(.POST, "/inspection-templates", as: "admin", body: retired) { res in #expect(res.status == .ok) }
                try await api.send(.GET, "/inspection-templates", as: "admin") { res in
                    let decoded = try res.content.decode([Components.Schemas.InspectionTemplate].self)
                    #expect(!decoded.contains { $0.code == "greening" })
                }
                try await api.send(.GET, "/inspection-templates?includeRetired=true", as: "admin") { res in
                    let decoded = try res.content.decode([Components.Schemas.InspectionTemplate].self)
                    #expect(decoded.contains { $0.code == "greening" && !$0.active })
                }
                try await api.send(.POST, "/inspections", as: "qizheng", body: after) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "templateId")
                }
            }
        }

        @Test("Look-backs: compounds with concentrated cases qualify until re-inspected; a management area answers through its company")
        func lookBacksAndAreas() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                for _ in 0..<6 { _ = try await api.intake(CaseTests.hotline(managed, .sanitation)) }
                typealias Candidate = Components.Schemas.LookBackCandidate
                func candidates(as user: String) async throws -> [Candidate] {
                    var rows: [Candidate] = []
                    try await api.send(.GET, "/look-backs?days=30&minimum=5", as: user) { res in
                        #expect(res.status == .ok)
                        rows = try res.content.decode([Candidate].self)
                    }
                    return rows
                }
                let listed = try #require(try await candidates(as: "admin").first { $0.compoundId == managed.id!.uuidString })
                #expect(listed.cases == 6 && listed.due && listed.lastInspection == nil && listed.households == managed.households)
                #expect(try await candidates(as: "qizheng").contains { $0.compoundId == managed.id!.uuidString })
                try await api.send(.GET, "/look-backs", as: "rexian") { res in #expect(res.status == .forbidden) }
                try await api.send(.GET, "/look-backs?minimum=1", as: "admin") { res in
                    #expect(res.status == .badRequest && res.apiError?.code == "bad_parameter" && res.apiError?.details.first?.field == "minimum")
                }
                let security = try await Self.template(app, "security")
                let lookBack = Components.Schemas.InspectionInput(templateId: security.id!.uuidString, compoundId: managed.id!.uuidString, kind: .lookBack,
                                                                  items: Self.verdicts([:], of: 5))
                try await api.send(.POST, "/inspections", as: "qizheng", body: lookBack) { res in #expect(res.status == .created) }
                let after = try #require(try await candidates(as: "admin").first { $0.compoundId == managed.id!.uuidString })
                #expect(!after.due && after.lastInspection == "2026-03-02")

                // A management area of an adopted plan: inspected as one when one company manages it.
                let area = try #require(try await ManagementArea.query(on: app.db).sort(\.$code).first())
                let compounds = try await AreaAssignment.query(on: app.db).filter(\.$area.$id == area.id!).filter(\.$startDate <= "2026-03-02").filter(\.$endDate == nil).with(\.$compound).all().map(\.compound)
                let companies = Set(compounds.filter { $0.management == .professional }.compactMap { $0.$company.id })
                let areaInput = Components.Schemas.InspectionInput(templateId: security.id!.uuidString, areaId: area.id!.uuidString, items: Self.verdicts([:], of: 5))
                try await api.send(.POST, "/inspections", as: "admin", body: areaInput) { res in
                    if companies.count <= 1 {
                        #expect(res.status == .created)
                        let saved = try res.content.decode(Detail.self).inspection
                        #expect(saved.areaCode == area.code && saved.companyId == companies.first?.uuidString)
                    } else {
                        #expect(res.status == .unprocessableEntity && res.apiError?.code == "area_has_several_companies")
                    }
                }
                var both = areaInput
                both.compoundId = managed.id!.uuidString
                try await api.send(.POST, "/inspections", as: "admin", body: both) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "compoundId")
                }
            }
        }

        /// A multipart/form-data body as a phone's browser sends the checklist form.
        static func multipart(_ fields: [(String, String)], files: [(String, Data)], boundary: String) -> ByteBuffer {
            var body = ""
            var buffer = ByteBuffer()
            for (name, value) in fields {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            buffer.writeString(body)
            for (name, data) in files {
                buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).png\"\r\nContent-Type: image/png\r\n\r\n")
                buffer.writeBytes(data)
                buffer.writeString("\r\n")
            }
            buffer.writeString("--\(boundary)--\r\n")
            return buffer
        }

        @Test("The console: the phone checklist with a photo, the company's report, the verification, the checklist editor")
        func console() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let cleaning = try await Self.template(app, "cleaning")
                let console = ConsoleTests()
                let officer = try await console.login(app, "qizheng")
                let headers: HTTPHeaders = ["Cookie": officer.cookie.cookieHeader]
                try await app.testing().test(.GET, "/console/inspections", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"start-inspection\"") && res.body.string.contains(managed.code))
                }
                try await app.testing().test(.GET, "/console/inspections/new?template=\(cleaning.id!)&compound=\(managed.code)+\(managed.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", headers: headers) { res in
                    #expect(res.status == .ok, "\(res.body.string.suffix(600))")
                    #expect(res.body.string.components(separatedBy: "class=\"check-item\"").count == 6)
                }
                let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 9, count: 80))
                let boundary = "yiju-test-boundary"
                var fields: [(String, String)] = [("_csrf", officer.csrf), ("templateId", cleaning.id!.uuidString), ("compound", managed.code),
                                                  ("kind", "routine"), ("day", "2026-03-02"), ("count", "5"), ("note", "")]
                for i in 0..<5 { fields.append(("verdict\(i)", i == 1 ? "fail" : "pass")) }
                func submit(_ fields: [(String, String)], _ files: [(String, Data)], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/console/inspections", headers: ["Cookie": officer.cookie.cookieHeader, "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                                 beforeRequest: { req in req.body = Self.multipart(fields, files: files, boundary: boundary) }, afterResponse: check)
                }
                // A failed item without a finding: the form comes back with the problem and what was typed.
                try await submit(fields + [("rectifyBy1", "2026-03-06")], [("photo1", png)]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("items[1].finding") && res.body.string.contains("2026-03-06"))
                }
                try await submit(fields + [("finding1", "垃圾站满溢"), ("rectifyBy1", "2026-03-06")], [("photo1", Data("GIF89a".utf8))]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("photo1"))
                }
                #expect(try await InspectionRecord.query(on: app.db).count() == 0)
                var location = ""
                try await submit(fields + [("finding1", "垃圾站满溢"), ("rectifyBy1", "2026-03-06")], [("photo1", png)]) { res in
                    #expect(res.status == .seeOther)
                    location = res.headers.first(name: .location) ?? ""
                }
                let record = try #require(try await InspectionRecord.query(on: app.db).first())
                #expect(location == "/console/inspections/\(record.id!)" && record.score == 688)
                #expect(try await InspectionPhoto.query(on: app.db).count() == 1)
                let order = try #require(try await RectificationOrder.query(on: app.db).first())
                #expect(order.deadline == "2026-03-06" && order.status == .open)

                // The company reports on its page; the street office verifies.
                let staffUser = try #require(try await User.query(on: app.db).filter(\.$username == "qzstaff").first())
                staffUser.passwordHash = try await Credentials(app: app).hashPassword(DemoLoader.demoPassword)
                try await staffUser.save(on: app.db)
                let staff = try await console.login(app, "qzstaff")
                try await app.testing().test(.GET, location, headers: ["Cookie": staff.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("/orders/\(order.id!)/report") && !res.body.string.contains("/verify"))
                    #expect(res.body.string.contains("/console/inspections/\(record.id!)/photos/"))
                }
                try await app.testing().test(.POST, location + "/orders/\(order.id!)/report", headers: ["Cookie": staff.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(["_csrf": staff.csrf, "report": "已清运，增加清运频次"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.POST, location + "/orders/\(order.id!)/verify", headers: headers, beforeRequest: { req in
                    try req.content.encode(["_csrf": officer.csrf, "outcome": "rectified", "note": "复查合格"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                #expect(try await RectificationOrder.find(order.id, on: app.db)?.status == .rectified)

                // The checklist editor: the bureau only; a bad line is named.
                let admin = try await console.login(app, "admin")
                try await app.testing().test(.POST, "/console/inspection-templates", headers: ["Cookie": admin.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(["_csrf": admin.csrf, "code": "elevator", "name": "电梯", "category": "facilities", "active": "1",
                                            "items": "5 | 电梯年检合格\n电梯轿厢整洁"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .unprocessableEntity && res.body.string.contains("line 2")) }
                try await app.testing().test(.POST, "/console/inspection-templates", headers: ["Cookie": admin.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(["_csrf": admin.csrf, "code": "elevator", "name": "电梯", "category": "facilities", "active": "1",
                                            "items": "5 | 电梯年检合格\n2 | 电梯轿厢整洁"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                #expect(try await Self.template(app, "elevator").items.map(\.weight) == [5, 2])
                try await app.testing().test(.POST, "/console/inspection-templates", headers: headers, beforeRequest: { req in
                    try req.content.encode(["_csrf": officer.csrf, "code": "elevator", "name": "电梯", "category": "facilities", "items": "1 | x"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .forbidden) }
            }
        }

        @Test("The company file in one resource: compounds, contracts, inspections, open orders, case figures and credit; scoped by role")
        func companyFile() async throws {
            try await withApp { app in
                _ = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let company = try #require(managed.$company.id)
                let other = try #require(try await Company.properties(on: app.db).filter(\.$id != company).first())
                _ = try await api.intake(CaseTests.hotline(managed, .propertyService))
                let facilities = try await Self.template(app, "facilities")
                let input = Components.Schemas.InspectionInput(templateId: facilities.id!.uuidString, compoundId: managed.id!.uuidString,
                                                               items: Self.verdicts([2: ("灭火器过期", "2026-03-09")], of: 5))
                try await api.send(.POST, "/inspections", as: "qizheng", body: input) { res in #expect(res.status == .created) }
                typealias File = Components.Schemas.CompanyFile
                var file: File?
                try await api.send(.GET, "/companies/\(company)/file", as: "admin") { res in
                    #expect(res.status == .ok)
                    file = try res.content.decode(File.self)
                }
                let f = try #require(file)
                #expect(f.company.id == company.uuidString && f.compounds.contains { $0.id == managed.id!.uuidString })
                #expect(f.compounds.count == f.company.compoundCount)
                #expect(f.inspections.map(\.failed) == [1] && f.openOrders.map(\.item) == [facilities.items[2].title])
                #expect(f.credit.score == 95 && f.credit.lines.count == 1 && f.credit.lines[0].kind == .inspectionFailure)
                #expect(f.caseFigures?.current.total == 1 && f.caseFigures?.previous.total == 0)
                try await api.send(.GET, "/companies/\(company)/file", as: "qzstaff") { res in #expect(res.status == .ok) }
                try await api.send(.GET, "/companies/\(other.id!)/file", as: "qzstaff") { res in #expect(res.status == .notFound) }
                try await api.send(.GET, "/companies/\(company)/file", as: "gongre") { res in
                    let seen = try res.content.decode(File.self)
                    #expect(res.status == .ok && seen.inspections.isEmpty && seen.openOrders.isEmpty)
                }
                let admin = try await ConsoleTests().login(app, "admin")
                try await app.testing().test(.GET, "/console/companies/\(company)", headers: ["Cookie": admin.cookie.cookieHeader]) { res in
                    let html = res.body.string
                    #expect(res.status == .ok && html.contains("id=\"company-inspections\"") && html.contains("id=\"company-orders\""))
                    #expect(html.contains("id=\"company-figures\"") && html.contains("灭火器过期"))
                }
            }
        }
    }
}
