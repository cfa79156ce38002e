import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// For every resource: a user outside its scope gets 403 or 404 and nothing changes.
    @Suite("Permissions per resource and scope")
    struct PermissionTests {
        @Test("A remembered API caller is forgotten the moment its token or user changes")
        func callerChanges() async throws {
            try await withApp { app in
                let token = try await app.token("qizheng")
                func status(_ token: String) async throws -> HTTPStatus {
                    var status = HTTPStatus.internalServerError
                    try await app.testing().test(.GET, "/api/v1/compounds?limit=1", headers: .bearer(token)) { res in status = res.status }
                    return status
                }
                // Remembered after the first request; the second is answered from memory.
                #expect(try await status(token) == .ok)
                #expect(try await status(token) == .ok)

                // A role change made behind the server's back (plain SQL, as another process
                // or an operator would) is seen by the very next request, both ways.
                func auditStatus() async throws -> HTTPStatus {
                    var status = HTTPStatus.internalServerError
                    try await app.testing().test(.GET, "/api/v1/audit?limit=1", headers: .bearer(token)) { res in status = res.status }
                    return status
                }
                let refused = try await auditStatus()
                #expect(refused != .ok)
                let user = try #require(try await User.query(on: app.db).filter(\.$username == "qizheng").first())
                let sql = try #require(app.db as? any SQLDatabase)
                try await sql.update(User.schema).set("role", to: Role.bureauAdmin.rawValue).where("id", .equal, user.id!).run()
                #expect(try await auditStatus() == .ok)
                try await sql.update(User.schema).set("role", to: Role.streetOfficer.rawValue).where("id", .equal, user.id!).run()
                #expect(try await auditStatus() == refused)

                // An expiry set afterwards counts at once, and so does a revoked (deleted) token.
                try await sql.update(UserToken.schema).set("expires_at", to: app.clock.now().addingTimeInterval(-60))
                    .where("token_hash", .equal, Credentials.hash(token)).run()
                #expect(try await status(token) == .unauthorized)
                let second = try await app.token("qizheng")
                #expect(try await status(second) == .ok)
                try await sql.delete(from: UserToken.schema).where("token_hash", .equal, Credentials.hash(second)).run()
                #expect(try await status(second) == .unauthorized)
                #expect(try await status("yj_not-a-token") == .unauthorized)
            }
        }

        @Test("Each scoped role lists only its own compounds")
        func scopedLists() async throws {
            try await withApp { app in
                let qz = try await app.streetOffice(code: "QZ")
                let zhengyi = try #require(try await User.query(on: app.db).filter(\.$username == "zhengyi").first())
                let expectations: [(String, (Components.Schemas.Compound) -> Bool, Int)] = [
                    ("qizheng", { $0.streetOfficeId == qz.id!.uuidString }, 84),
                    ("wangge", { $0.streetOfficeId == qz.id!.uuidString }, 84),
                    ("zhengyi", { $0.company?.id == zhengyi.$company.id!.uuidString }, -1),
                    ("rexian", { _ in true }, 600),
                    ("gongre", { _ in true }, 600),
                ]
                for (username, belongs, total) in expectations {
                    let token = try await app.token(username)
                    try await app.testing().test(.GET, "/api/v1/compounds?limit=1000", headers: .bearer(token)) { res in
                        let page = try res.content.decode(Components.Schemas.CompoundPage.self)
                        #expect(page.items.allSatisfy(belongs), "\(username) sees a compound outside its scope")
                        if total >= 0 { #expect(page.total == total, "\(username)") } else { #expect(page.total > 0 && page.total < 600) }
                    }
                }
            }
        }

        @Test("Compounds: outside the street office is 404, read-only roles get 403, nothing changes")
        func compounds() async throws {
            try await withApp { app in
                let own = try await app.compound(code: "QZ-010")
                let other = try await app.compound(code: "HY-010")
                let patch = Components.Schemas.CompoundPatch(name: "改名")
                let cases: [(user: String, compound: Compound, status: HTTPStatus)] = [
                    ("qizheng", other, .notFound), ("wangge", other, .notFound), ("wangge", own, .forbidden),
                    ("rexian", own, .forbidden), ("gongre", own, .forbidden), ("qizheng", own, .ok),
                ]
                for c in cases {
                    let token = try await app.token(c.user)
                    let audits = try await app.auditCount()
                    try await app.testing().test(.PATCH, "/api/v1/compounds/\(c.compound.id!)", headers: .bearer(token), beforeRequest: { req in
                        try req.json(patch)
                    }) { res in
                        #expect(res.status == c.status, "\(c.user) on \(c.compound.code)")
                    }
                    let after = try await app.compound(code: c.compound.code)
                    if c.status != .ok {
                        #expect(after.name == c.compound.name, "\(c.user) changed \(c.compound.code)")
                        #expect(try await app.auditCount() == audits)
                    } else {
                        #expect(after.name == "改名")
                    }
                }
                // A street officer cannot move a compound out of their street office, nor create one in another.
                let hy = try await app.streetOffice(code: "HY")
                let token = try await app.token("qizheng")
                try await app.testing().test(.PATCH, "/api/v1/compounds/\(own.id!)", headers: .bearer(token), beforeRequest: { req in
                    try req.json(Components.Schemas.CompoundPatch(streetOfficeId: hy.id!.uuidString, communityId: ""))
                }) { res in #expect(res.status == .notFound, "\(res.body.string)") }
                #expect(try await app.compound(code: "QZ-010").$streetOffice.id != hy.id)
                try await app.testing().test(.GET, "/api/v1/compounds/\(other.id!)", headers: .bearer(token)) { res in
                    #expect(res.status == .notFound)
                }
            }
        }

        @Test("Companies, departments and street offices: only the bureau or the record's own users")
        func directory() async throws {
            try await withApp { app in
                let zhengyi = try #require(try await User.query(on: app.db).filter(\.$username == "zhengyi").first())
                let ownCompany = try #require(try await Company.find(zhengyi.$company.id, on: app.db))
                let otherCompany = try #require(try await Company.properties(on: app.db).filter(\.$id != ownCompany.id!).first())
                let gongre = try #require(try await User.query(on: app.db).filter(\.$username == "gongre").first())
                let otherDepartment = try #require(try await Department.query(on: app.db).filter(\.$id != gongre.$department.id!).first())
                let qz = try await app.streetOffice(code: "QZ"), hy = try await app.streetOffice(code: "HY")

                func patch(_ user: String, _ path: String, _ body: some Encodable, expect status: HTTPStatus) async throws {
                    let token = try await app.token(user)
                    try await app.testing().test(.PATCH, path, headers: .bearer(token), beforeRequest: { req in
                        try req.json(body)
                    }) { res in #expect(res.status == status, "\(user) PATCH \(path)") }
                }
                try await patch("zhengyi", "/api/v1/companies/\(otherCompany.id!)", Components.Schemas.CompanyPatch(staff: 1), expect: .forbidden)
                try await patch("qizheng", "/api/v1/companies/\(otherCompany.id!)", Components.Schemas.CompanyPatch(staff: 1), expect: .forbidden)
                #expect(try await Company.find(otherCompany.id, on: app.db)?.staff == otherCompany.staff)
                try await patch("zhengyi", "/api/v1/companies/\(ownCompany.id!)", Components.Schemas.CompanyPatch(staff: 99), expect: .ok)
                #expect(try await Company.find(ownCompany.id, on: app.db)?.staff == 99)

                try await patch("gongre", "/api/v1/departments/\(otherDepartment.id!)", Components.Schemas.DepartmentPatch(phone: "1"), expect: .forbidden)
                #expect(try await Department.find(otherDepartment.id, on: app.db)?.phone == otherDepartment.phone)
                try await patch("gongre", "/api/v1/departments/\(gongre.$department.id!)", Components.Schemas.DepartmentPatch(phone: "0451-1"), expect: .ok)

                let hyCommunity = try #require(try await Community.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).first())
                try await patch("qizheng", "/api/v1/communities/\(hyCommunity.id!)", Components.Schemas.CommunityPatch(name: "改名社区"), expect: .notFound)
                try await patch("gongre", "/api/v1/communities/\(hyCommunity.id!)", Components.Schemas.CommunityPatch(name: "改名社区"), expect: .forbidden)
                #expect(try await Community.find(hyCommunity.id, on: app.db)?.name == hyCommunity.name)
                try await patch("qizheng", "/api/v1/street-offices/\(hy.id!)", Components.Schemas.StreetOfficePatch(phone: "1"), expect: .forbidden)
                #expect(try await StreetOffice.find(hy.id, on: app.db)?.phone == hy.phone)
                try await patch("qizheng", "/api/v1/street-offices/\(qz.id!)", Components.Schemas.StreetOfficePatch(phone: "0451-2"), expect: .ok)
            }
        }

        @Test("Creating directory records, barriers, users and reading the audit log are the bureau's")
        func bureauOnly() async throws {
            try await withApp { app in
                let hy = try await app.streetOffice(code: "HY")
                let river = try #require(try await Barrier.query(on: app.db).filter(\.$kind == .river).first())
                for user in ["qizheng", "wangge", "gongre", "zhengyi", "rexian", "shigong"] {
                    let token = try await app.token(user)
                    try await app.testing().test(.PATCH, "/api/v1/barriers/\(river.id!)", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.BarrierPatch(name: "改名"))
                    }) { res in #expect(res.status == .forbidden, "\(user) barrier update") }
                    try await app.testing().test(.DELETE, "/api/v1/barriers/\(river.id!)", headers: .bearer(token)) { res in
                        #expect(res.status == .forbidden, "\(user) barrier delete")
                    }
                    try await app.testing().test(.POST, "/api/v1/companies", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.CompanyInput(name: "新公司", registrationNumber: "91230103MA1234567X"))
                    }) { res in #expect(res.status == .forbidden, "\(user) company") }
                    try await app.testing().test(.POST, "/api/v1/departments", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.DepartmentInput(kind: .gas, name: "新部门"))
                    }) { res in #expect(res.status == .forbidden, "\(user) department") }
                    try await app.testing().test(.POST, "/api/v1/barriers", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.BarrierInput(name: "x", kind: .river, path: [[126.6, 45.7], [126.7, 45.7]]))
                    }) { res in #expect(res.status == .forbidden, "\(user) barrier") }
                    try await app.testing().test(.POST, "/api/v1/street-offices", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.StreetOfficeInput(code: "ZZ", name: "新街道"))
                    }) { res in #expect(res.status == .forbidden, "\(user) street office") }
                    try await app.testing().test(.POST, "/api/v1/communities", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.CommunityInput(streetOfficeId: hy.id!.uuidString, name: "新社区"))
                    }) { res in #expect(res.status == .notFound || res.status == .forbidden, "\(user) community") }
                    try await app.testing().test(.GET, "/api/v1/audit", headers: .bearer(token)) { res in
                        #expect(res.status == .notFound, "\(user) audit")
                    }
                    try await app.testing().test(.POST, "/api/v1/users", headers: .bearer(token), beforeRequest: { req in
                        try req.json(Components.Schemas.UserInput(username: "mallory", displayName: "M", role: .bureauAdmin, password: "long-enough-pw"))
                    }) { res in #expect(res.status == .notFound, "\(user) users") }
                }
                #expect(try await Barrier.query(on: app.db).count() == 5)
                #expect(try await Barrier.find(river.id, on: app.db)?.name == river.name)
                #expect(try await Company.query(on: app.db).count() == 44)  // 40 property companies, 4 contractors
                #expect(try await Department.query(on: app.db).count() == 9)
                #expect(try await Community.query(on: app.db).filter(\.$name == "新社区").count() == 0)
                #expect(try await StreetOffice.query(on: app.db).count() == 8)
                #expect(try await User.query(on: app.db).filter(\.$username == "mallory").count() == 0)

                let admin = try await app.token("admin")
                try await app.testing().test(.GET, "/api/v1/audit?entityType=demoDistrict", headers: .bearer(admin)) { res in
                    let page = try res.content.decode(Components.Schemas.AuditPage.self)
                    #expect(page.total == 1)
                }
                try await app.testing().test(.POST, "/api/v1/users", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.UserInput(username: "hy-officer", displayName: "花园街道", role: .streetOfficer, password: "long-enough-pw"))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.field == "streetOfficeId")
                }
                try await app.testing().test(.POST, "/api/v1/users", headers: .bearer(admin), beforeRequest: { req in
                    try req.json(Components.Schemas.UserInput(username: "hy-officer", displayName: "花园街道", role: .streetOfficer,
                                                                        password: "long-enough-pw", streetOfficeId: hy.id!.uuidString))
                }) { res in #expect(res.status == .created) }
            }
        }
    }
}
