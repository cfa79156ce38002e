import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor
import YijuCore

/// Reading cases and taking the lifecycle steps on them.
extension CaseService {
    /// A case with what its page shows.
    struct Loaded {
        var record: CaseRecord
        var summons: [CaseSummons]
        var events: [CaseEvent]
        var orders: [SupervisionOrder]
        var scope: CaseScope
    }

    func requireActor() throws -> Actor {
        guard let actor else { throw DomainError(.unauthenticated, code: "unauthenticated", message: "please log in") }
        return actor
    }

    static func scope(_ record: CaseRecord, _ summons: [CaseSummons]) -> CaseScope {
        CaseScope(streetOfficeID: record.$streetOffice.id, handler: record.handlerKind, handlerCompanyID: record.$handlerCompany.id,
                  handlerDepartmentID: record.$handlerDepartment.id, summoned: Set(summons.map { $0.$department.id }), takenBy: record.takenByID)
    }

    /// `checkRead` false only right after the actor changed the case: a handler who returned
    /// it may no longer see it, but still gets the answer to what they did.
    func load(_ id: UUID, checkRead: Bool = true) async throws -> Loaded {
        let actor = try requireActor()
        guard let record = try await CaseRecord.query(on: db).filter(\.$id == id)
            .with(\.$compound).with(\.$streetOffice).with(\.$handlerCompany).with(\.$handlerDepartment).first() else {
            throw DomainError.notFound("case")
        }
        let summons = try await CaseSummons.query(on: db).filter(\.$caseRecord.$id == id).with(\.$department).all()
        let scope = Self.scope(record, summons)
        guard !checkRead || CasePolicy.mayRead(actor, scope) else { throw DomainError.notFound("case") }
        let events = try await CaseEvent.query(on: db).filter(\.$caseRecord.$id == id).sort(\.$sequence).all()
        let orders = try await SupervisionOrder.query(on: db).filter(\.$caseRecord.$id == id).sort(\.$issuedAt).all()
        return Loaded(record: record, summons: summons, events: events, orders: orders, scope: scope)
    }

    /// The steps the actor may take on the case now, and those that wait (YijuCore's
    /// `CaseMachine.availableSteps`): what both the console and the API offer.
    func availableSteps(_ loaded: Loaded, settings known: CaseSettings? = nil) async throws -> [CaseStepKind: Bool] {
        let actor = try requireActor()
        let settings: CaseSettings
        if let known { settings = known } else { settings = try await CaseSettings.load(on: db) }
        return CaseMachine.availableSteps(for: actor, scope: loaded.scope, snapshot: Self.snapshot(loaded.record, loaded.summons),
                                          at: now, rules: settings.rules, calendar: settings.calendar)
    }

    /// The full phone number, for the operator who took the call and the handler; logged.
    func revealPhone(_ id: UUID) async throws -> String {
        let actor = try requireActor()
        let loaded = try await load(id)
        guard CasePolicy.mayRevealPhone(actor, loaded.scope) else {
            throw DomainError(.forbidden, code: "forbidden", message: "only the operator who took the call and the case's handler see the full number")
        }
        try await db.transaction { tx in
            try await event(loaded.record, "phoneUnmasked", note: "", data: [:], on: tx)
        }
        return loaded.record.reporterPhone
    }

