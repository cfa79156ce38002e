import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Import, export and the audit log")
    struct ImportAuditTests {
        static let header = "id,name,street,community,kind,address,lon,lat,floorArea,households,buildings,yearBuilt,renovation,management,company"

        func importCSV(_ app: Application, _ token: String, _ csv: String, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
            try await app.testing().test(.POST, "/api/v1/compounds/import", beforeRequest: { req in
                req.headers.bearerAuthorization = BearerAuthorization(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: csv)
            }, afterResponse: check)
        }

        @Test("A file with one bad row changes nothing and names line, column and reason")
        func allOrNothing() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                let before = try await Compound.query(on: app.db).count()
                let audits = try await app.auditCount()
                let csv = """
                \u{FEFF}\(Self.header)\r
                NEW-1,新建1号院,七政街道,七政社区,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\r
                QZ-001,改名,七政街道,,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\r
                NEW-2,新建2号院,不存在街道,,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\r
                NEW-3,新建3号院,七政街道,火星社区,estate,,126.65,45.74,-1,170,3,1990,none,professional,不存在物业\r
                """
                try await importCSV(app, token, csv) { res in
                    #expect(res.status == .unprocessableEntity)
                    let details = res.apiError?.details ?? []
                    #expect(details.contains { $0.line == 4 && $0.field == "street" })
                    #expect(details.contains { $0.line == 5 && $0.field == "floorArea" })
                    #expect(!details.contains { $0.line == 2 || $0.line == 3 })
                }
                #expect(try await Compound.query(on: app.db).count() == before)
                #expect(try await app.compound(code: "QZ-001").name != "改名")
                #expect(try await app.auditCount() == audits)
            }
        }

        @Test("A good file (Excel's UTF-8 with BOM) adds, updates and reports counts; each change is audited")
        func goodFile() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                let existing = try await app.compound(code: "QZ-001")
                let company = try #require(try await Company.properties(on: app.db).first())
                let csv = """
                \u{FEFF}\(Self.header)\r
                NEW-1,新建1号院,七政街道,七政社区,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,\r
                QZ-001,改名,七政街道,,\(existing.kind.rawValue),,126.65,45.74,12000,170,,1990,completed,professional,\(company.registrationNumber)\r
                """
                try await importCSV(app, token, csv) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    let result = try res.content.decode(Components.Schemas.ImportResult.self)
                    #expect(result.added == 1 && result.updated == 1 && result.unchanged == 0)
                }
                let updated = try await app.compound(code: "QZ-001")
                #expect(updated.name == "改名" && updated.management == .professional && updated.$company.id == company.id)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "import").filter(\.$entityType == "compound").count() == 2)
                // Importing the same file again changes nothing.
                try await importCSV(app, token, csv) { res in
                    let result = try res.content.decode(Components.Schemas.ImportResult.self)
                    #expect(result.added == 0 && result.updated == 0 && result.unchanged == 2)
                }
            }
        }

        @Test("A street officer may import only rows of their own street office")
        func scopedImport() async throws {
            try await withApp { app in
                let csv = """
                \(Self.header)
                NEW-1,新建1号院,七政街道,,estate,,126.65,45.74,12000,170,3,1990,none,abandoned,
                NEW-2,新建2号院,花园街道,,estate,,126.60,45.76,12000,170,3,1990,none,abandoned,
                """
                try await importCSV(app, try await app.token("qizheng"), csv) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.details.map(\.line) == [3])
                }
                try await importCSV(app, try await app.token("wangge"), csv) { res in
                    #expect(res.status == .forbidden)
                }
                #expect(try await Compound.query(on: app.db).filter(\.$code ~~ "NEW-").count() == 0)
            }
        }

        @Test("GeoJSON export is the planner format and imports back unchanged")
        func geoJSONRoundTrip() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                var exported = ByteBuffer()
                try await app.testing().test(.GET, "/api/v1/compounds/export?format=geojson", headers: .bearer(token)) { res in
                    #expect(res.status == .ok)
                    #expect(res.headers.contentType?.subType == "geo+json")
                    exported = res.body
                }
                let parsed = try CompoundFile.readGeoJSON(Data(buffer: exported), currentYear: 2026)
                #expect(parsed.rows.count == 600 && parsed.skippedFeatures == 5)
                try await app.testing().test(.POST, "/api/v1/compounds/import", beforeRequest: { req in
                    req.headers.bearerAuthorization = BearerAuthorization(token: token)
                    req.headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
                    req.body = exported
                }) { res in
                    #expect(res.status == .ok)
                    let result = try res.content.decode(Components.Schemas.ImportResult.self)
                    #expect(result.unchanged == 600 && result.added == 0 && result.updated == 0 && result.skippedFeatures == 5)
                }
                try await app.testing().test(.GET, "/api/v1/compounds/export?format=csv", headers: .bearer(try await app.token("qizheng"))) { res in
                    let lines = res.body.string.split(separator: "\r\n")
                    #expect(lines.count == 85)
                    #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("QZ-") })
                }
            }
        }

        @Test("The audit log refuses UPDATE and DELETE at the database")
        func appendOnly() async throws {
            try await withApp { app in
                let sql = try #require(app.db as? any SQLDatabase)
                let before = try await app.auditCount()
                #expect(before > 0)
                await #expect(throws: (any Error).self) { try await sql.raw("DELETE FROM audit_entries").run() }
                await #expect(throws: (any Error).self) { try await sql.raw("UPDATE audit_entries SET actor_name = 'x'").run() }
                #expect(try await app.auditCount() == before)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$actorName == "x").count() == 0)
            }
        }
    }
}
