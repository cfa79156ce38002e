import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Zoning plans (大区划片) of a street office: generated from the registry by the planner,
/// kept as versions, edited one change at a time with optimistic locking, undone and
/// redone, published for notice, adopted into management areas and tender lots.
struct ZoningPlanService {
    let db: any Database
    let actor: Actor
    let now: Date

    init(app: Application, actor: Actor) {
        self.init(db: app.db, actor: actor, now: app.clock.now())
    }

    /// At a given moment: the demo district replays its plan's history with this.
    init(db: any Database, actor: Actor, now: Date) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    var today: String { Calendar.shanghai.day(now) }

    struct Request {
        var minFloorArea: Double
        var maxFloorArea: Double
        var zonesPerLot: Int?
        var objective: ZoningObjective = .viable
        /// Compound codes taking part; nil takes the default selection.
        var compoundCodes: [String]?
    }

    /// A version read back with everything computed from it.
    struct Loaded {
        var record: ZoningPlanRecord
        var problem: ZoningProblem
        var graph: ZoningGraph
        var plan: ZoningPlan
        var report: PlanReport

        init(_ record: ZoningPlanRecord) throws {
            self.record = record
            (problem, plan) = try ZoningPlanService.decode(record)
            graph = ZoningGraph(problem: problem)
            report = PlanEvaluation.report(problem, graph, plan)
        }

        /// Every snapshot but the generated one was made from a parent, so anything after the first can be undone.
        var canUndo: Bool { record.status == .draft && (record.snapshot ?? 1) > 1 }
    }

    /// The compounds that take part by default: those without a company (abandoned,
    /// government fallback), self-managed yards, single buildings, and compounds whose
    /// contract ends within a year. Compounds planned or under works are included with
    /// their renovation state, so the handover can land with completion.
    static func takesPart(_ c: Compound, inAYear: String) -> Bool {
        if c.management.needsCompany || c.kind == .selfManagedYard || c.kind == .singleBuilding { return true }
        if let end = c.loadedContract?.endDate, end <= inAYear { return true }
        return false
    }

    func authorize(_ action: Action, streetOfficeID: UUID, status: ZoningPlanRecord.Status) throws {
        try Policy.require(actor, action, .zoningPlan(streetOfficeID: streetOfficeID, adopted: status == .adopted), notFound: "zoning plan")
    }

    /// The street office's compounds, the default selection marked, for the generate form.
    func candidates(streetOfficeID: UUID) async throws -> (StreetOffice, [(Compound, Bool)]) {
        guard let office = try await StreetOffice.find(streetOfficeID, on: db) else { throw DomainError.notFound("street office") }
        try authorize(.create, streetOfficeID: streetOfficeID, status: .draft)
        let all = try await Compound.query(on: db).filter(\.$streetOffice.$id == streetOfficeID)
            .with(\.$streetOffice).with(\.$contract).sort(\.$code).all()
        let inAYear = Calendar.shanghai.day(today, plus: 365)
        return (office, all.map { ($0, Self.takesPart($0, inAYear: inAYear)) })
    }

