import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    /// Intake through the API, one rule a test: where a case goes, how it is numbered, that a
    /// work order is taken in once, who sees the phone, and what is refused.
    @Suite("Cases: intake — routing, numbering, idempotence, masking, refusals")
    struct CaseIntakeTests {
        typealias Detail = Components.Schemas.CaseDetail

        @Test("A property-service case on a managed compound goes to its company, yellow, numbered YJ…; the operator who took it sees the phone")
        func toTheCompany() async throws {
            try await withApp { app in
                // Set up
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                // Act
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService, number: "12345-0001")))
                // Verify
                #expect(c.state == .dispatched && c.colour == .yellow && c.handler == .company)
                #expect(c.number.hasPrefix("YJ") && c.reporterPhone == "13812345678")
            }
        }

        @Test("The same hotline work order twice is one case, answered 200 the second time")
        func sameWorkOrderOnce() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let first = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService, number: "12345-0001")))

                let again = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService, number: "12345-0001"), expect: .ok))

                #expect(again.id == first.id)
                #expect(try await CaseRecord.query(on: app.db).count() == 1)
            }
        }

        @Test("A heating case goes to the heating department, and its routing says why")
        func toTheDepartment() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)

                let heat = try #require(try await api.intake(CaseTests.hotline(managed, .heating)))

                #expect(heat.handler == .department && heat.handlerName?.contains("供热") == true)
                let detail = try await api.detail(heat.id)
                #expect(detail.routing.contains { $0.contains("供热类诉求由供热部门办理") } && detail.timeline.map(\.kind) == ["received", "dispatched"])
            }
        }

        @Test("A case on an abandoned compound goes to the street office, and takes the next number")
        func toTheStreetOffice() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, abandoned) = try await CaseTests.compounds(app)
                let first = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))

                let drain = try #require(try await api.intake(CaseTests.hotline(abandoned, .sanitation)))

                #expect(drain.handler == .streetOffice && drain.number != first.number)
            }
        }

        @Test("Others see the phone masked; the handler may reveal it, which the timeline records; the street office may not")
        func phoneMasking() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))

                try await api.send(.GET, "/cases/\(c.id)", as: "qizheng") { res in
                    let seen = try res.content.decode(Detail.self)
                    #expect(seen._case.reporterPhone == "138****5678")
                }
                try await api.send(.POST, "/cases/\(c.id)/phone", as: "qzstaff") { res in
                    #expect(res.status == .ok && res.body.string.contains("13812345678"))
                }
                try await api.send(.POST, "/cases/\(c.id)/phone", as: "qizheng") { res in #expect(res.status == .forbidden) }

                #expect(try await api.detail(c.id).timeline.contains { $0.kind == "phoneUnmasked" && $0.actor == "qzstaff" })
            }
        }

        @Test("Solved on the spot (即接即办): green and closed at intake, with no handler")
        func solvedOnTheSpot() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                var green = CaseTests.hotline(managed, .parking)
                green.resolution = "已协调挪车"

                let solved = try #require(try await api.intake(green))

                #expect(solved.colour == .green && solved.state == .closed && solved.handler == nil)
            }
        }

        @Test("Bad input is refused with every bad field named, and nothing is written")
        func badInput() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                var bad = CaseTests.hotline(managed, .water, phone: "12ab")
                bad.compoundCode = "NOPE"
                bad.externalNumber = nil

                try await api.send(.POST, "/cases", as: "rexian", body: bad) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(Set(res.apiError?.details.map(\.field) ?? []) == ["reporterPhone", "compoundCode", "externalNumber"])
                }

                #expect(try await CaseRecord.query(on: app.db).count() == 0)
            }
        }

        @Test("Each role takes cases in from its own channels only: a company none, a grid worker its patrols")
        func channelsByRole() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                var patrol = CaseTests.hotline(managed, .sanitation)
                patrol.channel = .gridPatrol

                _ = try await api.intake(CaseTests.hotline(managed, .water), as: "qzstaff", expect: .forbidden)
                _ = try await api.intake(patrol, as: "wangge")
                _ = try await api.intake(CaseTests.hotline(managed, .sanitation), as: "wangge", expect: .forbidden)

                #expect(try await CaseRecord.query(on: app.db).count() == 1)
            }
        }

        @Test("A map point finds the nearest compound within 300 m")
        func byMapPoint() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                var byPoint = CaseTests.hotline(managed, .other)
                byPoint.compoundCode = nil
                byPoint.location = [managed.lon + 0.0002, managed.lat]

                #expect(try await api.intake(byPoint)?.compoundCode == managed.code)
            }
        }

        @Test("The case's availableSteps are the caller's: the handler may accept or return a new case, the hotline nothing yet")
        func availableSteps() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                let c = try #require(try await api.intake(CaseTests.hotline(managed, .propertyService)))

                let handler = try await api.detail(c.id, as: "qzstaff")
                let hotline = try await api.detail(c.id, as: "rexian")

                #expect(handler.availableSteps.map(\.kind) == [.accept, ._return, .requestExtension] && handler.availableSteps.allSatisfy(\.ready))
                #expect(hotline.availableSteps.isEmpty)
            }
        }
    }
}
