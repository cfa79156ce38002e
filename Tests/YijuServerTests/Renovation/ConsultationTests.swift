import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: the residents decide — visits, meetings, the three rounds, the notice and its objections")
    struct ConsultationTests {
        typealias Entry = Components.Schemas.ConsultationEntry
        typealias Journal = Components.Schemas.RenovationConsultation
        typealias District = RenovationProjectTests.District

        /// A project of the two 七政 compounds, consulting: parking spaces on the first, an elevator for both.
        struct Consulting {
            let d: District
            let id: String

            /// `households`: the households the project counts (for a survey of a handful); nil: all of its buildings'.
            init(_ app: Application, households: Int? = nil, district: District? = nil) async throws {
                if let district { d = district } else { d = try await District(app) }
                let scope: [Components.Schemas.ScopeLineInput] = [
                    .init(item: "parkingSpaces", quantity: 40, costFen: 40_000_000, compoundId: try d.first.requireID().uuidString),
                    .init(item: "elevator", quantity: 2, costFen: 50_000_000),
                ]
                var input = try d.input(scope: scope)
                input.households = households
                let (created, _) = try await d.create(input)
                id = try #require(created?.project.id)
                _ = try await d.step(id, .startConsultation)
            }

            /// Posts to the project's `path` and answers the entry, or the error.
            @discardableResult
            func post(_ path: String, _ body: some Encodable & Sendable, as user: String = "qizheng",
                      expect status: HTTPStatus = .created) async throws -> (Entry?, APIError.Inner?) {
                var entry: Entry?, error: APIError.Inner?
                try await d.api.send(.POST, "/renovation-projects/\(id)/\(path)", as: user, body: body) { res in
                    #expect(res.status == status, "\(path) by \(user): \(res.body.string.prefix(500))")
                    if res.status == .created { entry = try res.content.decode(Entry.self) } else { error = res.apiError }
                }
                return (entry, error)
            }

            var today: String { Calendar.shanghai.day(d.clock.now) }

            func visit(building: Int = 1, room: String = "301", day: String? = nil, items: [String]? = ["elevator"],
                       supersedes: String? = nil, expect status: HTTPStatus = .created) async throws -> (Entry?, APIError.Inner?) {
                try await post("visits", Components.Schemas.RenovationVisitInput(
                    compoundId: try d.first.requireID().uuidString, building: building, unit: "2", room: room, day: day ?? today,
                    requests: "希望加装电梯，楼道灯常坏", items: items, supersedes: supersedes), expect: status)
            }

            func opinion(_ round: Int, _ channel: Components.Schemas.OpinionChannel = .meeting, text: String = "增设停车位",
                         expect status: HTTPStatus = .created) async throws -> (Entry?, APIError.Inner?) {
                try await post("opinions", Components.Schemas.RenovationOpinionInput(round: round, channel: channel, day: today, text: text,
                                                                                      person: "3号楼 张阿姨", items: ["parkingSpaces"]), expect: status)
            }

            func answer(_ opinion: String, _ outcome: Components.Schemas.AnswerOutcome, item: String? = nil, text: String? = nil,
                        expect status: HTTPStatus = .created) async throws -> (Entry?, APIError.Inner?) {
                try await post("opinions/\(opinion)/answer", Components.Schemas.RenovationAnswerInput(outcome: outcome, day: today, item: item, text: text),
                               expect: status)
            }

            func round(_ n: Int, _ step: Components.Schemas.RenovationRoundStepInput.stepPayload, expect status: HTTPStatus = .created)
                async throws -> (Entry?, APIError.Inner?) {
                try await post("rounds/\(n)", Components.Schemas.RenovationRoundStepInput(step: step, day: today, summary: "第\(n)轮"), expect: status)
            }

            func meeting(expect status: HTTPStatus = .created) async throws -> (Entry?, APIError.Inner?) {
                try await post("meetings", Components.Schemas.RenovationMeetingInput(kind: .deliberation, day: today, attendees: 23,
                                                                                      minutes: "讨论改造方案", decisions: "同意加装电梯、增设车位"), expect: status)
            }

            func journal(as user: String = "qizheng") async throws -> Journal? {
                var journal: Journal?
                try await d.api.send(.GET, "/renovation-projects/\(id)/consultation", as: user) { res in
                    #expect(res.status == .ok, "\(res.body.string.prefix(300))")
                    if res.status == .ok { journal = try res.content.decode(Journal.self) }
                }
                return journal
            }

            /// Everything the residents must decide, the notice's days passed, approved, the works done: in acceptance.
            func toAcceptance() async throws {
                try await toWorks()
                _ = try await d.step(id, .requestAcceptance)
            }

            /// Consulted, approved after the notice, and under works from today.
            func toWorks() async throws {
                _ = try await visit()
                _ = try await meeting()
                try await bothRounds()
                _ = try await post("notice", Components.Schemas.RenovationNoticeInput(day: today, summary: "公示"))
                d.clock.advance(days: 7)
                _ = try await d.step(id, .approve)
                _ = try await d.step(id, .startWorks)
            }

            /// Rounds 1 and 2, each with one opinion answered and published.
            func bothRounds() async throws {
                for n in [1, 2] {
                    let (o, _) = try await opinion(n)
                    _ = try await round(n, .collect)
                    _ = try await answer(try #require(o?.id), .adopted, item: "elevator")
                    _ = try await round(n, .publish)
                }
            }
        }

        @Test("一访一议一公示 and rounds 1 and 2 in order; approval only after the notice ended and every objection was answered; each entry audited")
        func residentsDecide() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let (visit, _) = try await c.visit()
                #expect(visit?.kind == .visit && visit?.sequence == 1 && visit?.building == 1 && visit?.room == "301" && visit?.items == ["elevator"])
                #expect(visit?.person == "qizheng" && visit?.compoundName == c.d.first.name)
                _ = try await c.meeting()

                let (_, early) = try await c.opinion(2, expect: .conflict)
                #expect(early?.code == "round_out_of_order")
                let (first, _) = try await c.opinion(1, .visit)
                let firstID = try #require(first?.id)
                #expect(first?.standing == .unanswered)
                _ = try await c.round(1, .collect)
                let (_, closed) = try await c.opinion(1, expect: .conflict)
                #expect(closed?.code == "round_closed")
                let (_, unanswered) = try await c.round(1, .publish, expect: .conflict)
                #expect(unanswered?.code == "opinions_unanswered")
                // An adopted opinion names a line of the scope as it stands (on its compound, if it is on one).
                let (_, notInScope) = try await c.answer(firstID, .adopted, item: "publicToilet", expect: .unprocessableEntity)
                #expect(notInScope?.details.map(\.field) == ["item"] && notInScope?.details.first?.reason.contains("scope") == true)
                try await c.d.api.send(.POST, "/renovation-projects/\(c.id)/opinions/\(firstID)/answer", as: "qizheng",
                                       body: Components.Schemas.RenovationAnswerInput(outcome: .adopted, day: c.today, item: "parkingSpaces",
                                                                                      compoundId: try c.d.second.requireID().uuidString)) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.reason.contains("on that compound") == true)
                }
                let (_, noItem) = try await c.answer(firstID, .adopted, expect: .unprocessableEntity)
                #expect(noItem?.details.map(\.field) == ["item"])
                let (answer, _) = try await c.answer(firstID, .adopted, item: "parkingSpaces")
                #expect(answer?.opinionId == firstID && answer?.outcome == .adopted)
                _ = try await c.round(1, .publish)
                let (_, published) = try await c.answer(firstID, .declined, text: "改主意", expect: .conflict)
                #expect(published?.code == "answer_published")

                let (second, _) = try await c.opinion(2, .meeting, text: "电梯费用分摊过高")
                _ = try await c.round(2, .collect)
                let (_, noReason) = try await c.answer(try #require(second?.id), .declined, expect: .unprocessableEntity)
                #expect(noReason?.details.map(\.field) == ["text"])
                _ = try await c.answer(try #require(second?.id), .declined, text: "分摊比例按上级文件执行，低楼层少摊")
                _ = try await c.round(2, .publish)

                // The notice: once, after round 2; objections only while it runs; the plan is fixed from then on.
                let (_, objectionEarly) = try await c.opinion(2, .notice, expect: .conflict)
                #expect(objectionEarly?.code == "notice_not_running")
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "小区公示栏及微信群公示7天"))
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "再公示"), expect: .conflict)
                let plan = Components.Schemas.RenovationPlanInput(name: "改名", budgetFen: 100_000_000,
                                                                  funding: [.init(source: .districtBudget, fen: 100_000_000)])
                try await c.d.api.send(.PUT, "/renovation-projects/\(c.id)/plan", as: "qizheng", body: plan) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "plan_fixed")
                }
                let (objection, _) = try await c.opinion(2, .notice, text: "停车位占用绿地")
                let (_, blocked) = try await c.d.step(c.id, .approve, expect: .conflict)
                #expect(blocked?.message.contains("answers to 1 opinion") == true && blocked?.message.contains("一公示") == true)
                _ = try await c.answer(try #require(objection?.id), .declined, text: "车位利用原有空地，不占绿地")
                let (_, notEnded) = try await c.d.step(c.id, .approve, expect: .conflict)
                #expect(notEnded?.message.contains("一公示") == true && notEnded?.message.contains("answers") == false)

                c.d.clock.advance(days: 7)
                let (approved, _) = try await c.d.step(c.id, .approve)
                #expect(approved?.project.status == .approved)

                let journal = try #require(try await c.journal(as: "wangge"))
                #expect(journal.visits == 1 && journal.householdsVisited == 1 && journal.meetings == 1 && journal.unansweredOpinions == 0)
                #expect(journal.rounds.map(\.published) == [true, true, false] && journal.noticeRunning == false)
                #expect(journal.noticeFirstDay == "2026-03-02" && journal.noticeLastDay == "2026-03-08")  // seven days
                #expect(journal.entries.map(\.sequence) == Array(1...journal.entries.count))
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "renovationConsultation").count() == journal.entries.count)
                // After approval the consultation's rounds 1 and 2 are closed.
                _ = try await c.visit(expect: .conflict)
            }
        }

        @Test("Bad entries name the field and change nothing: a building outside the project, a future day, an unknown item, a room too long")
        func badEntries() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let audits = try await app.auditCount()
                let (_, building) = try await c.visit(building: 999, expect: .unprocessableEntity)
                #expect(building?.details.map(\.field) == ["building"])
                let (_, future) = try await c.visit(day: Calendar.shanghai.day(c.today, plus: 1), expect: .unprocessableEntity)
                #expect(future?.details.map(\.field) == ["day"])
                let (_, item) = try await c.visit(items: ["elevator", "moat"], expect: .unprocessableEntity)
                #expect(item?.details.map(\.field) == ["items[1]"])
                let (_, room) = try await c.visit(room: "12345678901", expect: .unprocessableEntity)
                #expect(room?.details.map(\.field) == ["room"])
                _ = try await c.post("meetings", Components.Schemas.RenovationMeetingInput(kind: .consultation, day: c.today, attendees: 0, minutes: "x",
                                                                                          decisions: " "), expect: .unprocessableEntity)
                // There are three rounds: the document's range for the path, refused before the project is read.
                let (_, round) = try await c.post("rounds/4", Components.Schemas.RenovationRoundStepInput(step: .collect, day: c.today, summary: "x"),
                                                  expect: .badRequest)
                #expect(round?.code == "bad_parameter" && round?.field == "round")
                #expect(try await app.auditCount() == audits)
                #expect(try await ConsultationRecord.query(on: app.db).count() == 0)
            }
        }

        @Test("A correction supersedes a visit and is shown beside it; only the project's street office and the bureau record; others read or see nothing")
        func correctionsAndWho() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                let (visit, _) = try await c.visit(room: "302")
                let (corrected, _) = try await c.visit(room: "301", supersedes: visit?.id)
                _ = try await c.visit(supersedes: visit?.id, expect: .unprocessableEntity)  // already superseded
                let journal = try #require(try await c.journal())
                #expect(journal.visits == 1 && journal.entries.count == 2)
                #expect(journal.entries.first?.supersededBy == corrected?.id && journal.entries.last?.supersedes == visit?.id)

                let body = Components.Schemas.RenovationMeetingInput(kind: .deliberation, day: c.today, attendees: 5, minutes: "m", decisions: "d")
                _ = try await c.post("meetings", body, as: "wangge", expect: .forbidden)
                _ = try await c.post("meetings", body, as: "zhengyi", expect: .notFound)
                _ = try await c.post("meetings", body, as: "gongre", expect: .forbidden)
                try await RenovationProjectTests.officer(app, of: c.d.elsewhere)
                _ = try await c.post("meetings", body, as: "other", expect: .notFound)
                try await c.d.api.send(.GET, "/renovation-projects/\(c.id)/consultation", as: "other") { res in #expect(res.status == .notFound) }
                _ = try await c.post("meetings", body, as: "admin")
                #expect(try await ConsultationRecord.query(on: app.db).count() == 3)
            }
        }

        @Test("Round 3 during the works: feedback from the reception room is answered and published before acceptance may be requested")
        func worksFeedback() async throws {
            try await withApp(demo: true) { app in
                let c = try await Consulting(app)
                _ = try await c.visit()
                _ = try await c.meeting()
                try await c.bothRounds()
                _ = try await c.post("notice", Components.Schemas.RenovationNoticeInput(day: c.today, summary: "公示"))
                c.d.clock.advance(days: 7)
                _ = try await c.d.step(c.id, .approve)
                _ = try await c.d.step(c.id, .startWorks)
                let (feedback, _) = try await c.opinion(3, .receptionRoom, text: "施工噪音太早")
                let (_, waiting) = try await c.d.step(c.id, .requestAcceptance, expect: .conflict)
                #expect(waiting?.code == "feedback_unanswered")
                _ = try await c.answer(try #require(feedback?.id), .declined, text: "已要求施工单位7点后作业")
                _ = try await c.d.step(c.id, .requestAcceptance, expect: .conflict)  // answered, not yet published
                _ = try await c.round(3, .publish)
                _ = try await c.round(3, .publish, expect: .conflict)
                let (accepting, _) = try await c.d.step(c.id, .requestAcceptance)
                #expect(accepting?.project.status == .acceptance)
            }
        }
    }
}