    /// Takes one step: checks who may (CasePolicy) and whether it may happen now
    /// (CaseMachine), then writes the case, its summons and the event in one transaction.
    @discardableResult
    func act(_ id: UUID, _ action: CaseAction, note: String = "", settings known: CaseSettings? = nil,
             alsoChange: (CaseRecord) -> Void = { _ in }) async throws -> Loaded {
        let actor = try requireActor()
        let loaded = try await load(id)
        let record = loaded.record
        guard CasePolicy.may(actor, action, loaded.scope) else {
            throw DomainError(.forbidden, code: "forbidden", message: "your role may not \(action.name) this case")
        }
        if case .whistle(let departments, _) = action {
            let known = try await Department.query(on: db).filter(\.$id ~~ departments).count()
            guard known == Set(departments).count else {
                throw DomainError.validation([FieldError(field: "departments", reason: "names a department that does not exist")])
            }
        }
        let settings: CaseSettings
        if let known { settings = known } else { settings = try await CaseSettings.load(on: db) }
        let before = Self.snapshot(record, loaded.summons)
        let after = try CaseMachine.apply(action, to: before, at: now, rules: settings.rules, calendar: settings.calendar)
        let (kind, text, data) = Self.describe(action, before: before, after: after)

        let priorState = record.state
        record.state = after.state
        record.colour = after.colour
        record.dispatchedAt = after.dispatchedAt
        record.dueAt = after.dueAt
        record.designated = after.designated
        record.extensions = after.extensions
        record.pendingExtension = after.pendingExtension
        record.reopenCount = after.reopenCount
        switch action {
        case .reply: record.repliedAt = now
        case .followUp(let satisfaction, _): record.satisfaction = satisfaction
        case .close: record.closedAt = now
        case .giveBack: record.handlerKind = nil; record.$handlerCompany.id = nil; record.$handlerDepartment.id = nil
        default: break
        }
        alsoChange(record)
        try await db.transaction { tx in
            // The state written is conditional on the state read: two steps racing on one
            // case cannot both apply to the same starting point.
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let rows = try await sql.update(CaseRecord.schema).set("state", to: record.state.rawValue)
                .where("id", .equal, id).where("state", .equal, priorState.rawValue)
                .where("reopen_count", .equal, before.reopenCount).where("extensions", .equal, before.extensions)
                .returning("id").all()
            guard rows.count == 1 else {
                throw DomainError(.conflict, code: "case_changed", message: "the case was changed by someone else at the same moment; reload it and try again")
            }
            try await record.update(on: tx)
            for (i, s) in after.summons.enumerated() {
                if i < loaded.summons.count {
                    let row = loaded.summons[i]
                    if row.checkedInAt != s.checkedInAt || row.reportedAt != s.reportedAt {
                        row.checkedInAt = s.checkedInAt
                        row.reportedAt = s.reportedAt
                        try await row.update(on: tx)
                    }
                } else {
                    let row = CaseSummons()
                    row.$caseRecord.id = id
                    row.$department.id = s.departmentID
                    row.checkInBy = s.checkInBy
                    try await row.create(on: tx)
                }
            }
            // Replying meets an open supervision order.
            if case .reply = action {
                try await SupervisionOrder.query(on: tx).filter(\.$caseRecord.$id == id).filter(\.$metAt == nil).filter(\.$escalatedAt == nil)
                    .set(\.$metAt, to: now).update()
            }
            try await event(record, kind, note: note.isEmpty ? text : note, data: data, on: tx)
        }
        return try await load(id, checkRead: false)
    }

    /// A step as both surfaces send it, already parsed from their own formats.
    struct StepRequest: Sendable {
        var kind: String
        var text = ""
        var workingDays: Int?
        var approve: Bool?
        var departments: [UUID] = []
        /// checkIn and report: which summoned department; default the actor's own.
        var department: UUID?
        var checkInBy: Date?
        var satisfaction: Satisfaction?
        /// dispatch: to whom.
        var handler: HandlerKind?
        var companyID: UUID?
        var departmentID: UUID?
    }