    func generate(streetOfficeID: UUID, _ request: Request) async throws -> Loaded {
        guard let office = try await StreetOffice.find(streetOfficeID, on: db) else { throw DomainError.notFound("street office") }
        try authorize(.create, streetOfficeID: streetOfficeID, status: .draft)
        var errors: [FieldError] = []
        if !(request.minFloorArea > 0) { errors.append(FieldError(field: "minFloorArea", reason: "must be above 0")) }
        if !(request.maxFloorArea > 0) { errors.append(FieldError(field: "maxFloorArea", reason: "must be above 0")) }
        if request.minFloorArea > request.maxFloorArea { errors.append(FieldError(field: "minFloorArea", reason: "must not exceed maxFloorArea")) }
        if let lot = request.zonesPerLot, lot < 1 { errors.append(FieldError(field: "zonesPerLot", reason: "must be at least 1")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }

        let (_, candidates) = try await self.candidates(streetOfficeID: streetOfficeID)
        let compounds: [Compound]
        if let codes = request.compoundCodes {
            let byCode = Dictionary(candidates.map { ($0.0.code, $0.0) }, uniquingKeysWith: { a, _ in a })
            let unknown = codes.filter { byCode[$0] == nil }
            guard unknown.isEmpty else {
                throw DomainError.validation(unknown.prefix(20).map { FieldError(field: "compoundIds", reason: "\($0) is not a compound of \(office.name)") })
            }
            compounds = Array(Set(codes)).sorted().map { byCode[$0]! }
        } else {
            compounds = candidates.filter(\.1).map(\.0)
        }
        guard !compounds.isEmpty else {
            throw DomainError.validation([FieldError(field: "compoundIds", reason: "no compound of \(office.name) takes part")])
        }
        var parameters = ZoningParameters(minFloorArea: request.minFloorArea, maxFloorArea: request.maxFloorArea)
        parameters.zonesPerLot = request.zonesPerLot ?? 3
        let barriers = try await Barrier.query(on: db).all().map { ZoningBarrier(kind: $0.kind.rawValue, path: $0.path) }
        var problem = ZoningProblem(
            compounds: compounds.enumerated().map { i, c in
                ZoningCompound(id: c.code, name: c.name, street: office.name, kind: c.kind, location: c.location,
                               floorArea: c.floorArea, households: c.households, featureIndex: i)
            },
            barriers: barriers, parameters: parameters)
        problem.document = Self.document(for: problem, compounds)
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph, options: PlannerOptions(objective: request.objective))
        let report = PlanEvaluation.report(problem, graph, plan)

        let record = ZoningPlanRecord()
        record.$streetOffice.id = streetOfficeID
        record.status = .draft
        record.document = String(decoding: ZoningOutput.write(problem, plan, report), as: UTF8.self)
        try await create(record, change: "generated \(plan.zoneIDs.count) zones from \(compounds.count) compounds")
        return try Loaded(record)
    }

    /// The planner's input document, with each compound's renovation state kept beside
    /// it so the map and the notice can mark compounds whose handover waits for works.
    static func document(for problem: ZoningProblem, _ compounds: [Compound]) -> JSONValue {
        guard case .object(var root) = ZoningOutput.document(for: problem), var features = root["features"]?.array else {
            return ZoningOutput.document(for: problem)
        }
        for (i, c) in compounds.enumerated() where i < features.count {
            guard case .object(var feature) = features[i], case .object(var properties) = feature["properties"] ?? .null else { continue }
            properties["renovation"] = .string(c.renovation.rawValue)
            feature["properties"] = .object(properties)
            features[i] = .object(feature)
        }
        root["features"] = .array(features)
        return .object(root)
    }

    /// A new version: numbered after the street office's last, with its first snapshot.
    private func create(_ record: ZoningPlanRecord, change: String) async throws {
        try await db.transaction { tx in
            let latest = try await ZoningPlanRecord.query(on: tx).filter(\.$streetOffice.$id == record.$streetOffice.id)
                .sort(\.$version, .descending).first()?.version ?? 0
            record.version = latest + 1
            record.revision = 1
            record.createdBy = actor.username
            record.snapshot = 1
            record.redoStack = []
            if record.lockedZonesJSON == nil { record.lockedZones = [] }
            try await record.save(on: tx)
            try await snapshot(record, sequence: 1, parent: nil, change: change, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "zoningPlan", entityID: record.id,
                                      after: ["version": "\(record.version)", "change": change], at: now)
        }
    }

    private func snapshot(_ record: ZoningPlanRecord, sequence: Int, parent: Int?, change: String, on tx: any Database) async throws {
        let snapshot = ZoningSnapshot()
        snapshot.$plan.id = try record.requireID()
        snapshot.sequence = sequence
        snapshot.parent = parent
        snapshot.document = record.document
        snapshot.lockedZonesJSON = record.lockedZonesJSON ?? "[]"
        snapshot.change = change
        snapshot.author = actor.username
        try await snapshot.save(on: tx)
    }

    func load(_ id: UUID, for action: Action = .read) async throws -> Loaded {
        guard let record = try await ZoningPlanRecord.query(on: db).filter(\.$id == id).with(\.$streetOffice).first() else {
            throw DomainError.notFound("zoning plan")
        }
        try authorize(action, streetOfficeID: record.$streetOffice.id, status: record.status)
        return try Loaded(record)
    }

    /// The versions of a street office this actor may see: all for its officers, the
    /// adopted ones for departments and companies.
    func plans(streetOfficeID: UUID) async throws -> [ZoningPlanRecord] {
        let all = try await ZoningPlanRecord.query(on: db).filter(\.$streetOffice.$id == streetOfficeID).sort(\.$version).all()
        if Policy.decide(actor, .read, .zoningPlan(streetOfficeID: streetOfficeID, adopted: false)) == .allow { return all }
        guard Policy.decide(actor, .read, .zoningPlan(streetOfficeID: streetOfficeID, adopted: true)) == .allow else {
            throw DomainError.notFound("street office")
        }
        return all.filter { $0.status == .adopted }
    }

