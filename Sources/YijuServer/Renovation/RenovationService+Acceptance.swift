import Fluent
import Foundation
import SQLKit
import YijuCore

/// Acceptance (验收): each request for acceptance opens a round with the completion check and
/// the households' satisfaction survey (满意度测评); closing the survey computes its result by
/// the rules. A failed round reopens the works; a passed one lets the project complete, and
/// completion adds the built items to the compounds' inventories.
extension RenovationService {
    /// A household's answer as recorded; also read back by its columns (`answered(in:on:)`).
    struct Answer: Decodable, Sendable {
        var compoundID: UUID
        var building: Int
        var unit: String
        var room: String
        var verdict: SurveyVerdict
        var comment: String?

        enum CodingKeys: String, CodingKey {
            case compoundID = "compound_id", building, unit, room, verdict, comment
        }
    }

    /// The project's acceptance: every round, the current (last) one's responses and its
    /// result so far, computed as it will be when the survey closes.
    struct Acceptance: Sendable {
        var project: RenovationProject
        var rounds: [AcceptanceRound]
        var responses: [SurveyResponse]
        var result: SurveyResult?
        var compounds: [(coverage: RenovationProjectCompound, compound: Compound)]
        var resource: Resource

        var current: AcceptanceRound? { rounds.last }
    }

    func acceptance(_ projectID: UUID) async throws -> Acceptance {
        let file = try await load(projectID)
        return try await acceptance(of: file, on: db)
    }

    private func acceptance(of file: ProjectFile, on db: any Database) async throws -> Acceptance {
        let id = try file.project.requireID()
        let rounds = try await AcceptanceRound.query(on: db).filter(\.$project.$id == id).sort(\.$number).all()
        var responses: [SurveyResponse] = []
        var result: SurveyResult?
        if let current = rounds.last {
            responses = try await SurveyResponse.query(on: db).filter(\.$round.$id == current.requireID()).sort(\.$createdAt).all()
            result = SurveyResult(households: current.households ?? file.project.households, verdicts: responses.map(\.verdict),
                                  rules: try await rules(of: file.project, on: db))
        }
        return Acceptance(project: file.project, rounds: rounds, responses: responses, result: result, compounds: file.compounds, resource: file.resource)
    }

    private func rules(of project: RenovationProject, on db: any Database) async throws -> RenovationRules {
        try await RenovationSettingsStore.pinned(project.settingsVersion, on: db).rules
    }