    /// Takes the step a request describes: the fields each kind needs are checked here, the
    /// rules in CaseMachine, the permissions in CasePolicy.
    @discardableResult
    func take(_ id: UUID, _ step: StepRequest) async throws -> Loaded {
        let actor = try requireActor()
        guard let kind = CaseStepKind(rawValue: step.kind) else {
            throw DomainError.validation([FieldError(field: "kind", reason: "unknown step \(step.kind)")])
        }
        let settings = try await CaseSettings.load(on: db)
        func department() throws -> UUID {
            guard let department = step.department ?? actor.departmentID else {
                throw DomainError.validation([FieldError(field: "departmentId", reason: "is required")])
            }
            return department
        }
        let action: CaseAction
        switch kind {
        case .dispatch:
            guard let handler = step.handler else { throw DomainError.validation([FieldError(field: "handler", reason: "is required for dispatch")]) }
            return try await redispatch(id, to: handler, companyID: step.companyID, departmentID: step.departmentID)
        case .accept: action = .accept
        case .return: action = .giveBack(reason: step.text)
        case .requestExtension:
            guard let days = step.workingDays else { throw DomainError.validation([FieldError(field: "workingDays", reason: "is required")]) }
            action = .requestExtension(workingDays: days, reason: step.text)
        case .decideExtension:
            guard let approve = step.approve else { throw DomainError.validation([FieldError(field: "approve", reason: "is required")]) }
            action = .decideExtension(approve: approve, reason: step.text)
        case .whistle:
            action = .whistle(departments: step.departments,
                              checkInBy: step.checkInBy ?? now.addingTimeInterval(Double(settings.rules.whistleCheckInHours) * 3600))
        case .checkIn: action = .checkIn(department: try department())
        case .report: action = .report(department: try department(), text: step.text)
        case .reply: action = .reply(text: step.text)
        case .followUp:
            guard let s = step.satisfaction else { throw DomainError.validation([FieldError(field: "satisfaction", reason: "is required for followUp")]) }
            action = .followUp(s, note: step.text)
        case .close: action = .close(note: step.text)
        }
        return try await act(id, action, settings: settings)
    }

    /// Re-dispatch after a return: the street office designates the handler.
    func redispatch(_ id: UUID, to handler: HandlerKind, companyID: UUID?, departmentID: UUID?) async throws -> Loaded {
        let designatedName: String
        switch handler {
        case .company:
            guard let companyID, let company = try await Company.find(companyID, on: db) else {
                throw DomainError.validation([FieldError(field: "companyId", reason: "name an existing company")])
            }
            designatedName = company.name
        case .department:
            guard let departmentID, let department = try await Department.find(departmentID, on: db) else {
                throw DomainError.validation([FieldError(field: "departmentId", reason: "name an existing department")])
            }
            designatedName = department.name
        case .streetOffice:
            designatedName = "街道"
        }
        return try await act(id, .dispatch(designated: true), note: "designated \(handler.rawValue)") { record in
            record.handlerKind = handler
            record.$handlerCompany.id = handler == .company ? companyID : nil
            record.$handlerDepartment.id = handler == .department ? departmentID : nil
            record.routing += "\n退单后由街道指定\(designatedName)办理，不可再退"
        }
    }

    static func snapshot(_ record: CaseRecord, _ summons: [CaseSummons]) -> CaseSnapshot {
        var s = CaseSnapshot(state: record.state, colour: record.colour, receivedAt: record.receivedAt)
        s.dispatchedAt = record.dispatchedAt
        s.dueAt = record.dueAt
        s.designated = record.designated
        s.extensions = record.extensions
        s.pendingExtension = record.pendingExtension
        s.reopenCount = record.reopenCount
        s.summons = summons.map { Summons(departmentID: $0.$department.id, checkInBy: $0.checkInBy, checkedInAt: $0.checkedInAt, reportedAt: $0.reportedAt) }
        return s
    }

