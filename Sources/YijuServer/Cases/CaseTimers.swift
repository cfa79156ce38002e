import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// The clocks of the pipeline, computed from the database: cases not accepted in time
/// (unanswered), not replied to by their due time (overdue → a supervision order), orders
/// not met (escalated to the bureau and recorded against the handler), and summoned
/// departments that missed their check-in.
///
/// Several `yiju serve` processes may run this at once against one PostgreSQL: candidates
/// are selected `FOR UPDATE SKIP LOCKED` inside the transaction that handles them, and
/// every flag is set by a conditional UPDATE, so each timer fires exactly once.
struct CaseTimers {
    let db: any Database
    let now: Date
    static let batch = 200

    struct Outcome: Equatable, Sendable {
        var unanswered = 0
        var overdue = 0
        var escalated = 0
        var missedCheckIns = 0
    }

    /// The timers as the system: events name "system" as their actor.
    private var service: CaseService { CaseService(db: db, actor: nil, now: now) }

    func run() async throws -> Outcome {
        let settings = try await CaseSettings.load(on: db)
        var outcome = Outcome()
        // Unanswered: the accept time limit is in working days, which span at least as many
        // calendar days, so SQL narrows the candidates and the calendar decides each. The
        // deadline never comes earlier for a later dispatch, so oldest first, a case that is
        // not due yet means none after it is.
        let acceptDays = Double(settings.rules.acceptWorkingDays) * 86_400
        outcome.unanswered = try await sweep(candidates: """
            SELECT id FROM cases WHERE state = 'dispatched' AND unanswered_at IS NULL AND dispatched_at <= \(bind: now.addingTimeInterval(-acceptDays))
            ORDER BY dispatched_at
            """) { tx, record in
            guard let dispatched = record.dispatchedAt,
                  now >= settings.calendar.deadline(from: dispatched, workingDays: settings.rules.acceptWorkingDays),
                  try await claim(tx, "unanswered_at", record) else { return false }
            try await service.event(record, "unanswered", note: "not accepted within \(settings.rules.acceptWorkingDays) working day(s)", data: [:], on: tx)
            return true
        }
        outcome.overdue = try await sweep(candidates: """
            SELECT id FROM cases WHERE state IN ('dispatched', 'accepted') AND overdue_at IS NULL AND due_at < \(bind: now)
            ORDER BY due_at
            """) { tx, record in
            guard try await claim(tx, "overdue_at", record) else { return false }
            let order = SupervisionOrder()
            order.$caseRecord.id = try record.requireID()
            order.handlerKind = record.handlerKind ?? .streetOffice
            order.$handlerCompany.id = record.$handlerCompany.id
            order.$handlerDepartment.id = record.$handlerDepartment.id
            order.issuedAt = now
            order.dueAt = settings.calendar.deadline(from: now, workingDays: settings.rules.orderWorkingDays)
            try await order.create(on: tx)
            try await service.event(record, "overdue", note: "not replied to by \(CaseService.iso(record.dueAt ?? now))", data: [:], on: tx)
            try await service.event(record, "orderIssued", note: "supervision order (督办单) due \(CaseService.iso(order.dueAt))",
                                    data: ["order": try order.requireID().uuidString, "dueAt": CaseService.iso(order.dueAt)], on: tx)
            if let company = record.$handlerCompany.id {
                try await CreditEvents.emit(.overdueCase, company: company, case: try record.requireID(), key: "overdue:\(try record.requireID())", at: now, on: tx)
                try await CreditEvents.emit(.orderIssued, company: company, case: try record.requireID(), key: "orderIssued:\(try order.requireID())", at: now, on: tx)
            }
            return true
        }
        outcome.escalated = try await sweep(candidates: """
            SELECT case_id AS id FROM supervision_orders WHERE met_at IS NULL AND escalated_at IS NULL AND due_at < \(bind: now)
            ORDER BY due_at
            """) { tx, record in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let orders = try await sql.update(SupervisionOrder.schema).set("escalated_at", to: now)
                .where("case_id", .equal, try record.requireID()).where(SQLIdentifier("met_at"), .is, SQLLiteral.null)
                .where(SQLIdentifier("escalated_at"), .is, SQLLiteral.null).where("due_at", .lessThan, now)
                .returning("id").all(decoding: IDRow.self)
            guard !orders.isEmpty else { return false }
            try await sql.update(CaseRecord.schema).set("escalated_at", to: now).where("id", .equal, try record.requireID()).run()
            try await service.event(record, "orderEscalated", note: "supervision order not met: escalated to the bureau", data: [:], on: tx)
            if let company = record.$handlerCompany.id {
                for order in orders {
                    try await CreditEvents.emit(.orderNotMet, company: company, case: try record.requireID(), key: "orderNotMet:\(order.id)", at: now, on: tx)
                }
            }
            return true
        }
        outcome.missedCheckIns = try await sweep(candidates: """
            SELECT case_id AS id FROM case_summons WHERE checked_in_at IS NULL AND missed_at IS NULL AND check_in_by < \(bind: now)
            ORDER BY check_in_by
            """) { tx, record in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let missed = try await sql.update(CaseSummons.schema).set("missed_at", to: now)
                .where("case_id", .equal, try record.requireID()).where(SQLIdentifier("checked_in_at"), .is, SQLLiteral.null)
                .where(SQLIdentifier("missed_at"), .is, SQLLiteral.null).where("check_in_by", .lessThan, now)
                .returning("department_id").all(decoding: DepartmentRow.self)
            guard !missed.isEmpty else { return false }
            try await service.event(record, "checkInMissed", note: "\(missed.count) summoned department(s) did not check in",
                                    data: ["departments": missed.map(\.department_id.uuidString).joined(separator: ",")], on: tx)
            return true
        }
        // Contracts whose start day has come take over their compounds (before routing more cases).
        _ = try await ContractStarts.apply(on: db, now: now)
        // What this sweep (or another process's) reported against companies goes into their credit ledgers.
        // Bonuses first: a grade is judged (and a blacklisting decided) with every line in.
        let credit = CreditService(db: db, actor: nil, now: now)
        if try await DailyTask.satisfactionBonuses.claim(day: credit.today, on: db) { try await credit.awardSatisfactionBonuses() }
        try await credit.ingestCaseEvents()
        if try await DailyTask.exitRecommendations.claim(day: credit.today, on: db) { try await credit.raiseExitRecommendations() }
        return outcome
    }

