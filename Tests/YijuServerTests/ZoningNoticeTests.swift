import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// A plan from draft to notice to adoption and retirement, through the API, one rule a test.
    @Suite("Zoning notice and adoption: publish, object, adopt after the notice, conflicts named, retire with history")
    struct ZoningNoticeTests {
        typealias Plan = Components.Schemas.ZoningPlan
        typealias Client = ZoningWorkflowTests.Client

        /// Two draft versions of 七政's plan over the same compounds, generated at 10:00 in Shanghai.
        struct Drafts {
            let app: Application
            let clock: TestClock
            let api: Client
            let qz: StreetOffice
            let v1: Plan, v2: Plan

            init(_ app: Application) async throws {
                self.app = app
                // 10:00 in Shanghai, so "today" is unambiguous.
                clock = TestClock(Date(timeIntervalSince1970: 1_790_000_000))
                clock.install(on: app)
                api = Client(app: app)
                qz = try await app.streetOffice(code: "QZ")
                v1 = try await api.generate(qz)
                v2 = try await api.generate(qz)
            }

            /// v1 under a seven-day notice from today.
            func publish() async throws -> Plan {
                try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/publish", body: Components.Schemas.PublishRequest(revision: 1, noticeDays: 7)))
            }

            /// v1 adopted the day after its notice ended.
            func adopt() async throws -> Plan {
                _ = try await publish()
                clock.advance(days: 7)
                return try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/adopt"))
            }

            /// The public tables of v1, read while it is under notice or adopted.
            func publicPlan() async throws -> Plan {
                try #require(try await api.plan(.GET, "/public/zoning-plans/\(v1.id)", as: nil))
            }
        }

        @Test("A notice runs 1 to 90 days, by the plan's own officer, on the revision given; it starts today")
        func publish() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                let api = drafts.api, v1 = drafts.v1

                for days in [0, 91] {
                    let bad = try await api.error(.POST, "/zoning-plans/\(v1.id)/publish", body: Components.Schemas.PublishRequest(noticeDays: days), expect: .unprocessableEntity)
                    #expect(bad?.field == "noticeDays")
                }
                _ = try await api.error(.POST, "/zoning-plans/\(v1.id)/publish", as: "gongre", body: Components.Schemas.PublishRequest(noticeDays: 7), expect: .notFound)
                _ = try await api.error(.POST, "/zoning-plans/\(v1.id)/publish", body: Components.Schemas.PublishRequest(revision: 9, noticeDays: 7), expect: .conflict)
                let published = try await drafts.publish()

                let today = Calendar.shanghai.day(drafts.clock.now)
                #expect(published.status == .notice && published.noticeStart == today)
                #expect(published.noticeEnd == Calendar.shanghai.day(today, plus: 6))
            }
        }

        @Test("Under notice a plan no longer changes")
        func frozenUnderNotice() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                let published = try await drafts.publish()

                let frozen = try await drafts.api.error(.POST, "/zoning-plans/\(drafts.v1.id)/edits", body: Components.Schemas.ZoningEdit(
                    revision: published.revision, change: .init(kind: .lock, zoneId: "Z01-01")), expect: .conflict)

                #expect(frozen?.code == "not_a_draft")
            }
        }

        @Test("The public sees the plan under notice with its tables, never a draft; the officers' routes want a login")
        func publicSeesTheNotice() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let api = drafts.api, v1 = drafts.v1

                try await api.request(.GET, "/public/zoning-plans", as: nil) { res in
                    #expect(res.status == .ok)
                    let plans = try res.content.decode([Plan].self).filter { $0.streetOfficeId == drafts.qz.id!.uuidString }
                    #expect(plans.map(\.id) == [v1.id])
                }
                let publicPlan = try await drafts.publicPlan()
                #expect(publicPlan.zoneTable?.count == v1.zones && publicPlan.lotTable?.count == v1.lots)
                _ = try await api.error(.GET, "/public/zoning-plans/\(drafts.v2.id)", as: nil, expect: .notFound)
                _ = try await api.error(.GET, "/zoning-plans/\(v1.id)", as: nil, expect: .unauthorized)
            }
        }

        @Test("Residents' objections while the notice runs: checked field by field, listed for the plan's officers only")
        func objections() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let api = drafts.api, v1 = drafts.v1
                let compound = try #require(try await drafts.publicPlan().zoneTable?.first?.compoundIds.first)

                // A phone that is not one is outside the document; a compound outside the plan breaks its rule.
                let badPhone = try await api.error(.POST, "/public/zoning-plans/\(v1.id)/objections", as: nil,
                                                   body: ZoningWorkflowTests.objection("12ab", compound: compound), expect: .unprocessableEntity)
                #expect(badPhone?.details.map(\.field) == ["phone"])
                let badObjection = try await api.error(.POST, "/public/zoning-plans/\(v1.id)/objections", as: nil,
                                                       body: ZoningWorkflowTests.objection(compound: "HY-001"), expect: .unprocessableEntity)
                #expect(badObjection?.details.map(\.field) == ["compoundId"])
                try await api.request(.POST, "/public/zoning-plans/\(v1.id)/objections", as: nil, body: ZoningWorkflowTests.objection(compound: compound)) { res in
                    #expect(res.status == .created)
                }

                try await api.request(.GET, "/zoning-plans/\(v1.id)/objections", as: "qizheng") { res in
                    let rows = try res.content.decode([Components.Schemas.ZoningObjection].self)
                    #expect(rows.count == 1 && rows[0].compoundId == compound && rows[0].phone == "13800001234")
                }
                _ = try await api.error(.GET, "/zoning-plans/\(v1.id)/objections", as: "gongre", expect: .notFound)
                _ = try await api.error(.GET, "/zoning-plans/\(v1.id)", as: "gongre", expect: .notFound)
            }
        }

        @Test("Adoption waits for the notice to end, and then objections are closed")
        func adoptionWaitsForTheNotice() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let api = drafts.api, v1 = drafts.v1

                let early = try await api.error(.POST, "/zoning-plans/\(v1.id)/adopt", expect: .conflict)
                #expect(early?.code == "notice_running")
                drafts.clock.advance(days: 7)
                let late = try await api.error(.POST, "/public/zoning-plans/\(v1.id)/objections", as: nil, body: ZoningWorkflowTests.objection(), expect: .conflict)
                #expect(late?.code == "notice_closed")
                let adopted = try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/adopt"))

                #expect(adopted.status == .adopted && adopted.adoptedOn == Calendar.shanghai.day(drafts.clock.now) && adopted.adoptedBy == "qizheng")
            }
        }

        @Test("Adopted, zones become management areas and lots open tender lots, each compound assigned once; departments and companies read it")
        func adoptionMakesAreasAndLots() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let publicPlan = try await drafts.publicPlan()
                drafts.clock.advance(days: 7)
                _ = try #require(try await drafts.api.plan(.POST, "/zoning-plans/\(drafts.v1.id)/adopt"))
                let api = drafts.api, v1 = drafts.v1, qz = drafts.qz

                let v1ID = try #require(UUID(uuidString: v1.id))
                let v1Areas = try await ManagementArea.query(on: app.db).filter(\.$plan.$id == v1ID).all().map { try $0.requireID() }
                #expect(v1Areas.count == v1.zones)
                #expect(try await TenderLot.query(on: app.db).filter(\.$plan.$id == v1ID).filter(\.$status == .open).count() == v1.lots)
                let compoundCount = publicPlan.zoneTable!.reduce(0) { $0 + $1.compoundIds.count }
                #expect(try await AreaAssignment.query(on: app.db).filter(\.$area.$id ~~ v1Areas).filter(\.$endDate == nil).count() == compoundCount)
                try await api.request(.GET, "/tender-lots?streetOfficeId=\(qz.id!)", as: "gongre") { res in
                    let lots = try res.content.decode([Components.Schemas.TenderLot].self)
                    #expect(lots.count == v1.lots && lots.allSatisfy { $0.code.hasPrefix("QZ-V1-") && !$0.areas.isEmpty })
                }
                try await api.request(.GET, "/management-areas?streetOfficeId=\(qz.id!)", as: "qizheng") { res in
                    let areas = try res.content.decode([Components.Schemas.ManagementArea].self)
                    #expect(areas.reduce(0) { $0 + $1.compoundIds.count } == compoundCount)
                }
                _ = try await api.plan(.GET, "/zoning-plans/\(v1.id)", as: "gongre")
                try await api.request(.GET, "/street-offices/\(qz.id!)/zoning-plans", as: "zhengyi") { res in
                    let plans = try res.content.decode([Plan].self)
                    #expect(plans.map(\.id) == [v1.id])
                }
            }
        }

        @Test("An adopted plan never changes: a new version based on it is the way")
        func adoptedNeverChanges() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.adopt()
                let api = drafts.api, v1 = drafts.v1

                _ = try await api.error(.POST, "/zoning-plans/\(v1.id)/publish", body: Components.Schemas.PublishRequest(noticeDays: 7), expect: .conflict)
                let v3 = try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/versions", expect: .created))

                #expect(v3.version == 3 && v3.basedOn == 1 && v3.status == .draft && v3.zones == v1.zones)
            }
        }

        @Test("A plan whose compounds are in another adopted plan's zones is not adopted; the refusal names a compound and changes nothing")
        func overlappingAdoptionRefused() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let compound = try #require(try await drafts.publicPlan().zoneTable?.first?.compoundIds.first)
                drafts.clock.advance(days: 7)
                _ = try #require(try await drafts.api.plan(.POST, "/zoning-plans/\(drafts.v1.id)/adopt"))
                let api = drafts.api, v2 = drafts.v2
                _ = try await api.plan(.POST, "/zoning-plans/\(v2.id)/publish", body: Components.Schemas.PublishRequest(noticeDays: 5))
                drafts.clock.advance(days: 5)
                let auditBefore = try await app.auditCount()

                let conflict = try await api.error(.POST, "/zoning-plans/\(v2.id)/adopt", expect: .conflict)

                #expect(conflict?.code == "compound_in_adopted_zone")
                #expect(conflict?.message.contains(compound) == true || conflict?.details.contains { $0.reason.contains(compound) } == true)
                #expect(try await app.auditCount() == auditBefore)
                #expect(try await ZoningPlanRecord.find(UUID(uuidString: v2.id), on: app.db)?.status == .notice)
            }
        }

        @Test("Journey: retiring the adopted plan ends its areas as history and withdraws its lots; the next one is adopted; the registry and the public follow")
        func retireThenAdoptTheNext() async throws {
            try await withApp { app in
                let drafts = try await Drafts(app)
                _ = try await drafts.publish()
                let publicPlan = try await drafts.publicPlan()
                let compound = try #require(publicPlan.zoneTable?.first?.compoundIds.first)
                let compoundCount = publicPlan.zoneTable!.reduce(0) { $0 + $1.compoundIds.count }
                drafts.clock.advance(days: 7)
                _ = try #require(try await drafts.api.plan(.POST, "/zoning-plans/\(drafts.v1.id)/adopt"))
                let api = drafts.api, v1 = drafts.v1, v2 = drafts.v2
                _ = try await api.plan(.POST, "/zoning-plans/\(v2.id)/publish", body: Components.Schemas.PublishRequest(noticeDays: 5))
                drafts.clock.advance(days: 5)
                let v1ID = try #require(UUID(uuidString: v1.id))
                let v1Areas = try await ManagementArea.query(on: app.db).filter(\.$plan.$id == v1ID).all().map { try $0.requireID() }

                let retired = try #require(try await api.plan(.POST, "/zoning-plans/\(v1.id)/retire"))

                #expect(retired.status == .retired)
                #expect(try await AreaAssignment.query(on: app.db).filter(\.$area.$id ~~ v1Areas).filter(\.$endDate == nil).count() == 0)
                #expect(try await AreaAssignment.query(on: app.db).filter(\.$area.$id ~~ v1Areas).count() == compoundCount)
                #expect(try await TenderLot.query(on: app.db).filter(\.$plan.$id == v1ID).filter(\.$status == .withdrawn).count() == v1.lots)
                _ = try await api.plan(.POST, "/zoning-plans/\(v2.id)/adopt")
                let c = try await app.compound(code: compound)
                let history = try await ZoningPlanService(app: app, actor: .testBureau).areaHistory(compoundID: try c.requireID())
                #expect(history.count == 2)
                #expect(history[0].0.endDate == nil && history[0].1.code.hasPrefix("QZ-V2-"))
                #expect(history[1].0.endDate != nil && history[1].1.code.hasPrefix("QZ-V1-"))
                try await api.request(.GET, "/compounds/\(try c.requireID())", as: "qizheng") { res in
                    let wire = try res.content.decode(Components.Schemas.Compound.self)
                    #expect(wire.managementArea?.code == history[0].1.code)
                }
                try await api.request(.GET, "/public/zoning-plans", as: nil) { res in
                    let plans = try res.content.decode([Plan].self).filter { $0.streetOfficeId == drafts.qz.id!.uuidString }
                    #expect(Set(plans.map(\.id)) == [v2.id])
                }
            }
        }
    }
}
