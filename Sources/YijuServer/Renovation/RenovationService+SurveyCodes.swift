import Crypto
import Fluent
import Foundation
import Vapor
import YijuCore

/// A household answering the survey itself: the project's officer issues a one-time code per
/// household of the open round (shown once; only its hash is kept), and the household
/// answers on the public survey page with it. A code is good for its household, once, while
/// its round is open.
extension RenovationService {
    struct IssuedCode: Sendable {
        var household: Household
        var label: String
        var code: String
    }

    /// New codes for the open round; a household's earlier unused code stops working.
    func issueCodes(_ projectID: UUID, for households: [Household]) async throws -> [IssuedCode] {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        guard (1...200).contains(households.count) else {
            throw DomainError.validation([FieldError(field: "households", reason: "name 1 to 200 households")])
        }
        return try await db.transaction { tx in
            var issued: [IssuedCode] = []
            let round = try await openRound(projectID, on: tx)
            let answered = try await Self.answered(in: round.requireID(), on: tx)
            var errors: [FieldError] = []
            var seen = Set<String>()
            for (i, h) in households.enumerated() {
                guard let link = file.compounds.first(where: { $0.coverage.$compound.id == h.compoundID }) else {
                    errors.append(FieldError(field: "households[\(i)].compoundId", reason: "is not one of the project's compounds"))
                    continue
                }
                let household = YijuCore.Household(compound: link.compound.code, building: String(h.building),
                                                   unit: h.unit.trimmingCharacters(in: .whitespaces), room: h.room.trimmingCharacters(in: .whitespaces))
                let taken = Set(answered.filter { $0.compoundID == h.compoundID }
                    .map { YijuCore.Household(compound: link.compound.code, building: String($0.building), unit: $0.unit, room: $0.room) })
                let problem = SurveyRules.problem(household, buildings: Self.buildingRefs(file), answered: taken, households: Int.max)
                if problem != nil || !seen.insert(household.label).inserted {
                    let reason = problem?.error.reason ?? "is named twice"
                    errors.append(FieldError(field: "households[\(i)]", reason: reason))
                    continue
                }
                try await SurveyCode.query(on: tx).filter(\.$round.$id == round.requireID()).filter(\.$compound.$id == h.compoundID)
                    .filter(\.$building == h.building).filter(\.$unit == household.unit).filter(\.$room == household.room)
                    .filter(\.$usedAt == nil).delete()
                let code = Self.newCode()
                let row = SurveyCode()
                row.$round.id = try round.requireID()
                row.$compound.id = h.compoundID
                row.building = h.building
                row.unit = household.unit
                row.room = household.room
                row.codeHash = Self.hash(code)
                row.createdBy = actor.username
                try await row.create(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "surveyCode", entityID: row.id,
                                          after: ["project": file.project.code, "round": String(round.number), "household": household.label], at: now)
                issued.append(IssuedCode(household: h, label: household.label, code: code))
            }
            // All or nothing: a list with a bad line issues no code at all.
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            return issued
        }
    }

    /// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 40 bits.
    static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// Codes are compared as typed: case and spaces or hyphens do not matter.
    static func hash(_ code: String) -> String {
        let normal = code.uppercased().filter { $0.isLetter || $0.isNumber }
        return SHA256.hash(data: Data(("survey:" + normal).utf8)).hexString
    }
}

/// The household's side, without login: what a code is for, and its one answer.
struct PublicSurvey {
    let db: any Database
    let now: Date
    /// Lookups and answers one address may make an hour: plenty for a family, few for guessing.
    static let perHour = 20

    struct Ticket: Sendable {
        var code: SurveyCode
        var file: RenovationService.ProjectFile
        var round: AcceptanceRound
        var household: YijuCore.Household
    }

    /// Reads the code's project (the public reader may read every project) and records the answer as the public's.
    private var service: RenovationService { RenovationService(db: db, actor: .publicReader, now: now) }

    /// The code's project and household, if the code is good; every other case is the same
    /// "not found", so codes cannot be probed.
    func ticket(_ code: String, source: String) async throws -> Ticket {
        try await count(source)
        guard let row = try await SurveyCode.query(on: db).filter(\.$codeHash == RenovationService.hash(code)).with(\.$round).first(),
              row.usedAt == nil, row.round.isOpen,
              let project = try await RenovationProject.query(on: db).filter(\.$id == row.round.$project.id).with(\.$streetOffice).first(),
              project.status == .acceptance else {
            throw DomainError(.notFound, code: "not_found", message: "no open survey has this code; check it, or ask your community for a new one")
        }
        let file = try await service.load(try project.requireID())
        let compound = file.compounds.first { $0.coverage.$compound.id == row.$compound.id }?.compound.code ?? ""
        return Ticket(code: row, file: file, round: row.round,
                      household: YijuCore.Household(compound: compound, building: String(row.building), unit: row.unit, room: row.room))
    }

    /// The household's answer: once, while the round is open.
    func answer(_ code: String, verdict: SurveyVerdict, comment: String?, source: String) async throws -> Ticket {
        let ticket = try await ticket(code, source: source)
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if (comment?.count ?? 0) > 1000 { throw DomainError.validation([FieldError(field: "comment", reason: "at most 1000 characters")]) }
        let answer = RenovationService.Answer(compoundID: ticket.code.$compound.id, building: ticket.code.building, unit: ticket.code.unit,
                                              room: ticket.code.room, verdict: verdict, comment: comment)
        try await db.transaction { tx in
            let round = try await service.openRound(try ticket.file.project.requireID(), on: tx)
            guard round.id == ticket.round.id, let code = try await SurveyCode.find(ticket.code.id, on: tx), code.usedAt == nil else {
                throw DomainError(.notFound, code: "not_found", message: "no open survey has this code; check it, or ask your community for a new one")
            }
            code.usedAt = now
            try await code.update(on: tx)
            try await service.insertResponse(id: UUID(), file: ticket.file, round: round, household: ticket.household, answer: answer,
                                             comment: comment, recordedBy: "household", on: tx)
        }
        return ticket
    }

    private func count(_ source: String) async throws {
        let hash = SHA256.hash(data: Data(("survey:" + source).utf8)).hexString
        let recent = try await PublicSubmission.query(on: db).filter(\.$sourceHash == hash).filter(\.$at > now.addingTimeInterval(-3600)).count()
        guard recent < Self.perHour else {
            throw DomainError(.throttled, code: "too_many_attempts", message: "too many survey codes tried from one address; try again in an hour")
        }
        let submission = PublicSubmission()
        submission.sourceHash = hash
        submission.at = now
        try await submission.create(on: db)
    }
}