    // MARK: Editing a draft

    /// Applies one change if `revision` is still the plan's; a stale revision is a conflict
    /// and changes nothing, so two officers editing one version never overwrite each other.
    func edit(_ id: UUID, revision: Int, change: ZoningEditor.Change) async throws -> (Loaded, ZoningEditor.Outcome) {
        let loaded = try await draft(id, revision: revision)
        let record = loaded.record
        var editor = ZoningEditor(problem: loaded.problem, graph: loaded.graph, plan: loaded.plan, lockedZones: record.lockedZones)
        let outcome = editor.apply(change)
        if let refusal = outcome.refusal {
            throw DomainError(.invalid, code: "change_refused", message: refusal, fields: [FieldError(field: "change", reason: refusal)])
        }
        let report = PlanEvaluation.report(loaded.problem, editor.graph, editor.plan)
        record.document = String(decoding: ZoningOutput.write(loaded.problem, editor.plan, report), as: UTF8.self)
        record.lockedZones = editor.lockedZones
        let parent = record.snapshot
        let description = Self.describe(change)
        try await commit(record, expecting: revision, audit: ["change": description]) { tx in
            // Plans made before snapshots existed get their starting state recorded first.
            var base = parent
            if base == nil {
                let original = try await ZoningPlanRecord.find(id, on: tx)!
                try await snapshot(original, sequence: 1, parent: nil, change: "generated", on: tx)
                base = 1
            }
            let last = try await ZoningSnapshot.query(on: tx).filter(\.$plan.$id == id).max(\.$sequence) ?? 0
            record.snapshot = last + 1
            record.redoStack = []
            try await snapshot(record, sequence: last + 1, parent: base, change: description, on: tx)
        }
        var updated = loaded
        updated.record = record
        updated.plan = editor.plan
        updated.report = report
        return (updated, outcome)
    }

    /// Goes back to the state before the last change (or forward again after an undo).
    func undo(_ id: UUID, revision: Int) async throws -> Loaded {
        let loaded = try await draft(id, revision: revision)
        let record = loaded.record
        guard let current = record.snapshot,
              let state = try await ZoningSnapshot.query(on: db).filter(\.$plan.$id == id).filter(\.$sequence == current).first(),
              let parent = state.parent else {
            throw DomainError(.conflict, code: "nothing_to_undo", message: "there is no change to undo")
        }
        try await restore(record, to: parent, expecting: revision, redo: record.redoStack + [current], audit: "undo \(state.change)")
        return try Loaded(record)
    }

    func redo(_ id: UUID, revision: Int) async throws -> Loaded {
        let loaded = try await draft(id, revision: revision)
        let record = loaded.record
        var stack = record.redoStack
        guard let next = stack.popLast() else { throw DomainError(.conflict, code: "nothing_to_redo", message: "there is no undone change to redo") }
        try await restore(record, to: next, expecting: revision, redo: stack, audit: "redo")
        return try Loaded(record)
    }

    private func restore(_ record: ZoningPlanRecord, to sequence: Int, expecting revision: Int, redo: [Int], audit: String) async throws {
        let id = try record.requireID()
        guard let target = try await ZoningSnapshot.query(on: db).filter(\.$plan.$id == id).filter(\.$sequence == sequence).first() else {
            throw DomainError.internalError
        }
        record.document = target.document
        record.lockedZonesJSON = target.lockedZonesJSON
        record.snapshot = sequence
        record.redoStack = redo
        try await commit(record, expecting: revision, audit: ["change": audit + " → state \(sequence)"])
    }

    /// The plan, if it is a draft at `revision` and this actor may change it.
    private func draft(_ id: UUID, revision: Int?) async throws -> Loaded {
        let loaded = try await load(id, for: .update)
        let record = loaded.record
        guard record.status == .draft else {
            throw DomainError(.conflict, code: "not_a_draft",
                              message: "version \(record.version) is \(record.status.rawValue) and cannot change; make a new version from it")
        }
        if let revision, record.revision != revision { throw Self.stale(revision, record.revision) }
        return loaded
    }

    static func stale(_ sent: Int, _ current: Int?) -> DomainError {
        DomainError(.conflict, code: "stale_revision",
                    message: "the plan was changed by someone else\(current.map { " (now at revision \($0))" } ?? ""); reload it and apply your change again",
                    fields: [FieldError(field: "revision", reason: "is \(sent), \(current.map { "the plan is at \($0)" } ?? "which is stale")")])
    }

