import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Zoning plans (大区划片) of a street office: generated from the registry by the planner,
/// kept as versions, edited one change at a time with optimistic locking.
struct ZoningPlanService {
    let db: any Database
    let actor: Actor
    let now: Date

    init(app: Application, actor: Actor) {
        db = app.db
        self.actor = actor
        now = app.clock.now()
    }

    struct Request {
        var minFloorArea: Double
        var maxFloorArea: Double
        var zonesPerLot: Int?
        var objective: ZoningObjective = .viable
        /// Compound codes taking part; nil takes the default selection.
        var compoundCodes: [String]?
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

    func authorize(_ action: Action, streetOfficeID: UUID, adopted: Bool) throws {
        try Policy.require(actor, action, .zoningPlan(streetOfficeID: streetOfficeID, adopted: adopted), notFound: "zoning plan")
    }

    func generate(streetOfficeID: UUID, _ request: Request) async throws -> (ZoningPlanRecord, PlanReport) {
        guard let office = try await StreetOffice.find(streetOfficeID, on: db) else { throw DomainError.notFound("street office") }
        try authorize(.create, streetOfficeID: streetOfficeID, adopted: false)
        var errors: [FieldError] = []
        if !(request.minFloorArea > 0) { errors.append(FieldError(field: "minFloorArea", reason: "must be above 0")) }
        if !(request.maxFloorArea > 0) { errors.append(FieldError(field: "maxFloorArea", reason: "must be above 0")) }
        if request.minFloorArea > request.maxFloorArea { errors.append(FieldError(field: "minFloorArea", reason: "must not exceed maxFloorArea")) }
        if let lot = request.zonesPerLot, lot < 1 { errors.append(FieldError(field: "zonesPerLot", reason: "must be at least 1")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }

        let all = try await Compound.query(on: db).filter(\.$streetOffice.$id == streetOfficeID)
            .with(\.$streetOffice).with(\.$contract).sort(\.$code).all()
        let compounds: [Compound]
        if let codes = request.compoundCodes {
            let byCode = Dictionary(all.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            let unknown = codes.filter { byCode[$0] == nil }
            guard unknown.isEmpty else {
                throw DomainError.validation(unknown.prefix(20).map { FieldError(field: "compoundIds", reason: "\($0) is not a compound of \(office.name)") })
            }
            compounds = Array(Set(codes)).sorted().map { byCode[$0]! }
        } else {
            let day = Calendar.shanghai.dateComponents([.year, .month, .day], from: now)
            let inAYear = String(format: "%04d-%02d-%02d", day.year! + 1, day.month!, day.day!)
            compounds = all.filter { Self.takesPart($0, inAYear: inAYear) }
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
        problem.document = ZoningOutput.document(for: problem)
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph, options: PlannerOptions(objective: request.objective))
        let report = PlanEvaluation.report(problem, graph, plan)

        let latest = try await ZoningPlanRecord.query(on: db).filter(\.$streetOffice.$id == streetOfficeID)
            .sort(\.$version, .descending).first()?.version ?? 0
        let record = ZoningPlanRecord()
        record.$streetOffice.id = streetOfficeID
        record.version = latest + 1
        record.status = .draft
        record.revision = 1
        record.document = String(decoding: ZoningOutput.write(problem, plan, report), as: UTF8.self)
        record.createdBy = actor.username
        try await save(record, action: .create)
        return (record, report)
    }

    func plan(_ id: UUID) async throws -> (ZoningPlanRecord, PlanReport) {
        guard let record = try await ZoningPlanRecord.find(id, on: db) else { throw DomainError.notFound("zoning plan") }
        try authorize(.read, streetOfficeID: record.$streetOffice.id, adopted: false)
        let (problem, plan) = try Self.decode(record)
        return (record, PlanEvaluation.report(problem, ZoningGraph(problem: problem), plan))
    }

    func plans(streetOfficeID: UUID) async throws -> [ZoningPlanRecord] {
        try authorize(.read, streetOfficeID: streetOfficeID, adopted: false)
        return try await ZoningPlanRecord.query(on: db).filter(\.$streetOffice.$id == streetOfficeID).sort(\.$version).all()
    }

    /// Applies one change if `revision` is still the plan's; a stale revision is a conflict
    /// and changes nothing, so two officers editing one version never overwrite each other.
    func edit(_ id: UUID, revision: Int, change: ZoningEditor.Change) async throws -> (ZoningPlanRecord, ZoningEditor.Outcome, PlanReport) {
        guard let record = try await ZoningPlanRecord.find(id, on: db) else { throw DomainError.notFound("zoning plan") }
        try authorize(.update, streetOfficeID: record.$streetOffice.id, adopted: false)
        guard record.revision == revision else {
            throw DomainError(.conflict, code: "stale_revision",
                              message: "the plan was changed by someone else (now at revision \(record.revision)); reload it and apply your change again",
                              fields: [FieldError(field: "revision", reason: "is \(revision), the plan is at \(record.revision)")])
        }
        let (problem, plan) = try Self.decode(record)
        var editor = ZoningEditor(problem: problem, plan: plan)
        let outcome = editor.apply(change)
        if let refusal = outcome.refusal {
            throw DomainError(.invalid, code: "change_refused", message: refusal, fields: [FieldError(field: "change", reason: refusal)])
        }
        let report = PlanEvaluation.report(problem, editor.graph, editor.plan)
        let before = record.revision
        record.document = String(decoding: ZoningOutput.write(problem, editor.plan, report), as: UTF8.self)
        record.revision = before + 1
        // The revision check is part of the UPDATE itself: of two edits racing on one
        // revision exactly one matches the row; the other is reported as a conflict.
        let updated = try await db.transaction { tx -> Bool in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let rows = try await sql.update(ZoningPlanRecord.schema)
                .set("document", to: record.document)
                .set("revision", to: record.revision)
                .set("updated_at", to: now)
                .where("id", .equal, id)
                .where("revision", .equal, before)
                .returning("id")
                .all()
            guard rows.count == 1 else { return false }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "zoningPlan", entityID: id,
                                      after: ["revision": "\(record.revision)", "change": "\(change)"], at: now)
            return true
        }
        guard updated else {
            throw DomainError(.conflict, code: "stale_revision", message: "the plan was changed by someone else; reload it and apply your change again",
                              fields: [FieldError(field: "revision", reason: "is stale")])
        }
        return (record, outcome, report)
    }

    private func save(_ record: ZoningPlanRecord, action: AuditLog.Action) async throws {
        try await db.transaction { tx in
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action, entityType: "zoningPlan", entityID: record.id,
                                      after: ["version": "\(record.version)", "revision": "\(record.revision)"], at: now)
        }
    }

    static func decode(_ record: ZoningPlanRecord) throws -> (ZoningProblem, ZoningPlan) {
        let problem = try ZoningProblem.read(Data(record.document.utf8))
        return (problem, try ZoningOutput.readPlan(problem))
    }
}
