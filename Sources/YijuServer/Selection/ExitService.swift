import Fluent
import Foundation
import SQLKit
import YijuCore

/// What confirming an exit (清退) does, inside the decision's transaction: the company's
/// contracts end on the exit day, and the lots its compounds lie in open for a new tender.
enum ExitConsequences {
    /// The exit day: a real date, from today up to 180 days on.
    static func problems(endDate: String?, today: String) -> [FieldError] {
        let calendar = Calendar.shanghai
        guard let endDate else { return [FieldError(field: "endDate", reason: "confirming an exit needs the day the company's contracts end")] }
        guard calendar.start(of: endDate).map(calendar.day) == endDate else { return [FieldError(field: "endDate", reason: "must be a date like 2025-11-22")] }
        let latest = calendar.start(of: today).flatMap { calendar.date(byAdding: .day, value: 180, to: $0) }.map(calendar.day) ?? today
        guard endDate >= today, endDate <= latest else { return [FieldError(field: "endDate", reason: "must be from today to \(latest)")] }
        return []
    }

    /// Returns the codes of the contracts cut and the lots reopened.
    static func apply(company: UUID, endDate: String, on tx: any Database) async throws -> (contracts: [String], lots: [String]) {
        let contracts = try await Contract.query(on: tx).filter(\.$company.$id == company).filter(\.$endDate > endDate).all()
        for contract in contracts {
            // A contract that has not started yet never starts.
            contract.endDate = max(contract.startDate, endDate)
            try await contract.save(on: tx)
        }
        var compounds = Set(try await Compound.query(on: tx).filter(\.$company.$id == company).all().compactMap(\.id))
        compounds.formUnion(try await ContractCompound.query(on: tx).filter(\.$contract.$id ~~ contracts.compactMap(\.id)).all().map { $0.$compound.id })
        let areas = try await AreaAssignment.query(on: tx).filter(\.$compound.$id ~~ compounds).filter(\.$endDate == nil).all().map { $0.$area.id }
        let lotIDs = try await ManagementArea.query(on: tx).filter(\.$id ~~ Set(areas)).all().map { $0.$lot.id }
        let lots = try await TenderLot.query(on: tx).filter(\.$id ~~ Set(lotIDs)).filter(\.$status == .awarded).all()
        for lot in lots {
            lot.status = .open
            try await lot.save(on: tx)
        }
        return (contracts.map(\.code).sorted(), lots.map(\.code).sorted())
    }
}

/// 应急服务: after a confirmed exit the street office appoints a provider for the company's
/// compounds in its area, for at most six months, until the re-tendered lot's new company
/// takes over. The appointment is a contract (with `exitID`) applied by the timers on its
/// start day like a tender's, and cut short when the new tender's contract starts.
struct EmergencyProviders {
    let db: any Database
    let actor: Actor
    let now: Date

    static let maxMonths = 6

    struct Appointment: Sendable {
        var exitID: UUID
        var providerID: UUID
        var feeRateFen: Int
        /// The exit day when nil; never earlier.
        var startDate: String?
        var months: Int
    }

