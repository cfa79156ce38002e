import Fluent
import Foundation
import YijuCore

/// A project's steps between statuses, by ProjectMachine's rules, and what each step does to
/// the registry: a planned project marks its compounds planned, the works mark them under
/// works, completion marks them completed, and a cancellation gives back the state they had;
/// either end lets a tender's contract that waited on the works start.
extension RenovationService {
    /// `day` dates the works' start, the request for acceptance, a reopening or the completion
    /// (today when nil; never in the future).
    func take(_ transition: ProjectTransition, on projectID: UUID, reason: String?, day: String?) async throws -> ProjectFile {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        let day = day ?? today
        if !Calendar.shanghai.isDay(day) { throw DomainError.validation([FieldError(field: "day", reason: "must be a date like 2026-04-15")]) }
        if day > today { throw DomainError.validation([FieldError(field: "day", reason: "cannot be in the future")]) }
        let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if transition == .cancel, let trimmedReason, trimmedReason.count > 500 {
            throw DomainError.validation([FieldError(field: "reason", reason: "at most 500 characters")])
        }
        try await db.transaction { tx in
            guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
            let before = try await auditSnapshot(projectID, on: tx)
            // Read again inside the transaction: another officer may have moved it a moment ago.
            let next = try ProjectMachine.apply(transition.action(reason: trimmedReason), to: try await snapshot(project, on: tx))
            project.status = next.status
            let links = try await RenovationProjectCompound.query(on: tx).filter(\.$project.$id == projectID).with(\.$compound).all()
            switch transition {
            case .startWorks:
                project.actualStart = day
                try await setRenovation(.underWorks, of: links.map(\.compound), project: project.code, on: tx)
            case .complete:
                project.actualFinish = day
                try await setRenovation(.completed, of: links.map(\.compound), project: project.code, on: tx)
                try await recordBuiltItems(projectID, on: tx)
            case .requestAcceptance:
                try await openAcceptanceRound(project, day: day, on: tx)
            case .reopenWorks:
                try await withdrawAcceptanceRound(project, day: day, on: tx)
            case .cancel:
                project.cancelReason = trimmedReason
                for link in links {
                    try await setRenovation(link.priorRenovation, of: [link.compound], project: project.code, on: tx)
                }
            case .startConsultation, .approve:
                break
            }
            try await project.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationProject", entityID: projectID,
                                      before: before, after: try await auditSnapshot(projectID, on: tx).merging(["step": transition.rawValue]) { $1 }, at: now)
            // 竣工与承接同步: a management contract waiting on these works starts with their end.
            if !project.status.isOpen { try await ContractStarts.release(project: project, day: day, actor: actor, on: tx, now: now) }
        }
        return try await load(projectID)
    }

    /// What the rules need to know about the project: its status, what its consultation
    /// journal records, and its last acceptance round.
    func snapshot(_ project: RenovationProject, on db: (any Database)? = nil) async throws -> ProjectSnapshot {
        var snapshot = ProjectSnapshot(status: project.status)
        try await consultation(of: project, on: db ?? self.db).journal.apply(to: &snapshot, today: today)
        (snapshot.surveyPassed, snapshot.acceptanceSigned) = try await acceptanceStanding(project.requireID(), on: db ?? self.db)
        return snapshot
    }

    /// Sets the compounds' renovation state, each change audited as the registry's own.
    func setRenovation(_ state: RenovationState, of compounds: [Compound], project code: String, on tx: any Database) async throws {
        for compound in compounds where compound.renovation != state {
            let before = compound.renovation
            compound.renovation = state
            try await compound.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "compound", entityID: compound.id,
                                      before: ["renovation": before.rawValue], after: ["renovation": state.rawValue, "project": code], at: now)
        }
    }
}