    /// The completion acceptance check (竣工验收) of the open round: who took part and signed,
    /// and the punch list. Once per round.
    func recordCheck(_ projectID: UUID, day: String, participants: [String], punchList: [String]) async throws -> Acceptance {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        var errors = dayProblems(day)
        let names = participants.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let punch = punchList.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if names.isEmpty { errors.append(FieldError(field: "participants", reason: "name who took part and signed (the community, the owners' committee, yard heads …)")) }
        if names.count > 50 || names.contains(where: { $0.count > 100 }) { errors.append(FieldError(field: "participants", reason: "at most 50, each at most 100 characters")) }
        if punch.count > 200 || punch.contains(where: { $0.count > 500 }) { errors.append(FieldError(field: "punchList", reason: "at most 200 items, each at most 500 characters")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        try await db.transaction { tx in
            let round = try await openRound(projectID, on: tx)
            guard round.checkDay == nil else {
                throw DomainError(.conflict, code: "check_recorded", message: "round \(round.number)'s acceptance check was recorded on \(round.checkDay ?? "")")
            }
            if day < round.openedOn {
                throw DomainError.validation([FieldError(field: "day", reason: "is before acceptance was requested (\(round.openedOn))")])
            }
            round.checkDay = day
            round.participants = names.joined(separator: "\n")
            round.punchList = punch.isEmpty ? nil : punch.joined(separator: "\n")
            round.checkedBy = actor.username
            try await round.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationAcceptance", entityID: round.id,
                                      after: ["project": file.project.code, "round": String(round.number), "checkDay": day,
                                              "participants": round.participants ?? "", "punchList": round.punchList ?? ""], at: now)
        }
        return try await acceptance(projectID)
    }

    /// One household's answer in the open round: a household of the project's buildings, once.
    func recordResponse(_ projectID: UUID, _ answer: Answer) async throws -> SurveyResponse {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        guard let link = file.compounds.first(where: { $0.coverage.$compound.id == answer.compoundID }) else {
            throw DomainError.validation([FieldError(field: "compoundId", reason: "is not one of the project's compounds")])
        }
        let comment = answer.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if (comment?.count ?? 0) > 1000 { throw DomainError.validation([FieldError(field: "comment", reason: "at most 1000 characters")]) }
        let household = YijuCore.Household(compound: link.compound.code, building: String(answer.building),
                                  unit: answer.unit.trimmingCharacters(in: .whitespaces), room: answer.room.trimmingCharacters(in: .whitespaces))
        let id = UUID()
        try await db.transaction { tx in
            let round = try await openRound(projectID, on: tx)
            try await insertResponse(id: id, file: file, round: round, household: household, answer: answer, comment: comment,
                                     recordedBy: actor.username, on: tx)
        }
        guard let saved = try await SurveyResponse.find(id, on: db) else { throw DomainError.internalError }
        return saved
    }

    /// A round's answers as the rules read them (whose household, which verdict): one plain
    /// SELECT, not a model per answer, since every new answer and the close read them all and
    /// a survey has hundreds.
    static func answered(in roundID: UUID, on db: any Database) async throws -> [Answer] {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let keys: [FieldKey] = [.compoundID, .building, .unit, .room, .verdict, .comment]
        return try await sql.select().columns(keys.map(\.description))
            .from(SurveyResponse.schema).where(FieldKey.roundID.description, .equal, roundID)
            .all(decoding: Answer.self)
    }

    /// Checks a household's answer against the round's and writes it, audited: shared by the
    /// surveyor's form and the household's own code.
    func insertResponse(id: UUID, file: ProjectFile, round: AcceptanceRound, household: YijuCore.Household, answer: Answer, comment: String?,
                        recordedBy: String, on tx: any Database) async throws {
        let answered = try await Self.answered(in: round.requireID(), on: tx)
        let codes = Dictionary(uniqueKeysWithValues: file.compounds.map { ($0.coverage.$compound.id, $0.compound.code) })
        let taken = Set(answered.map { YijuCore.Household(compound: codes[$0.compoundID] ?? "", building: String($0.building), unit: $0.unit, room: $0.room) })
        switch SurveyRules.problem(household, buildings: Self.buildingRefs(file), answered: taken,
                                   households: round.households ?? file.project.households) {
        case .duplicate(let error): throw DomainError(.conflict, code: "duplicate", message: error.reason, fields: [error])
        case .invalid(let error): throw DomainError.validation([error])
        case nil: break
        }
        let row = SurveyResponse()
        row.id = id
        row.$round.id = try round.requireID()
        row.$compound.id = answer.compoundID
        row.building = answer.building
        row.unit = household.unit
        row.room = household.room
        row.verdict = answer.verdict
        row.comment = comment
        row.recordedBy = recordedBy
        try await row.create(on: tx)
        try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "surveyResponse", entityID: id,
                                  after: ["project": file.project.code, "round": String(round.number), "household": household.label,
                                          "verdict": answer.verdict.rawValue, "comment": comment ?? "", "recordedBy": recordedBy], at: now)
    }