    func appoint(_ a: Appointment) async throws -> Contract {
        try Policy.require(actor, .create, .emergencyProvider, notFound: "exit recommendation")
        guard let exit = try await ExitRecommendation.find(a.exitID, on: db) else { throw DomainError.notFound("exit recommendation") }
        guard exit.status == .confirmed, let exitDay = exit.endDate else {
            throw DomainError(.conflict, code: "exit_not_confirmed", message: "an emergency provider is appointed only after the exit is confirmed")
        }
        let today = Calendar.shanghai.day(now)
        let start = a.startDate ?? max(exitDay, today)
        var errors: [FieldError] = []
        let calendar = Calendar.shanghai
        if !calendar.isDay(start) {
            errors.append(FieldError(field: "startDate", reason: "must be a date like 2025-11-22"))
        } else if start < exitDay || start < today {
            errors.append(FieldError(field: "startDate", reason: "must be on or after the exit day \(exitDay) and not in the past"))
        }
        if !(1...Self.maxMonths).contains(a.months) {
            errors.append(FieldError(field: "months", reason: "an emergency provider serves 1 to \(Self.maxMonths) months"))
        }
        if !(1...10_000).contains(a.feeRateFen) { errors.append(FieldError(field: "feeRateFen", reason: "must be 1 to 10000 fen per m² a month")) }
        if a.providerID == exit.$company.id { errors.append(FieldError(field: "companyId", reason: "the expelled company cannot be its own emergency provider")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard let provider = try await Company.find(a.providerID, on: db) else { throw DomainError.notFound("company") }
        guard provider.kind == .property else {
            throw DomainError.validation([FieldError(field: "companyId", reason: "\(provider.name) is a \(provider.kind.rawValue) company; an emergency provider is a property company")])
        }
        if try await CreditService(db: db, actor: actor, now: now).blacklisted(a.providerID) != nil {
            throw DomainError.validation([FieldError(field: "companyId", reason: "\(provider.name) is on the blacklist")])
        }

        // The expelled company's compounds in the caller's street office not yet covered.
        guard let query = Compound.query(on: db).filter(\.$company.$id == exit.$company.id)
            .scoped(to: Policy.emergencyProviderScope(actor), by: Compound.scopeColumns) else { throw DomainError.forbidden }
        let compounds = try await query.sort(\.$code).all()
        let covered = try await ContractCompound.query(on: db).join(Contract.self, on: \ContractCompound.$contract.$id == \Contract.$id)
            .filter(Contract.self, \.$exitID == exit.requireID()).all().map { $0.$compound.id }
        let uncovered = try compounds.filter { !covered.contains(try $0.requireID()) }
        guard !uncovered.isEmpty else {
            throw DomainError(.conflict, code: compounds.isEmpty ? "no_compounds" : "already_appointed",
                              message: compounds.isEmpty ? "the company manages no compounds here" : "every compound here already has an emergency provider")
        }
        guard let end = calendar.start(of: start).flatMap({ calendar.date(byAdding: .month, value: a.months, to: $0) }).map(calendar.day) else {
            throw DomainError.internalError
        }
        let contract = Contract()
        try await db.transaction { tx in
            let n = try await Contract.query(on: tx).filter(\.$exitID == exit.requireID()).count() + 1
            contract.code = try "EM-" + exit.requireID().uuidString.prefix(8) + "-" + String(n)
            contract.$company.id = a.providerID
            contract.feeRateFen = a.feeRateFen
            contract.startDate = start
            contract.endDate = end
            contract.exitID = exit.id
            try await contract.create(on: tx)
            for compound in uncovered {
                let link = ContractCompound()
                link.$contract.id = try contract.requireID()
                link.$compound.id = try compound.requireID()
                try await link.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "emergencyProvider", entityID: contract.id, after: [
                "contract": contract.code, "provider": provider.name, "start": start, "end": end,
                "compounds": uncovered.map(\.code).joined(separator: ", "), "exit": try exit.requireID().uuidString,
            ], at: now)
        }
        return contract
    }

    /// The emergency contracts made for an exit.
    func contracts(for exitID: UUID) async throws -> [Contract] {
        try await Contract.query(on: db).filter(\.$exitID == exitID).with(\.$company).sort(\.$startDate).all()
    }
}

extension ExitRecommendation {
    /// The recommendations an actor may list: the bureau every one, a street office the
    /// confirmed ones it must act on; the other roles none (403).
    static func listed(to actor: Actor, on db: any Database) throws -> QueryBuilder<ExitRecommendation> {
        guard Policy.allows(actor, .read, .exitRecommendation(confirmed: true)) else { throw DomainError.forbidden }
        let query = ExitRecommendation.query(on: db)
        if !Policy.allows(actor, .read, .exitRecommendation(confirmed: false)) { query.filter(\.$status == .confirmed) }
        return query
    }
}
