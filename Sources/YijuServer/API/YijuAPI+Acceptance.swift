import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Acceptance through the API: the rounds, the completion check, the survey's answers and its close.
extension YijuAPI {
    private func acceptanceService() throws -> RenovationService {
        RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func getRenovationAcceptance(_ input: Operations.getRenovationAcceptance.Input) async throws -> Operations.getRenovationAcceptance.Output {
        .ok(.init(body: .json(try .init(try await acceptanceService().acceptance(try pathID(input.path.id, "renovation project"))))))
    }

    func recordAcceptanceCheck(_ input: Operations.recordAcceptanceCheck.Input) async throws -> Operations.recordAcceptanceCheck.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let acceptance = try await acceptanceService().recordCheck(try pathID(input.path.id, "renovation project"), day: b.day,
                                                                   participants: b.participants, punchList: b.punchList ?? [])
        return .ok(.init(body: .json(try .init(acceptance))))
    }

    func recordSurveyResponse(_ input: Operations.recordSurveyResponse.Input) async throws -> Operations.recordSurveyResponse.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try acceptanceService()
        let id = try pathID(input.path.id, "renovation project")
        let response = try await service.recordResponse(id, .init(compoundID: try bodyID(b.compoundId, "compoundId"), building: b.building, unit: b.unit,
                                                                  room: b.room, verdict: SurveyVerdict(rawValue: b.verdict.rawValue)!, comment: b.comment))
        let acceptance = try await service.acceptance(id)
        return .created(.init(body: .json(try .init(response, in: acceptance))))
    }

    func closeSurvey(_ input: Operations.closeSurvey.Input) async throws -> Operations.closeSurvey.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        return .ok(.init(body: .json(try .init(try await acceptanceService().closeSurvey(try pathID(input.path.id, "renovation project"), day: b.day)))))
    }
}

extension Components.Schemas.RenovationAcceptance {
    init(_ a: RenovationService.Acceptance) throws {
        self.init(
            rounds: a.rounds.map { r in
                .init(number: r.number, openedOn: r.openedOn, households: r.households, checkDay: r.checkDay,
                      participants: r.participants.map { $0.components(separatedBy: "\n") } ?? [],
                      punchList: r.punchList.map { $0.components(separatedBy: "\n") } ?? [], checkedBy: r.checkedBy, closedOn: r.closedOn,
                      passed: r.passed, explanation: r.explanation, closedBy: r.closedBy)
            },
            responses: try a.responses.map { try .init($0, in: a) },
            result: a.result.map { r in
                .init(households: r.households, responses: r.responses, satisfied: r.satisfied, basicallySatisfied: r.basicallySatisfied,
                      dissatisfied: r.dissatisfied, responseShare: r.responseShare, satisfiedShare: r.satisfiedShare,
                      minimumResponseShare: r.minimumResponseShare, minimumSatisfiedShare: r.minimumSatisfiedShare,
                      responsesNeeded: r.responsesNeeded, passes: r.passes, explanation: r.explanation)
            })
    }
}

extension Components.Schemas.SurveyResponse {
    init(_ r: SurveyResponse, in a: RenovationService.Acceptance) throws {
        let round = a.rounds.first { $0.id == r.$round.id }
        self.init(id: try r.requireID().uuidString, round: round?.number ?? 0, compoundId: r.$compound.id.uuidString,
                  compoundCode: a.compounds.first { $0.coverage.$compound.id == r.$compound.id }?.compound.code ?? "",
                  building: r.building, unit: r.unit, room: r.room, verdict: .init(rawValue: r.verdict.rawValue)!, comment: r.comment,
                  recordedBy: r.recordedBy, recordedAt: r.createdAt ?? Date())
    }
}

/// Households' own survey codes, and a household's answer with one.
extension YijuAPI {
    func issueSurveyCodes(_ input: Operations.issueSurveyCodes.Input) async throws -> Operations.issueSurveyCodes.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let requests = try b.households.enumerated().map { i, h in
            RenovationService.Household(compoundID: try bodyID(h.compoundId, "households[\(i)].compoundId"), building: h.building, unit: h.unit, room: h.room)
        }
        let issued = try await acceptanceService().issueCodes(try pathID(input.path.id, "renovation project"), for: requests)
        return .created(.init(body: .json(.init(
            codes: issued.map { .init(compoundId: $0.household.compoundID.uuidString, building: $0.household.building, unit: $0.household.unit,
                                      room: $0.household.room, household: $0.label, code: $0.code) },
            surveyPage: PublicPath.survey.path))))
    }

    func answerPublicSurvey(_ input: Operations.answerPublicSurvey.Input) async throws -> Operations.answerPublicSurvey.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let ticket = try await PublicSurvey(db: app.db, now: app.clock.now())
            .answer(b.code, verdict: SurveyVerdict(rawValue: b.verdict.rawValue)!, comment: b.comment, source: RequestSource.address ?? "unknown")
        return .created(.init(body: .json(.init(projectCode: ticket.file.project.code, projectName: ticket.file.project.name,
                                                household: ticket.household.label, verdict: b.verdict))))
    }
}
