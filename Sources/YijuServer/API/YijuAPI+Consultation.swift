import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// The residents' say through the API: a project's consultation journal and its entries.
extension YijuAPI {
    private func consultationService() throws -> RenovationService {
        RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func getRenovationConsultation(_ input: Operations.getRenovationConsultation.Input) async throws -> Operations.getRenovationConsultation.Output {
        let service = try consultationService()
        let consultation = try await service.consultation(try pathID(input.path.id, "renovation project"))
        return .ok(.init(body: .json(try await .init(consultation, names: compoundNames(consultation.records)))))
    }

    func recordRenovationVisit(_ input: Operations.recordRenovationVisit.Input) async throws -> Operations.recordRenovationVisit.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try consultationService()
        var draft = RenovationService.Draft(kind: .visit, day: b.day, body: b.requests)
        draft.household = .init(compoundID: try bodyID(b.compoundId, "compoundId"), building: b.building, unit: b.unit, room: b.room)
        draft.person = b.visitor ?? service.actor.username
        draft.items = b.items ?? []
        draft.supersedes = try b.supersedes.map { try bodyID($0, "supersedes") }
        return .created(.init(body: .json(try await entry(service, draft, input.path.id))))
    }

    func recordRenovationMeeting(_ input: Operations.recordRenovationMeeting.Input) async throws -> Operations.recordRenovationMeeting.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        var draft = RenovationService.Draft(kind: .meeting, day: b.day, body: b.minutes)
        draft.meetingKind = MeetingKind(rawValue: b.kind.rawValue)
        draft.attendees = b.attendees
        draft.attendeeNames = b.attendeeNames
        draft.decisions = b.decisions
        draft.supersedes = try b.supersedes.map { try bodyID($0, "supersedes") }
        return .created(.init(body: .json(try await entry(try consultationService(), draft, input.path.id))))
    }

    func recordRenovationOpinion(_ input: Operations.recordRenovationOpinion.Input) async throws -> Operations.recordRenovationOpinion.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        guard let round = ConsultationRound(rawValue: b.round) else {
            throw DomainError.validation([FieldError(field: "round", reason: "must be 1, 2 or 3")])
        }
        var draft = RenovationService.Draft(kind: .opinion, day: b.day, body: b.text, round: round, channel: OpinionChannel(rawValue: b.channel.rawValue))
        draft.compoundID = try b.compoundId.map { try bodyID($0, "compoundId") }
        draft.building = b.building
        draft.person = b.person
        draft.items = b.items ?? []
        draft.supersedes = try b.supersedes.map { try bodyID($0, "supersedes") }
        return .created(.init(body: .json(try await entry(try consultationService(), draft, input.path.id))))
    }

    func answerRenovationOpinion(_ input: Operations.answerRenovationOpinion.Input) async throws -> Operations.answerRenovationOpinion.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        var draft = RenovationService.Draft(kind: .answer, day: b.day, body: b.text ?? "")
        draft.opinionID = try pathID(input.path.opinionId, "opinion")
        draft.outcome = AnswerOutcome(rawValue: b.outcome.rawValue)
        draft.item = b.item
        draft.compoundID = try b.compoundId.map { try bodyID($0, "compoundId") }
        return .created(.init(body: .json(try await entry(try consultationService(), draft, input.path.id))))
    }

    func recordRenovationRoundStep(_ input: Operations.recordRenovationRoundStep.Input) async throws -> Operations.recordRenovationRoundStep.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        guard let round = ConsultationRound(rawValue: input.path.round) else { throw DomainError.notFound("round") }
        let draft = RenovationService.Draft(kind: b.step == .collect ? .collection : .publication, day: b.day, body: b.summary, round: round)
        return .created(.init(body: .json(try await entry(try consultationService(), draft, input.path.id))))
    }

    func publishRenovationNotice(_ input: Operations.publishRenovationNotice.Input) async throws -> Operations.publishRenovationNotice.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let draft = RenovationService.Draft(kind: .notice, day: b.day, body: b.summary)
        return .created(.init(body: .json(try await entry(try consultationService(), draft, input.path.id))))
    }

    /// Records the draft and answers the entry as the journal now reads it.
    private func entry(_ service: RenovationService, _ draft: RenovationService.Draft, _ projectID: String) async throws -> Components.Schemas.ConsultationEntry {
        let id = try pathID(projectID, "renovation project")
        let record = try await service.record(draft, on: id)
        let consultation = try await service.consultation(id)
        return try .init(record, in: consultation, names: try await compoundNames([record]))
    }

    private func compoundNames(_ records: [ConsultationRecord]) async throws -> [UUID: String] {
        let ids = Set(records.compactMap(\.$compound.id))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await Compound.query(on: app.db).filter(\.$id ~~ ids).all().map { (try $0.requireID(), $0.name) })
    }
}

extension Components.Schemas.RenovationConsultation {
    init(_ c: RenovationService.Consultation, names: [UUID: String]) throws {
        let journal = c.journal
        let rounds = ConsultationRound.allCases.map { round in
            let opinions = journal.live(.opinion, round: round)
            return Components.Schemas.RoundStanding(
                round: round.rawValue, opinions: opinions.count, unanswered: opinions.filter { journal.answer(to: $0.id) == nil }.count,
                collected: journal.collectedRounds.contains(round), published: journal.publishedRounds.contains(round))
        }
        var snapshot = ProjectSnapshot(status: .consulting)
        journal.apply(to: &snapshot, today: c.today)
        self.init(entries: try c.records.map { try .init($0, in: c, names: names) }, visits: snapshot.visits, householdsVisited: c.householdsVisited,
                  households: c.households, meetings: snapshot.meetings, rounds: rounds, noticeFirstDay: journal.notice?.day,
                  noticeLastDay: journal.noticeLastDay, noticeRunning: journal.notice == nil ? nil : journal.noticeRunning(on: c.today),
                  unansweredOpinions: snapshot.unansweredOpinions, unansweredFeedback: snapshot.unansweredFeedback)
    }
}

extension Components.Schemas.ConsultationEntry {
    init(_ r: ConsultationRecord, in c: RenovationService.Consultation, names: [UUID: String]) throws {
        let id = try r.requireID()
        let entry = r.entry
        self.init(
            id: id.uuidString, sequence: r.sequence, kind: .init(rawValue: r.kind.rawValue)!, day: r.day, round: r.round,
            channel: r.channel.flatMap { .init(rawValue: $0.rawValue) }, compoundId: r.$compound.id?.uuidString,
            compoundName: r.$compound.id.flatMap { names[$0] }, building: r.building, unit: r.unit, room: r.room, person: r.person, phone: r.phone,
            meetingKind: r.meetingKind.flatMap { .init(rawValue: $0.rawValue) }, attendees: r.attendees, attendeeNames: r.attendeeNames,
            text: r.body, decisions: r.decisions, items: r.itemCodes, opinionId: r.opinionID?.uuidString,
            outcome: r.outcome.flatMap { .init(rawValue: $0.rawValue) }, item: r.item, supersedes: r.supersedes?.uuidString,
            supersededBy: c.records.first { $0.supersedes == id }?.id?.uuidString,
            standing: r.kind == .opinion ? .init(rawValue: c.journal.standing(of: entry).rawValue) : nil,
            recordedBy: r.recordedBy, recordedAt: r.createdAt ?? Date())
    }
}
