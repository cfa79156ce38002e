import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: residents object to the plan themselves while its notice runs (一公示); each objection is answered before approval")
    struct RenovationObjectionTests {
        typealias Input = Components.Schemas.ObjectionInput

        /// A consulting project whose rounds 1 and 2 are published: the notice is next.
        static func beforeNotice(_ app: Application) async throws -> ConsultationTests.Consulting {
            let c = try await ConsultationTests.Consulting(app)
            _ = try await c.visit()
            _ = try await c.meeting()
            try await c.bothRounds()
            return c
        }

        static func object(_ app: Application, _ id: String, _ input: Input, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
            try await app.testing().test(.POST, "/api/v1/public/renovation-projects/\(id)/objections",
                                         beforeRequest: { req in try req.content.encode(input, as: .json) }, afterResponse: check)
        }

        @Test("Taken only while the notice runs, field by field; a round-2 opinion with the phone for the officer, masked for the others; approval waits on its answer")
        func objectAndAnswer() async throws {
            try await withApp(demo: true) { app in
                let c = try await Self.beforeNotice(app)
                let good = Input(name: "刘女士", phone: "139 0451 7788", compoundId: c.d.first.code, body: "新增车位会占用3号楼前的绿地")
                try await Self.object(app, c.id, good) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "notice_not_running")
                }
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "小区公示栏公示7天"))
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)") { res in
                    let p = try res.content.decode(Components.Schemas.PublicRenovationProject.self)
                    #expect(p.objectionsOpen)
                }
                try await Self.object(app, c.id, Input(name: " ", phone: "12ab", compoundId: c.d.elsewhere.code, body: "短")) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["name", "phone", "body"])
                }
                try await Self.object(app, c.id, Input(name: good.name, phone: good.phone, compoundId: c.d.elsewhere.code, body: good.body)) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.field) == ["compoundId"])
                }
                #expect(try await ConsultationRecord.query(on: app.db).filter(\.$channel == .notice).count() == 0)

                var objectionID = ""
                try await Self.object(app, c.id, good) { res in
                    #expect(res.status == .created, "\(res.body.string.prefix(300))")
                    objectionID = try res.content.decode(Components.Schemas.ObjectionReceipt.self).id
                }
                let stored = try #require(try await ConsultationRecord.find(UUID(uuidString: objectionID), on: app.db))
                #expect(stored.kind == .opinion && stored.round == 2 && stored.channel == .notice && stored.recordedBy == "public")
                #expect(stored.person == "刘女士" && stored.phone == "13904517788" && stored.$compound.id == c.d.first.id)
                let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityID == stored.requireID()).first())
                #expect(audit.actorName == "public")
                #expect(audit.after?.contains("13904517788") == false)

                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/consultation", as: "qizheng") { res in
                    #expect(res.body.string.contains("13904517788"))
                }
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/consultation", as: "wangge") { res in
                    #expect(res.body.string.contains("139****7788") && !res.body.string.contains("13904517788"))
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)") { res in
                    #expect(!res.body.string.contains("7788") && !res.body.string.contains("刘女士"))
                }

                c.d.clock.advance(days: 7)
                let (_, blocked) = try await c.d.step(c.id, .approve, expect: .conflict)
                #expect(blocked?.message.contains("answers to 1 opinion") == true)
                _ = try await c.answer(objectionID, .declined, text: "车位利用原有空地，不占绿地")
                let (approved, _) = try await c.d.step(c.id, .approve)
                #expect(approved?.project.status == .approved)
                // The notice has ended: no more objections.
                try await Self.object(app, c.id, good) { res in #expect(res.status == .conflict) }
            }
        }

        @Test("Five objections an hour from one address, then again after the hour; a planned project is not found")
        func limits() async throws {
            try await withApp(demo: true) { app in
                let c = try await Self.beforeNotice(app)
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "公示"))
                let input = Input(name: "张先生", phone: "13604510000", body: "楼道施工时间太长")
                for _ in 0..<PublicObjection.perHour {
                    try await Self.object(app, c.id, input) { res in #expect(res.status == .created) }
                }
                try await Self.object(app, c.id, input) { res in
                    #expect(res.status == .tooManyRequests && res.apiError?.code == "too_many_objections")
                }
                #expect(try await ConsultationRecord.query(on: app.db).filter(\.$channel == .notice).count() == PublicObjection.perHour)
                // An hour later the address may object again.
                c.d.clock.advance(hours: 1)
                try await Self.object(app, c.id, input) { res in #expect(res.status == .created) }

                let (planned, _) = try await c.d.create(try c.d.input(code: "XX-2026-05", compounds: [c.d.elsewhere]), as: "admin")
                try await Self.object(app, try #require(planned?.project.id), input) { res in #expect(res.status == .notFound) }
            }
        }

        @Test("The public page's form while the notice runs: a refusal keeps what was typed, a received objection is thanked; the officer sees it with the phone")
        func publicForm() async throws {
            try await withApp(demo: true) { app in
                let c = try await Self.beforeNotice(app)
                try await app.testing().test(.GET, "/public/renovation/\(c.id)") { res in
                    #expect(!res.body.string.contains("id=\"objection-form\""))
                }
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "公示"))
                let page = "/public/renovation/\(c.id)"
                try await app.testing().test(.GET, page) { res in #expect(res.body.string.contains("id=\"objection-form\"")) }
                func post(_ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, page + "/objections", beforeRequest: { req in
                        try req.content.encode(form, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await post(["name": "刘女士", "phone": "1", "compoundId": c.d.first.code, "body": "新增车位会占用绿地"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("新增车位会占用绿地") && res.body.string.contains("phone"))
                }
                try await post(["name": "刘女士", "phone": "13904517788", "compoundId": c.d.first.code, "body": "新增车位会占用绿地"]) { res in
                    #expect(res.status == .seeOther && res.headers.first(name: .location)?.contains("received=1") == true)
                }
                try await app.testing().test(.GET, page + "?received=1") { res in
                    #expect(res.body.string.contains("已收到您的异议") && !res.body.string.contains("13904517788"))
                }
                let officer = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation/\(c.id)/consultation", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("刘女士 13904517788") && res.body.string.contains("新增车位会占用绿地"))
                }
            }
        }
    }
}
