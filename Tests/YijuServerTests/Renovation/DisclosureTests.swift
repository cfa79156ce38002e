import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: the five disclosures (五公开) as documents, published by the project's officer, public from the consultation on, withdrawn with a reason")
    struct DisclosureTests {
        typealias Document = Components.Schemas.RenovationDocument

        static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 3, count: 64))

        /// Posts `data` as a document of `kind` and answers the response.
        static func publish(_ app: Application, _ projectID: String, kind: String = "approvals", title: String = "立项批复",
                            _ data: Data, as type: String = "application/pdf", user: String = "qizheng",
                            _ check: (TestingHTTPResponse) async throws -> Void) async throws {
            let query = "kind=\(kind)&title=\(title.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            try await app.testing().test(.POST, "/api/v1/renovation-projects/\(projectID)/documents?\(query)",
                                         headers: ["Authorization": "Bearer \(try await app.token(user))", "Content-Type": type],
                                         beforeRequest: { req in req.body = ByteBuffer(data: data) }, afterResponse: check)
        }

        static func count(_ app: Application) async throws -> Int {
            try await RenovationDocument.query(on: app.db).count()
        }

        @Test("Published, listed and read back byte for byte; public with the project; withdrawn once with a reason, then gone for the public but kept in the file")
        func publishAndWithdraw() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app)
                var published: Document?
                try await Self.publish(app, c.id, Self.pdf) { res in
                    #expect(res.status == .created, "\(res.body.string.prefix(300))")
                    published = try res.content.decode(Document.self)
                }
                let document = try #require(published)
                #expect(document.kind == .approvals && document.title == "立项批复" && document.contentType.rawValue == "application/pdf")
                #expect(document.size == Self.pdf.count && document.publishedBy == "qizheng" && document.withdrawnAt == nil)
                let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationDocument").first())
                #expect(audit.actorName == "qizheng" && audit.after?.contains("立项批复") == true)

                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/documents", as: "wangge") { res in
                    let listed = try res.content.decode([Document].self)
                    #expect(listed.map(\.id) == [document.id])
                }
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/documents/\(document.id)", as: "gongre") { res in
                    #expect(res.status == .ok && res.headers.contentType?.subType == "pdf" && Data(buffer: res.body) == Self.pdf)
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)") { res in
                    let p = try res.content.decode(Components.Schemas.PublicRenovationProject.self)
                    #expect(p.documents.map(\.id) == [document.id])
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)/documents/\(document.id)") { res in
                    #expect(res.status == .ok && Data(buffer: res.body) == Self.pdf)
                }
                try await app.testing().test(.GET, "/public/renovation/\(c.id)/documents/\(document.id)") { res in
                    #expect(res.status == .ok && res.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true)
                }
                try await app.testing().test(.GET, "/public/renovation/\(c.id)") { res in
                    let html = res.body.string
                    #expect(html.contains("立项批复") && html.contains("/public/renovation/\(c.id)/documents/\(document.id)"))
                    // Four of the five disclosures have nothing yet, and say so.
                    #expect(html.components(separatedBy: "尚未公开").count - 1 == 4)
                }

                let withdraw = "/renovation-projects/\(c.id)/documents/\(document.id)/withdrawal"
                try await c.d.api.send(.POST, withdraw, as: "qizheng", body: ["reason": "  "]) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "reason")
                }
                try await c.d.api.send(.POST, withdraw, as: "wangge", body: ["reason": "错传"]) { res in #expect(res.status == .forbidden) }
                try await c.d.api.send(.POST, withdraw, as: "qizheng", body: ["reason": "批复文号有误，已重新上传"]) { res in
                    #expect(res.status == .ok)
                    let d = try res.content.decode(Document.self)
                    #expect(d.withdrawnAt != nil && d.withdrawReason == "批复文号有误，已重新上传")
                }
                try await c.d.api.send(.POST, withdraw, as: "qizheng", body: ["reason": "再撤一次"]) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "already_withdrawn")
                }
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationDocument").count() == 2)
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)/documents/\(document.id)") { res in
                    #expect(res.status == .notFound)
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(c.id)") { res in
                    let p = try res.content.decode(Components.Schemas.PublicRenovationProject.self)
                    #expect(p.documents.isEmpty)
                }
                // The file keeps it, with who withdrew it and why.
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/documents", as: "qizheng") { res in
                    let listed = try res.content.decode([Document].self)
                    #expect(listed.count == 1 && listed[0].withdrawReason == "批复文号有误，已重新上传")
                }
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/documents/\(document.id)", as: "qizheng") { res in #expect(res.status == .ok) }
            }
        }

        @Test("Bad files, titles and kinds are refused with the field named; only the project's officer and the bureau publish; nothing is written on a refusal")
        func refusals() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let (planned, _) = try await d.create(try d.input())
                let id = try #require(planned?.project.id)

                try await Self.publish(app, id, Data("just some text".utf8)) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.code == "not_a_document")
                }
                try await Self.publish(app, id, Self.png) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.code == "wrong_type")
                }
                try await Self.publish(app, id, Self.pdf + Data(count: RenovationService.maxDocumentBytes)) { res in
                    #expect(res.status == .payloadTooLarge)
                }
                try await Self.publish(app, id, title: " ", Self.pdf) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "title")
                }
                // The title is a query parameter: past its declared length, or empty, it is a bad parameter,
                // refused before the file is read.
                try await Self.publish(app, id, title: String(repeating: "长", count: 101), Self.pdf) { res in
                    #expect(res.status == .badRequest && res.apiError?.code == "bad_parameter" && res.apiError?.details.first?.field == "title")
                }
                try await Self.publish(app, id, title: "", Data("text".utf8)) { res in
                    #expect(res.status == .badRequest && res.apiError?.details.map(\.field) == ["title"])
                }
                try await Self.publish(app, id, kind: "photos", Self.pdf) { res in #expect(res.status == .badRequest || res.status == .unprocessableEntity) }
                try await Self.publish(app, id, Self.pdf, user: "wangge") { res in #expect(res.status == .forbidden) }
                try await Self.publish(app, id, Self.pdf, user: "zhengyi") { res in #expect(res.status == .notFound) }
                try await RenovationProjectTests.officer(app, of: d.elsewhere)
                try await Self.publish(app, id, Self.pdf, user: "other") { res in #expect(res.status == .notFound) }
                #expect(try await Self.count(app) == 0)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationDocument").count() == 0)

                // A planned project may keep its papers ready, but nobody outside sees them before the consultation.
                var documentID = ""
                try await Self.publish(app, id, Self.png, as: "image/png", user: "admin") { res in
                    #expect(res.status == .created)
                    documentID = try res.content.decode(Document.self).id
                }
                try await app.testing().test(.GET, "/api/v1/public/renovation-projects/\(id)/documents/\(documentID)") { res in
                    #expect(res.status == .notFound)
                }
                try await d.api.send(.GET, "/renovation-projects/\(id)/documents/\(documentID)", as: "other") { res in #expect(res.status == .notFound) }
            }
        }

        @Test("A disclosure holds at most 30 published documents; withdrawing one frees its place")
        func limitPerKind() async throws {
            try await withApp(demo: true) { app in
                let d = try await RenovationProjectTests.District(app)
                let id = try #require(try await d.create(try d.input()).0?.project.id)
                var last = ""
                for i in 0..<RenovationService.maxDocumentsPerKind {
                    try await Self.publish(app, id, kind: "materials", title: "材料合格证 \(i + 1)", Self.pdf) { res in
                        #expect(res.status == .created)
                        last = try res.content.decode(Document.self).id
                    }
                }
                try await Self.publish(app, id, kind: "materials", title: "多一份", Self.pdf) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "too_many_documents")
                }
                try await Self.publish(app, id, kind: "acceptance", title: "验收清单", Self.pdf) { res in #expect(res.status == .created) }
                try await d.api.send(.POST, "/renovation-projects/\(id)/documents/\(last)/withdrawal", as: "qizheng", body: ["reason": "重复"]) { res in
                    #expect(res.status == .ok)
                }
                try await Self.publish(app, id, kind: "materials", title: "多一份", Self.pdf) { res in #expect(res.status == .created) }
                #expect(try await Self.count(app) == RenovationService.maxDocumentsPerKind + 2)
            }
        }

        @Test("The console: the five disclosures' page, the upload form with a phone's photo of a notice, a refusal shown on the form, the withdrawal")
        func console() async throws {
            try await withApp(demo: true) { app in
                let c = try await ConsultationTests.Consulting(app)
                let officer = try await ConsoleTests().login(app, "qizheng")
                let page = "/console/renovation/\(c.id)/documents"
                try await app.testing().test(.GET, "/console/renovation/\(c.id)", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("href=\"\(page)\""))
                }
                try await app.testing().test(.GET, page, headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"document-form\""))
                    #expect(res.body.string.components(separatedBy: "尚未公开").count - 1 == 5)
                }
                let boundary = "yiju-documents-boundary"
                func upload(_ fields: [(String, String)], _ file: Data, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, page, headers: ["Cookie": officer.cookie.cookieHeader, "Content-Type": "multipart/form-data; boundary=\(boundary)"],
                                                 beforeRequest: { req in
                        req.body = InspectionTests.multipart([("_csrf", officer.csrf)] + fields, files: [("file", file)], boundary: boundary)
                    }, afterResponse: check)
                }
                try await upload([("kind", "visits"), ("title", "入户走访记录")], Data("not a file".utf8)) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("入户走访记录"))
                }
                try await upload([("kind", "nonsense"), ("title", "入户走访记录")], Self.png) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("kind"))
                }
                #expect(try await Self.count(app) == 0)
                try await upload([("kind", "visits"), ("title", "入户走访记录")], Self.png) { res in #expect(res.status == .seeOther) }
                let stored = try #require(try await RenovationDocument.query(on: app.db).first())
                #expect(stored.kind == .visits && stored.contentType == "image/png" && stored.recordedBy == "qizheng")
                let documentID = try stored.requireID()
                try await app.testing().test(.GET, "\(page)/\(documentID)", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.headers.contentType?.subType == "png")
                }
                try await app.testing().test(.POST, "\(page)/\(documentID)/withdrawal", headers: ["Cookie": officer.cookie.cookieHeader], beforeRequest: { req in
                    try req.content.encode(["_csrf": officer.csrf, "reason": "照片不清晰"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.GET, page, headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("照片不清晰") && res.body.string.contains("<s>入户走访记录</s>"))
                }
                // The grid worker reads the page; the form is not theirs.
                let worker = try await ConsoleTests().login(app, "wangge")
                try await app.testing().test(.GET, page, headers: ["Cookie": worker.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains("id=\"document-form\"") && res.body.string.contains("入户走访记录"))
                }
            }
        }
    }
}