    /// Writes the plan's state if its revision is still `revision`, then runs `alongside` and
    /// the audit entry in the same transaction. The revision check is part of the UPDATE
    /// itself: of two writes racing on one revision exactly one matches the row.
    func commit(_ record: ZoningPlanRecord, expecting revision: Int, audit: [String: String],
                alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        let id = try record.requireID()
        record.revision = revision + 1
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            // The revision is claimed first, so a write that lost the race stops before
            // touching anything else; `alongside` may set the snapshot pointer, so the
            // rest of the row is written after it.
            let rows = try await sql.update(ZoningPlanRecord.schema)
                .set("revision", to: record.revision)
                .set("updated_at", to: now)
                .where("id", .equal, id)
                .where("revision", .equal, revision)
                .returning("id")
                .all()
            guard rows.count == 1 else { throw Self.stale(revision, nil) }
            try await alongside(tx)
            try await sql.update(ZoningPlanRecord.schema)
                .set("document", to: record.document)
                .set("status", to: record.status.rawValue)
                .set("locked_zones", to: record.lockedZonesJSON)
                .set("snapshot", to: record.snapshot)
                .set("redo", to: record.redoJSON)
                .set("notice_start", to: record.noticeStart)
                .set("notice_end", to: record.noticeEnd)
                .set("published_by", to: record.publishedBy)
                .set("adopted_on", to: record.adoptedOn)
                .set("adopted_by", to: record.adoptedBy)
                .set("closed_on", to: record.closedOn)
                .set("closed_by", to: record.closedBy)
                .where("id", .equal, id)
                .run()
            var after = audit
            after["revision"] = "\(record.revision)"
            after["status"] = record.status.rawValue
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "zoningPlan", entityID: id, after: after, at: now)
        }
    }

    /// A new draft version with the same zones and locks as `id`.
    func copy(_ id: UUID) async throws -> Loaded {
        let source = try await load(id)
        try authorize(.create, streetOfficeID: source.record.$streetOffice.id, status: .draft)
        let record = ZoningPlanRecord()
        record.$streetOffice.id = source.record.$streetOffice.id
        record.status = .draft
        record.document = source.record.document
        record.lockedZonesJSON = source.record.lockedZonesJSON
        record.basedOn = source.record.version
        try await create(record, change: "copied from version \(source.record.version)")
        return try Loaded(record)
    }

    /// A change as both surfaces send it: a kind and the ids it needs. `fieldPrefix` names
    /// the fields as the caller's body does ("change." in the API, nothing in the form).
    static func change(kind: String, compoundID: String?, zoneID: String?, otherZoneID: String?,
                       fieldPrefix: String = "") throws -> ZoningEditor.Change {
        func need(_ value: String?, _ field: String) throws -> String {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw DomainError.validation([FieldError(field: fieldPrefix + field, reason: "is required for \(kind)")])
            }
            return value
        }
        switch kind {
        case "move":
            // No zone, or the form's "new zone" choice, moves the compound into a zone of its own.
            let zone = zoneID?.trimmingCharacters(in: .whitespaces)
            return .move(compound: try need(compoundID, "compoundId"), toZone: zone == nil || zone == "" || zone == "new" ? nil : zone)
        case "lock": return .lockZone(try need(zoneID, "zoneId"))
        case "unlock": return .unlockZone(try need(zoneID, "zoneId"))
        case "split": return .split(try need(zoneID, "zoneId"))
        case "merge": return .merge(try need(zoneID, "zoneId"), try need(otherZoneID, "otherZoneId"))
        default: throw DomainError.validation([FieldError(field: fieldPrefix + "kind", reason: "must be move, lock, unlock, split or merge")])
        }
    }

    static func describe(_ change: ZoningEditor.Change) -> String {
        switch change {
        case .move(let compound, let zone): "move \(compound) to \(zone ?? "a new zone")"
        case .lockZone(let zone): "lock \(zone)"
        case .unlockZone(let zone): "unlock \(zone)"
        case .split(let zone): "split \(zone)"
        case .merge(let a, let b): "merge \(b) into \(a)"
        }
    }

    static func decode(_ record: ZoningPlanRecord) throws -> (ZoningProblem, ZoningPlan) {
        let problem = try ZoningProblem.read(Data(record.document.utf8))
        return (problem, try ZoningOutput.readPlan(problem))
    }
}