    /// The event a step leaves on the timeline.
    static func describe(_ action: CaseAction, before: CaseSnapshot, after: CaseSnapshot) -> (String, String, [String: String]) {
        switch action {
        case .dispatch(let designated):
            return ("dispatched", designated ? "re-dispatched to a designated handler" : "dispatched", ["dueAt": after.dueAt.map(iso) ?? ""])
        case .accept: return ("accepted", "accepted (签收)", [:])
        case .giveBack(let reason): return ("returned", reason, [:])
        case .requestExtension(let days, let reason): return ("extensionRequested", reason, ["workingDays": "\(days)"])
        case .decideExtension(let approve, let reason):
            return (approve ? "extensionApproved" : "extensionRefused", reason, ["dueAt": after.dueAt.map(iso) ?? ""])
        case .whistle(let departments, let checkInBy):
            return ("whistle", "departments summoned", ["departments": departments.map(\.uuidString).joined(separator: ","), "checkInBy": iso(checkInBy)])
        case .checkIn(let department): return ("checkedIn", "checked in (报到)", ["department": department.uuidString])
        case .report(let department, let text): return ("reported", text, ["department": department.uuidString])
        case .reply(let text): return ("replied", text, [:])
        case .followUp(let satisfaction, let note):
            return (after.reopenCount > before.reopenCount ? "reopened" : "followedUp", note, ["satisfaction": satisfaction.rawValue])
        case .close(let note): return ("closed", note, [:])
        }
    }

    // MARK: The ledger

    struct Filter: Sendable {
        var streetOfficeID: UUID?
        var communityID: UUID?
        var colour: CaseColour?
        var state: CaseState?
        var domain: CaseDomain?
        var overdue: Bool?
        var repeats: Bool?
        var open: Bool?
        /// Sent to the bureau: a third repeat, or a supervision order not met.
        var escalated: Bool?
        /// Not accepted within the time allowed.
        var unanswered: Bool?
        /// A summoned department did not check in by its time.
        var missedCheckIn: Bool?
        var from: Date?
        var to: Date?
        var q: String?
        var limit = 50
        var offset = 0
    }

    /// The cases this actor may see, newest first, with the total.
    func ledger(_ f: Filter) async throws -> (items: [CaseRecord], total: Int) {
        guard (1...500).contains(f.limit), f.offset >= 0 else {
            throw DomainError.validation([FieldError(field: (1...500).contains(f.limit) ? "offset" : "limit", reason: "limit must be 1–500 and offset 0 or more")])
        }
        guard let query = try await ledgerQuery(f) else { return ([], 0) }
        // COUNT(received_at), not Fluent's COUNT(id): the ledger's indexes hold received_at, so
        // SQLite counts from the index alone instead of visiting every row (300 ms → 10 ms at 1M).
        let total = try await query.copy().count(\.$receivedAt)
        let items = try await query.with(\.$compound).with(\.$streetOffice).with(\.$handlerCompany).with(\.$handlerDepartment)
            .sort(\.$receivedAt, .descending).range(f.offset..<(f.offset + f.limit)).all()
        return (items, total)
    }

    /// The cases after the case `cursor` (newest first; from the newest when nil), for an export
    /// that walks the whole ledger: paging by key costs the same on the last page as on
    /// the first, where an offset reads every row before it. The page's ids come from the
    /// ledger's query (its scope and filters), its rows from one join (`CaseLedgerRow`).
    func ledgerPage(_ f: Filter, after cursor: UUID?, limit: Int) async throws -> [CaseLedgerRow] {
        guard let query = try await ledgerQuery(f) else { return [] }
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        if let cursor {
            // A row value, which both databases compare column by column and seek in the
            // (received_at, id) index with; the last case's time is read back as stored,
            // since a Date sent again can differ from it in its last bit.
            let key = SQLQueryString("(\(ident: CaseRecord.schema).\(ident: "received_at"), \(ident: CaseRecord.schema).\(ident: "id"))")
            query.filter(.sql(embed: "\(key) < (SELECT k.received_at, k.id FROM \(ident: CaseRecord.schema) k WHERE k.id = \(bind: cursor))"))
        }
        // The ids as the database gives them: `all(\.$id)` would make a whole model of each.
        let ids = Mutex<[Result<UUID, any Error>]>([])
        try await query.field(\.$id).sort(\.$receivedAt, .descending).sort(\.$id, .descending).limit(limit).run { output in
            let id = Result { try output.schema(CaseRecord.schema).decode(.id, as: UUID.self) }
            ids.withLock { $0.append(id) }
        }.get()
        return try await CaseLedgerRow.read(try ids.withLock { $0 }.map { try $0.get() }, on: sql)
    }