    /// Closes the open round's survey with its result. A pass lets the project complete; a
    /// failure sends it back to rectification (under works), and the next request opens a new round.
    func closeSurvey(_ projectID: UUID, day: String) async throws -> Acceptance {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        let errors = dayProblems(day)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        try await db.transaction { tx in
            let round = try await openRound(projectID, on: tx)
            if day < round.openedOn {
                throw DomainError.validation([FieldError(field: "day", reason: "is before acceptance was requested (\(round.openedOn))")])
            }
            guard round.checkDay != nil else {
                throw DomainError(.conflict, code: "check_missing", message: "record round \(round.number)'s completion check (竣工验收) before closing its survey")
            }
            let responses = try await Self.answered(in: round.requireID(), on: tx)
            guard !responses.isEmpty else {
                throw DomainError(.conflict, code: "no_responses", message: "no household has answered round \(round.number)'s survey yet")
            }
            guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
            let result = SurveyResult(households: round.households ?? project.households, verdicts: responses.map(\.verdict),
                                      rules: try await rules(of: project, on: tx))
            round.closedOn = day
            round.passed = result.passes
            round.explanation = result.explanation
            round.closedBy = actor.username
            try await round.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationAcceptance", entityID: round.id,
                                      after: ["project": project.code, "round": String(round.number), "closedOn": day,
                                              "passed": String(result.passes), "explanation": result.explanation], at: now)
            if !result.passes {
                let before = try await auditSnapshot(projectID, on: tx)
                project.status = try ProjectMachine.apply(.reopenWorks, to: try await snapshot(project, on: tx)).status
                try await project.update(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationProject", entityID: projectID,
                                          before: before, after: try await auditSnapshot(projectID, on: tx).merging(["step": "reopenWorks", "reason": "survey failed"]) { $1 },
                                          at: now)
            }
        }
        return try await acceptance(projectID)
    }

    // MARK: What the lifecycle asks of acceptance

    /// The last round's standing for the rules: passed, and the check signed.
    func acceptanceStanding(_ projectID: UUID, on db: any Database) async throws -> (passed: Bool, signed: Bool) {
        guard let last = try await AcceptanceRound.query(on: db).filter(\.$project.$id == projectID).sort(\.$number, .descending).first() else {
            return (false, false)
        }
        return (last.passed == true, last.checkDay != nil)
    }

    /// Opens a new round when acceptance is requested; the project's households are fixed for it.
    func openAcceptanceRound(_ project: RenovationProject, day: String, on tx: any Database) async throws {
        let id = try project.requireID()
        let last = try await AcceptanceRound.query(on: tx).filter(\.$project.$id == id).sort(\.$number, .descending).first()
        let round = AcceptanceRound()
        round.$project.id = id
        round.number = (last?.number ?? 0) + 1
        round.openedOn = day
        round.households = project.households
        try await round.create(on: tx)
        try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationAcceptance", entityID: round.id,
                                  after: ["project": project.code, "round": String(round.number), "openedOn": day], at: now)
    }

    /// Works reopened by hand while a round is open: the round is withdrawn, without a result.
    func withdrawAcceptanceRound(_ project: RenovationProject, day: String, on tx: any Database) async throws {
        guard let open = try await AcceptanceRound.query(on: tx).filter(\.$project.$id == project.requireID()).filter(\.$closedOn == nil).first() else {
            return
        }
        open.closedOn = day
        open.closedBy = actor.username
        open.explanation = "works reopened before the survey closed"
        try await open.update(on: tx)
        try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationAcceptance", entityID: open.id,
                                  after: ["project": project.code, "round": String(open.number), "withdrawn": day], at: now)
    }

    /// Completion: each scope line on a compound is built, and the compound's inventory gains
    /// it — a worn facility is renewed, a missing or short one added to. Lines for the whole
    /// project name no compound and stay out of the inventories.
    func recordBuiltItems(_ projectID: UUID, on tx: any Database) async throws {
        let lines = try await RenovationScopeItem.query(on: tx).filter(\.$project.$id == projectID).all()
        for line in lines {
            line.built = true
            try await line.update(on: tx)
        }
        let byCompound = Dictionary(grouping: lines.compactMap { line in line.$compound.id.map { ($0, line) } }, by: \.0).mapValues { $0.map(\.1) }
        for (compoundID, built) in byCompound {
            let facilities = try await CompoundFacility.query(on: tx).filter(\.$compound.$id == compoundID).all()
            let before = facilities.map { "\($0.item) \($0.quantity) \($0.condition.rawValue)" }.sorted()
            for line in built {
                let (facility, isNew) = Self.build(line, into: facilities, of: compoundID)
                if isNew { try await facility.create(on: tx) } else { try await facility.update(on: tx) }
            }
            let after = try await CompoundFacility.query(on: tx).filter(\.$compound.$id == compoundID).all()
                .map { "\($0.item) \($0.quantity) \($0.condition.rawValue)" }.sorted()
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "compoundFacilities", entityID: compoundID,
                                      before: ["items": before.joined(separator: "; ")],
                                      after: ["items": after.joined(separator: "; "), "source": "renovation project completed"], at: now)
        }
    }

    /// A built line in its compound's inventory: the facility of its item renewed (a worn one
    /// brought to the line's quantity, a good one added to) or, `isNew`, one to create.
    static func build(_ line: RenovationScopeItem, into facilities: [CompoundFacility], of compoundID: UUID) -> (facility: CompoundFacility, isNew: Bool) {
        if let facility = facilities.first(where: { $0.item == line.item }) {
            facility.quantity = facility.condition == .worn ? max(facility.quantity, line.quantity) : facility.quantity + line.quantity
            facility.condition = .good
            return (facility, false)
        }
        let facility = CompoundFacility()
        facility.$compound.id = compoundID
        facility.item = line.item
        facility.quantity = line.quantity
        facility.condition = .good
        return (facility, true)
    }

    // MARK: Helpers

    func openRound(_ projectID: UUID, on tx: any Database) async throws -> AcceptanceRound {
        guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
        guard project.status == .acceptance,
              let round = try await AcceptanceRound.query(on: tx).filter(\.$project.$id == projectID).filter(\.$closedOn == nil).first() else {
            throw DomainError(.conflict, code: "no_open_survey", message: "the project is \(project.status.rawValue); acceptance and its survey run after acceptance is requested")
        }
        return round
    }

    private func dayProblems(_ day: String) -> [FieldError] {
        if !Calendar.shanghai.isDay(day) { return [FieldError(field: "day", reason: "must be a date like 2026-04-15")] }
        if day > today { return [FieldError(field: "day", reason: "cannot be in the future")] }
        return []
    }

    static func buildingRefs(_ file: ProjectFile) -> Set<BuildingRef> {
        Set(file.compounds.flatMap { link in
            (buildings(link.coverage) ?? Array(1...max(link.compound.buildings, 1))).map { BuildingRef(compound: link.compound.code, building: String($0)) }
        })
    }
}
