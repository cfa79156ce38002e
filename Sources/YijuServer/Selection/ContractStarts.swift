import Fluent
import Foundation
import SQLKit
import YijuCore

/// On a contract's start day its compounds change company in the registry; from then on
/// their cases route to it. Run by the timers in every `yiju serve`; the claim on
/// `applied_at` makes each contract apply exactly once. A contract whose tender waits on
/// renovation works does not start while one of those projects is still in progress.
enum ContractStarts {
    static func apply(on db: any Database, now: Date) async throws -> Int {
        let today = Calendar.shanghai.day(now)
        var applied = 0
        let candidates = try await Contract.query(on: db).filter(\.$appliedAt == nil).filter(\.$startDate <= today).filter(\.$endDate > today)
            .group(.or) { $0.filter(\.$tenderID != nil).filter(\.$exitID != nil) }.sort(\.$startDate).all()
        let waiting = Set(try await TenderAwaitedProject.query(on: db).filter(\.$tender.$id ~~ candidates.compactMap(\.tenderID)).with(\.$project).all()
            .filter { $0.project.status.isOpen }.map { $0.$tender.id })
        let due = candidates.filter { contract in contract.tenderID.map { !waiting.contains($0) } ?? true }
        for contract in due {
            let started = try await db.transaction { tx -> Bool in
                let claimed = try await Claim.rows(Claim.update(Contract.schema, on: tx).set("applied_at", to: now)
                    .where("id", .equal, try contract.requireID()).where(SQLIdentifier("applied_at"), .is, SQLLiteral.null))
                guard claimed == 1 else { return false }
                let compounds = try await ContractCompound.query(on: tx).filter(\.$contract.$id == contract.requireID()).all().map { $0.$compound.id }
                try await Compound.query(on: tx).filter(\.$id ~~ compounds)
                    .set(\.$company.$id, to: contract.$company.id).set(\.$contract.$id, to: contract.id).set(\.$management, to: .professional).update()
                // The new tender's company takes over from an emergency provider: its contract ends today.
                if contract.exitID == nil {
                    let others = try await ContractCompound.query(on: tx).filter(\.$compound.$id ~~ compounds).filter(\.$contract.$id != contract.requireID()).all()
                    try await Contract.query(on: tx).filter(\.$id ~~ Set(others.map { $0.$contract.id })).filter(\.$exitID != nil)
                        .filter(\.$endDate > today).set(\.$endDate, to: today).update()
                }
                try await AuditLog.record(on: tx, actor: nil, action: .update, entityType: "contractStart", entityID: contract.id,
                                          after: ["contract": contract.code, "compounds": String(compounds.count), "day": today], at: now)
                return true
            }
            if started { applied += 1 }
        }
        return applied
    }
}

extension ContractStarts {
    /// A project completed or was cancelled on `day`: each awarded contract whose tender
    /// waited on it, and waits on nothing else now, runs from that day (not before the
    /// tender's start date) for its full term, and starts at once when that day has come.
    /// Called inside the project's transaction, after its status is saved.
    static func release(project: RenovationProject, day: String, actor: Actor, on tx: any Database, now: Date) async throws {
        let tenderIDs = try await TenderAwaitedProject.query(on: tx).filter(\.$project.$id == project.requireID()).all().map { $0.$tender.id }
        for tender in try await Tender.query(on: tx).filter(\.$id ~~ tenderIDs).filter(\.$status == .awarded).all() {
            let stillWaiting = try await TenderAwaitedProject.query(on: tx).filter(\.$tender.$id == tender.requireID()).with(\.$project).all()
                .contains { $0.project.status.isOpen }
            guard !stillWaiting, let contractID = tender.$contract.id, let contract = try await Contract.find(contractID, on: tx),
                  contract.appliedAt == nil else { continue }
            let before = ["start": contract.startDate, "end": contract.endDate]
            contract.startDate = max(tender.startDate, day)
            contract.endDate = tender.contractEnd(from: contract.startDate)
            try await contract.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "contract", entityID: contract.id, before: before,
                                      after: ["start": contract.startDate, "end": contract.endDate,
                                              "reason": "renovation project \(project.code) \(project.status.rawValue) on \(day)"], at: now)
        }
        _ = try await apply(on: tx, now: now)
    }
}

extension Tender {
    /// The day a contract of this tender starting on `start` ends: its term in whole years.
    func contractEnd(from start: String) -> String {
        Calendar.shanghai.day(Calendar.shanghai.date(byAdding: .year, value: termYears, to: Calendar.shanghai.start(of: start)!)!)
    }
}