    /// How many cases the filter gives this actor.
    func ledgerCount(_ f: Filter) async throws -> Int {
        try await ledgerQuery(f)?.count(\.$receivedAt) ?? 0
    }

    /// What the bureau (or a street office, in its own scope) must chase: open cases sent
    /// to the bureau, overdue, not accepted in time, or with a missed check-in.
    func attention() async throws -> [(key: String, filter: Filter, count: Int)] {
        let open = Filter(open: true)
        var filters: [(String, Filter)] = []
        for (key, change) in [("escalated", { (f: inout Filter) in f.escalated = true }), ("overdue", { $0.overdue = true }),
                              ("unanswered", { $0.unanswered = true }), ("missedCheckIn", { $0.missedCheckIn = true })] {
            var filter = open
            change(&filter)
            filters.append((key, filter))
        }
        var out: [(key: String, filter: Filter, count: Int)] = []
        for (key, filter) in filters {
            out.append((key, filter, try await ledgerQuery(filter)?.count(\.$receivedAt) ?? 0))
        }
        return out
    }

    /// The ledger's query for the actor and the filter; nil when the actor sees no cases.
    private func ledgerQuery(_ f: Filter) async throws -> QueryBuilder<CaseRecord>? {
        let actor = try requireActor()
        let scope = CasePolicy.ledgerScope(actor)
        // A department's cases are those it handles and those it was summoned to.
        var summoned: [UUID] = []
        if case .department(let department) = scope {
            summoned = try await CaseSummons.query(on: db).filter(\.$department.$id == department).all().map { $0.$caseRecord.id }
        }
        let columns = ScopeColumns<CaseRecord>(
            streetOffice: { $0.filter(\.$streetOffice.$id == $1) }, company: { $0.filter(\.$handlerCompany.$id == $1) },
            department: { [summoned] query, department in
                query.group(.or) { $0.filter(\.$handlerDepartment.$id == department).filter(\.$id ~~ summoned) }
            })
        // A scoped role without its scope sees no cases.
        guard let query = CaseRecord.query(on: db).scoped(to: scope, by: columns) else { return nil }
        if let v = f.streetOfficeID { query.filter(\.$streetOffice.$id == v) }
        if let v = f.communityID {
            let ids = try await Compound.query(on: db).filter(\.$community.$id == v).all().map { try $0.requireID() }
            query.filter(\.$compound.$id ~~ ids)
        }
        if let v = f.colour { query.filter(\.$colour == v) }
        if let v = f.state { query.filter(\.$state == v) }
        if let v = f.domain { query.filter(\.$domain == v) }
        if let v = f.overdue { _ = v ? query.filter(\.$overdueAt != nil) : query.filter(\.$overdueAt == nil) }
        if let v = f.repeats { _ = v ? query.filter(\.$repeatCount > 1) : query.filter(\.$repeatCount == 1) }
        if let v = f.open { _ = v ? query.filter(\.$state != .closed) : query.filter(\.$state == .closed) }
        if let v = f.escalated { _ = v ? query.filter(\.$escalatedAt != nil) : query.filter(\.$escalatedAt == nil) }
        if let v = f.unanswered { _ = v ? query.filter(\.$unansweredAt != nil) : query.filter(\.$unansweredAt == nil) }
        if let v = f.missedCheckIn {
            let missed = try await CaseSummons.query(on: db).filter(\.$missedAt != nil).all().map { $0.$caseRecord.id }
            _ = v ? query.filter(\.$id ~~ missed) : query.filter(\.$id !~ missed)
        }
        if let v = f.from { query.filter(\.$receivedAt >= v) }
        if let v = f.to { query.filter(\.$receivedAt < v) }
        if let q = f.q?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            query.group(.or) { $0.filter(\.$number == q).filter(\.$externalNumber == q).filter(\.$description ~~ q) }
        }
        return query
    }
}