    struct IDRow: Decodable { var id: UUID }
    struct DepartmentRow: Decodable { var department_id: UUID }

    /// Sets a timer's flag if nobody has: true when this process claimed it.
    private func claim(_ tx: any Database, _ column: String, _ record: CaseRecord) async throws -> Bool {
        guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
        let rows = try await sql.update(CaseRecord.schema).set(SQLIdentifier(column), to: now)
            .where("id", .equal, try record.requireID()).where(SQLIdentifier(column), .is, SQLLiteral.null)
            .returning("id").all()
        return rows.count == 1
    }

    /// Handles the candidates a batch at a time, each batch in one transaction, until a
    /// batch comes back short or holds one that is not due.
    private func sweep(candidates select: SQLQueryString,
                       handle: @escaping @Sendable (any Database, CaseRecord) async throws -> Bool) async throws -> Int {
        var handled = 0
        while true {
            let (selected, done) = try await db.transaction { tx -> (Int, Int) in
                guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
                var query = select
                query.appendLiteral(" LIMIT \(Self.batch)")
                if sql.dialect.name == "postgresql" { query.appendLiteral(" FOR UPDATE SKIP LOCKED") }
                var ids: [UUID] = []
                for row in try await sql.raw(query).all(decoding: IDRow.self) where !ids.contains(row.id) { ids.append(row.id) }
                var done = 0
                for id in ids {
                    guard let record = try await CaseRecord.find(id, on: tx) else { continue }
                    if try await handle(tx, record) { done += 1 }
                }
                return (ids.count, done)
            }
            handled += done
            if selected < Self.batch || done < selected { break }
        }
        return handled
    }
}

extension Application {
    /// Runs the case timers every `interval` while the server runs; a failure is logged and
    /// the next round tries again.
    func startCaseTimers(every interval: Duration = .seconds(30)) {
        let app = self
        let task = Task {
            while !Task.isCancelled {
                let start = ContinuousClock.now
                do {
                    let outcome = try await CaseTimers(db: app.db, now: app.clock.now()).run()
                    app.metrics.timerRound(outcome, duration: ContinuousClock.now - start)
                    if outcome != CaseTimers.Outcome() { app.logger.info("case timers: \(outcome)") }
                } catch {
                    app.metrics.timerRound(nil, duration: ContinuousClock.now - start)
                    app.logger.error("case timers failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
        lifecycle.use(CaseTimersLifecycle(task: task))
    }
}

private struct CaseTimersLifecycle: LifecycleHandler {
    let task: Task<Void, Never>
    func shutdown(_ application: Application) { task.cancel() }
}
