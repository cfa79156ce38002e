import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: acceptance — the completion check, the households' survey by the rule, completion and the handover")
    struct AcceptanceTests {
        typealias Acceptance = Components.Schemas.RenovationAcceptance
        typealias Consulting = ConsultationTests.Consulting

        struct Survey {
            let c: Consulting

            func acceptance(as user: String = "qizheng") async throws -> Acceptance? {
                var acceptance: Acceptance?
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/acceptance", as: user) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(300))")
                    if res.status == .ok { acceptance = try res.content.decode(Acceptance.self) }
                }
                return acceptance
            }

            @discardableResult
            func answer(_ room: String, _ verdict: Components.Schemas.SurveyVerdict, building: Int = 1, compound: Compound? = nil,
                        as user: String = "qizheng", expect status: HTTPStatus = .created) async throws -> APIError.Inner? {
                var error: APIError.Inner?
                let body = Components.Schemas.SurveyResponseInput(compoundId: try (compound ?? c.d.first).requireID().uuidString, building: building,
                                                                  unit: "1", room: room, verdict: verdict, comment: verdict == .dissatisfied ? "楼道还没刷完" : nil)
                try await c.d.api.send(.POST, "/renovation-projects/\(c.id)/acceptance/responses", as: user, body: body) { res in
                    #expect(res.status == status, "\(room) by \(user): \(res.body.string.prefix(300))")
                    if res.status != .created { error = res.apiError }
                }
                return error
            }

            func check(_ participants: [String] = ["社区居委会 王主任", "业委会 李主任", "楼院长 张师傅"], expect status: HTTPStatus = .ok)
                async throws -> APIError.Inner? {
                var error: APIError.Inner?
                try await c.d.api.send(.POST, "/renovation-projects/\(c.id)/acceptance/check", as: "qizheng",
                                       body: Components.Schemas.AcceptanceCheckInput(day: c.today, participants: participants, punchList: ["3号楼楼道补刷"])) { res in
                    #expect(res.status == status, "\(res.body.string.prefix(300))")
                    if res.status != .ok { error = res.apiError }
                }
                return error
            }

            func close(expect status: HTTPStatus = .ok) async throws -> (Acceptance?, APIError.Inner?) {
                var acceptance: Acceptance?, error: APIError.Inner?
                try await c.d.api.send(.POST, "/renovation-projects/\(c.id)/acceptance/close", as: "qizheng",
                                       body: Components.Schemas.SurveyCloseInput(day: c.today)) { res in
                    #expect(res.status == status, "\(res.body.string.prefix(300))")
                    if res.status == .ok { acceptance = try res.content.decode(Acceptance.self) } else { error = res.apiError }
                }
                return (acceptance, error)
            }
        }

        @Test("A passing survey (⅔ answered, 90 % satisfied) with the signed check completes the project: registry, inventory, the handover to zoning, the figures")
        func passAndComplete() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app, households: 6)
                try await c.toAcceptance()
                let s = Survey(c: c)
                let opened = try #require(try await s.acceptance())
                #expect(opened.rounds.map(\.number) == [1] && opened.result?.responsesNeeded == 4 && opened.result?.passes == false)

                try await s.answer("101", .satisfied)
                let duplicate = try await s.answer("101", .dissatisfied, expect: .conflict)
                #expect(duplicate?.code == "duplicate" && duplicate?.message.contains("already") == true)
                let outside = try await s.answer("101", .satisfied, building: 999, expect: .unprocessableEntity)
                #expect(outside?.details.map(\.field) == ["building"])
                let elsewhere = try await s.answer("101", .satisfied, compound: c.d.elsewhere, expect: .unprocessableEntity)
                #expect(elsewhere?.details.map(\.field) == ["compoundId"])
                try await s.answer("102", .satisfied)
                try await s.answer("103", .basicallySatisfied)
                _ = try await c.d.step(c.id, .complete, expect: .conflict)  // the survey has not passed

                let (_, unsigned) = try await s.close(expect: .conflict)
                #expect(unsigned?.code == "check_missing")
                #expect(try await s.check([" "], expect: .unprocessableEntity)?.details.map(\.field) == ["participants"])
                _ = try await s.check()
                #expect(try await s.check(expect: .conflict)?.code == "check_recorded")
                let (_, tooFew) = try await s.close()  // 3 of 6 answered: fewer than two thirds
                #expect(tooFew == nil)
                let failedFirst = try #require(try await s.acceptance())
                #expect(failedFirst.rounds.first?.passed == false && failedFirst.rounds.first?.explanation?.contains("3 / 6") == true)
                let reopened = try await RenovationProject.find(UUID(uuidString: c.id), on: app.db)
                #expect(reopened?.status == .underWorks)

                // Round 2: the same households may answer again; four of six, all content.
                _ = try await c.d.step(c.id, .requestAcceptance)
                for room in ["101", "102", "103", "104"] { try await s.answer(room, room == "104" ? .basicallySatisfied : .satisfied) }
                _ = try await s.check()
                let (closed, _) = try await s.close()
                let round = try #require(closed?.rounds.last)
                #expect(round.number == 2 && round.passed == true && round.explanation?.contains("4 / 6") == true && round.explanation?.contains("测评通过") == true)

                let (done, _) = try await c.d.step(c.id, .complete)
                #expect(done?.project.status == .completed && done?.scope.allSatisfy(\.built) == true)
                for compound in [c.d.first, c.d.second] {
                    let now = try #require(try await Compound.find(compound.id, on: app.db))
                    #expect(now.renovation == .completed)
                    #expect(done?.compounds.first { $0.compoundId == compound.id?.uuidString }?.awaitingManagement == (now.$company.id == nil))
                }
                // The line on the first compound is in its inventory now; the whole-project line names no compound.
                let facilities = try await CompoundFacility.query(on: app.db).filter(\.$compound.$id == c.d.first.requireID()).all()
                #expect(facilities.map(\.item) == ["parkingSpaces"] && facilities.first?.quantity == 40 && facilities.first?.condition == .good)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "surveyResponse").count() == 7)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "compoundFacilities").count() == 1)

                // The figures count it: built items, one of two survey rounds passed, one of six households visited.
                try await c.d.api.send(.GET, "/renovation-figures?fromYear=2026&toYear=2026", as: "qizheng") { res in
                    let f = try res.content.decode(Components.Schemas.RenovationFigures.self)
                    #expect(f.projects == 1 && f.households == 6 && f.budgetFen == 100_000_000 && f.byStatus.map(\.status) == [.completed])
                    #expect(f.built.map(\.item) == ["parkingSpaces", "elevator"] && f.built.first?.quantity == 40)
                    #expect(f.surveysClosed == 2 && f.passRate == 0.5 && f.householdsVisited == 1 && f.householdsConsulted == 6)
                    #expect(f.funding.map(\.fen).reduce(0, +) == 100_000_000)
                }
                try await c.d.api.send(.GET, "/renovation-figures", as: "zhengyi") { res in
                    let none = try res.content.decode(Components.Schemas.RenovationFigures.self)
                    #expect(none.projects == 0)
                }
                try await c.d.api.send(.GET, "/renovation-figures?fromYear=2027&toYear=2026", as: "admin") { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "toYear")
                }
                let officer = try await ConsoleTests().login(app, "qizheng")
                try await app.testing().test(.GET, "/console/renovation?year=2026", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("改造统计") && res.body.string.contains("50.0%（1 / 2）"))
                }
                try await app.testing().test(.GET, "/console/renovation/figures.csv?year=2026", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.headers.contentType?.subType == "csv" && res.body.string.contains("built,停车位（生态车位）,40 个"))
                }
                try await app.testing().test(.GET, "/console/renovation/figures.xlsx?year=2026", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    let bytes = Data(buffer: res.body)
                    #expect(res.status == .ok && res.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                    #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) && res.headers.first(name: .contentDisposition)?.contains("renovation-figures-2026.xlsx") == true)
                    // The workbook stores its sheet uncompressed: the figures are there as text.
                    #expect(String(decoding: bytes, as: UTF8.self).contains("停车位（生态车位）"))
                }
            }
        }

        @Test("Too many dissatisfied fails the survey and sends the works back; outside acceptance nothing is taken; only the project's office and the bureau survey")
        func failAndWho() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app, households: 6)
                let s = Survey(c: c)
                let early = try await s.answer("101", .satisfied, expect: .conflict)
                #expect(early?.code == "no_open_survey")
                try await c.toAcceptance()
                for (room, verdict) in [("101", Components.Schemas.SurveyVerdict.satisfied), ("102", .satisfied), ("103", .dissatisfied),
                                        ("104", .satisfied), ("105", .satisfied)] {
                    try await s.answer(room, verdict)
                }
                try await s.answer("106", .satisfied, as: "wangge", expect: .forbidden)
                try await s.answer("106", .satisfied, as: "zhengyi", expect: .notFound)
                try await s.answer("106", .satisfied, as: "admin")
                let full = try await s.answer("107", .satisfied, expect: .unprocessableEntity)  // all six have answered
                #expect(full?.details.first?.reason.contains("all 6 households") == true)
                _ = try await s.check()
                let (closed, _) = try await s.close()
                // 6 of 6 answered, 5 content: 83.3 % < 90 %.
                #expect(closed?.rounds.first?.passed == false && closed?.rounds.first?.explanation?.contains("5 / 6 = 83.3%") == true)
                #expect(try await RenovationProject.find(UUID(uuidString: c.id), on: app.db)?.status == .underWorks)
                #expect(try await s.acceptance(as: "wangge")?.rounds.count == 1)
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/acceptance", as: "zhengyi") { res in #expect(res.status == .notFound) }
            }
        }

        @Test("Households answer themselves with one-time codes: shown once, kept hashed, good once, refused after the household answered; guessing is throttled")
        func householdCodes() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app, households: 6)
                try await c.toAcceptance()
                let s = Survey(c: c)
                let compound = try c.d.first.requireID().uuidString
                func issue(_ rooms: [String], building: Int = 1, expect status: HTTPStatus = .created) async throws -> [Components.Schemas.SurveyCodes.codesPayloadPayload] {
                    var codes: [Components.Schemas.SurveyCodes.codesPayloadPayload] = []
                    let body = Components.Schemas.SurveyCodeRequest(households: rooms.map { .init(compoundId: compound, building: building, unit: "1", room: $0) })
                    try await c.d.api.send(.POST, "/renovation-projects/\(c.id)/acceptance/codes", as: "qizheng", body: body) { res in
                        #expect(res.status == status, "\(res.body.string.prefix(300))")
                        if res.status == .created { codes = try res.content.decode(Components.Schemas.SurveyCodes.self).codes }
                    }
                    return codes
                }
                func answer(_ code: String, expect status: HTTPStatus) async throws {
                    try await app.testing().test(.POST, "/api/v1/public/survey-responses", beforeRequest: { req in
                        try req.json(Components.Schemas.PublicSurveyAnswer(code: code, verdict: .satisfied))
                    }) { res in #expect(res.status == status, "\(code): \(res.body.string.prefix(300))") }
                }
                _ = try await issue(["101", "102"], building: 999, expect: .unprocessableEntity)
                #expect(try await SurveyCode.query(on: app.db).count() == 0)
                let codes = try await issue(["101", "102"])
                #expect(codes.map(\.room) == ["101", "102"] && codes.allSatisfy { $0.code.count == 8 })
                let stored = try await SurveyCode.query(on: app.db).all()
                #expect(stored.count == 2 && !stored.contains { $0.codeHash.contains(codes[0].code) })

                // Typed in lower case with a hyphen, as people do; the same code twice is no code at all.
                let typed = codes[0].code.lowercased().prefix(4) + "-" + codes[0].code.lowercased().dropFirst(4)
                try await answer(String(typed), expect: .created)
                try await answer(codes[0].code, expect: .notFound)
                try await answer("ABCDEFGH", expect: .notFound)
                // A surveyor reached 102 first: its code no longer answers.
                try await s.answer("102", .basicallySatisfied)
                try await answer(codes[1].code, expect: .conflict)
                _ = try await issue(["101"], expect: .unprocessableEntity)  // 101 has answered

                let responses = try #require(try await s.acceptance()).responses
                #expect(responses.map(\.room).sorted() == ["101", "102"] && responses.first { $0.room == "101" }?.recordedBy == "household")

                // The page: the code, the household, the answer.
                let page = try await issue(["103"])
                try await app.testing().test(.GET, "/public/survey?code=\(page[0].code)") { res in
                    #expect(res.status == .ok && res.body.string.contains("1号楼1单元103"))
                }
                try await app.testing().test(.POST, "/public/survey", beforeRequest: { req in
                    try req.content.encode(["code": page[0].code, "verdict": "satisfied"], as: .urlEncodedForm)
                }) { res in #expect(res.status == .seeOther) }
                #expect(try await s.acceptance()?.responses.count == 3)

                // Guessing: twenty tries an hour from one address, then 429.
                var throttled = false
                for _ in 0..<25 where !throttled {
                    try await app.testing().test(.POST, "/api/v1/public/survey-responses", beforeRequest: { req in
                        try req.json(Components.Schemas.PublicSurveyAnswer(code: "WRONGONE", verdict: .satisfied))
                    }) { res in throttled = res.status == .tooManyRequests }
                }
                #expect(throttled)
            }
        }
    }
}
