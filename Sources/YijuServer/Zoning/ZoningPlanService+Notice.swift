import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Public notice (公示), objections, adoption into the registry, retirement, comments.
extension ZoningPlanService {
    static let noticeDays = 1...90

    /// Puts a draft under public notice from today for `days` days. Only a plan that is
    /// sound (every zone connected, in one street office and in a lot) can be published;
    /// zones outside the bands are allowed, since the notice is where they are discussed.
    func publish(_ id: UUID, revision: Int?, days: Int) async throws -> Loaded {
        guard Self.noticeDays.contains(days) else {
            throw DomainError.validation([FieldError(field: "noticeDays", reason: "must be between \(Self.noticeDays.lowerBound) and \(Self.noticeDays.upperBound) days")])
        }
        let loaded = try await loadDraft(id, revision: revision)
        let record = loaded.record
        var problems = loaded.report.structuralErrors
        problems += loaded.report.zones.filter { $0.lot.isEmpty }.map { "zone \($0.id) is in no lot" }
        problems += loaded.report.lots.filter { !$0.connected }.map { "lot \($0.id) is not connected" }
        guard problems.isEmpty else {
            throw DomainError(.invalid, code: "plan_not_sound", message: "the plan cannot be published: " + problems.prefix(5).joined(separator: "; "),
                              fields: problems.prefix(20).map { FieldError(field: "plan", reason: $0) })
        }
        record.status = .notice
        record.noticeStart = today
        record.noticeEnd = Calendar.shanghai.day(today, plus: days - 1)
        record.publishedBy = actor.username
        try await commit(record, expecting: record.revision, audit: ["noticeStart": record.noticeStart!, "noticeEnd": record.noticeEnd!])
        return try Loaded(record)
    }

    /// Takes a plan off notice, e.g. after an objection is upheld; a corrected version is a new draft.
    func withdraw(_ id: UUID) async throws -> Loaded {
        let loaded = try await load(id, for: .update)
        try await transition(loaded.record, from: .notice, to: .withdrawn)
        return loaded
    }

    private func loadDraft(_ id: UUID, revision: Int?) async throws -> Loaded {
        let loaded = try await load(id, for: .update)
        guard loaded.record.status == .draft else {
            throw DomainError(.conflict, code: "not_a_draft", message: "version \(loaded.record.version) is \(loaded.record.status.rawValue), not a draft")
        }
        if let revision, loaded.record.revision != revision { throw Self.stale(revision, loaded.record.revision) }
        return loaded
    }

    /// Moves a loaded plan from one status to the next, in one transaction with `alongside`.
    private func transition(_ record: ZoningPlanRecord, from: ZoningPlanRecord.Status, to: ZoningPlanRecord.Status,
                            alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        guard record.status == from else {
            throw DomainError(.conflict, code: "wrong_status", message: "version \(record.version) is \(record.status.rawValue); only a plan that is \(from.rawValue) can become \(to.rawValue)")
        }
        record.status = to
        if to == .withdrawn || to == .retired {
            record.closedOn = today
            record.closedBy = actor.username
        }
        try await commit(record, expecting: record.revision, audit: ["from": from.rawValue], alongside: alongside)
    }

    /// Adopts a plan whose notice period is over: each zone becomes a management area,
    /// each compound is assigned to its zone's area from today, and each lot becomes a
    /// tender lot for selection. Refused, naming the compounds, if any of them is in a
    /// zone of another adopted plan.
    func adopt(_ id: UUID) async throws -> Loaded {
        let loaded = try await load(id, for: .update)
        let record = loaded.record
        guard record.status == .notice, let end = record.noticeEnd else {
            throw DomainError(.conflict, code: "wrong_status", message: "version \(record.version) is \(record.status.rawValue); only a plan under notice can be adopted")
        }
        guard today > end else {
            throw DomainError(.conflict, code: "notice_running", message: "the notice period runs until \(end); the plan can be adopted from \(Calendar.shanghai.day(end, plus: 1))")
        }
        let office = record.streetOffice
        let codes = loaded.problem.compounds.map(\.id)
        let compounds = try await Compound.query(on: db).filter(\.$streetOffice.$id == office.requireID()).filter(\.$code ~~ codes).all()
        let byCode = Dictionary(compounds.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = codes.filter { byCode[$0] == nil }
        guard missing.isEmpty else {
            throw DomainError(.invalid, code: "compounds_gone", message: "compounds of this plan are no longer in \(office.name)'s registry: \(missing.prefix(10).joined(separator: ", "))",
                              fields: missing.prefix(20).map { FieldError(field: "compounds", reason: "\($0) is not in the registry") })
        }
        let conflicts = try await AreaAssignment.query(on: db).filter(\.$compound.$id ~~ compounds.map { try $0.requireID() }).filter(\.$endDate == nil)
            .with(\.$compound).with(\.$area) { $0.with(\.$plan) }.all()
        guard conflicts.isEmpty else {
            throw Self.conflict(conflicts.map { ($0.compound.code, $0.compound.name, $0.area.code, $0.area.plan.version) })
        }

        let prefix = "\(office.code)-V\(record.version)"
        let report = loaded.report
        let startDate = today
        record.adoptedOn = startDate
        record.adoptedBy = actor.username
        try await transition(record, from: .notice, to: .adopted) { tx in
            var lots: [String: TenderLot] = [:]
            for lotReport in report.lots {
                let lot = TenderLot()
                lot.$plan.id = id
                lot.$streetOffice.id = try office.requireID()
                lot.code = "\(prefix)-\(lotReport.id)"
                lot.status = .open
                try await lot.save(on: tx)
                lots[lotReport.id] = lot
            }
            var assignments: [AreaAssignment] = []
            for zone in report.zones {
                guard let lot = lots[zone.lot] else { throw DomainError.internalError }
                let area = ManagementArea()
                area.$plan.id = id
                area.$streetOffice.id = try office.requireID()
                area.$lot.id = try lot.requireID()
                area.code = "\(prefix)-\(zone.id)"
                area.zoneCode = zone.id
                area.floorArea = zone.floorArea
                area.households = zone.households
                area.startDate = startDate
                try await area.save(on: tx)
                for code in zone.compoundIDs {
                    let assignment = AreaAssignment()
                    assignment.$compound.id = try byCode[code]!.requireID()
                    assignment.$area.id = try area.requireID()
                    assignment.startDate = startDate
                    assignments.append(assignment)
                }
            }
            do {
                try await assignments.create(on: tx)
            } catch {
                // The partial unique index on open assignments caught an adoption racing this one.
                throw DomainError(.conflict, code: "compound_in_adopted_zone", message: "another plan covering these compounds was adopted at the same moment; reload and try again")
            }
        }
        return try Loaded(record)
    }

    static func conflict(_ rows: [(code: String, name: String, area: String, version: Int)]) -> DomainError {
        let sorted = rows.sorted { $0.code < $1.code }
        let named = sorted.prefix(10).map { "\($0.code) \($0.name) (\($0.area), version \($0.version))" }
        return DomainError(.conflict, code: "compound_in_adopted_zone",
                           message: "\(rows.count) compound\(rows.count == 1 ? " is" : "s are") already in a zone of another adopted plan: \(named.joined(separator: "; "))\(rows.count > 10 ? " …" : ""); retire that plan first",
                           fields: sorted.prefix(50).map { FieldError(field: "compounds", reason: "\($0.code) \($0.name) is in \($0.area) of adopted version \($0.version)") })
    }

    /// Ends an adopted plan: its areas and its compounds' assignments end today (they stay
    /// as history) and its lots still waiting for a tender are withdrawn.
    func retire(_ id: UUID) async throws -> Loaded {
        let day = today
        let loaded = try await load(id, for: .update)
        try await transition(loaded.record, from: .adopted, to: .retired) { tx in
            let areas = try await ManagementArea.query(on: tx).filter(\.$plan.$id == id).all()
            try await AreaAssignment.query(on: tx).filter(\.$area.$id ~~ areas.map { try $0.requireID() }).filter(\.$endDate == nil)
                .set(\.$endDate, to: day).update()
            try await ManagementArea.query(on: tx).filter(\.$plan.$id == id).set(\.$endDate, to: day).update()
            try await TenderLot.query(on: tx).filter(\.$plan.$id == id).filter(\.$status == .open).set(\.$status, to: .withdrawn).update()
        }
        return loaded
    }

    // MARK: Comments and objections

    func comments(_ id: UUID) async throws -> [ZoningComment] {
        _ = try await load(id)
        return try await ZoningComment.query(on: db).filter(\.$plan.$id == id).sort(\.$createdAt).all()
    }

    func addComment(_ id: UUID, body: String) async throws -> ZoningComment {
        let record = try await load(id).record
        try authorize(.update, streetOfficeID: record.$streetOffice.id, status: .draft)
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(text.count) else {
            throw DomainError.validation([FieldError(field: "body", reason: text.isEmpty ? "is required" : "must be at most 2000 characters")])
        }
        let comment = ZoningComment()
        comment.$plan.id = id
        comment.author = actor.username
        comment.body = text
        try await db.transaction { tx in
            try await comment.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "zoningComment", entityID: comment.id,
                                      after: ["plan": id.uuidString, "body": text], at: now)
        }
        return comment
    }

    /// The residents' objections, for the officers who can change the plan.
    func objections(_ id: UUID) async throws -> [ZoningObjection] {
        let record = try await load(id).record
        try authorize(.update, streetOfficeID: record.$streetOffice.id, status: .draft)
        return try await ZoningObjection.query(on: db).filter(\.$plan.$id == id).sort(\.$createdAt).all()
    }
}

/// What anyone may see and do without logging in: plans under notice and adopted plans,
/// and objections to a plan while its notice runs.
struct PublicZoning {
    let db: any Database
    let now: Date

    init(app: Application) {
        db = app.db
        now = app.clock.now()
    }

    func plans() async throws -> [ZoningPlanRecord] {
        try await ZoningPlanRecord.query(on: db).filter(\.$status ~~ [.notice, .adopted]).with(\.$streetOffice)
            .sort(\.$noticeStart, .descending).all()
    }

    func plan(_ id: UUID) async throws -> ZoningPlanService.Loaded {
        guard let record = try await ZoningPlanRecord.query(on: db).filter(\.$id == id).with(\.$streetOffice).first(),
              record.status.isPublic else { throw DomainError.notFound("zoning plan") }
        return try ZoningPlanService.Loaded(record)
    }

    struct Objection {
        var name: String
        var phone: String
        var compoundCode: String?
        var body: String
    }

    func file(_ objection: Objection, on id: UUID, source: String) async throws -> ZoningObjection {
        let loaded = try await plan(id)
        let record = loaded.record
        let today = Calendar.shanghai.day(now)
        guard record.status == .notice, let start = record.noticeStart, let end = record.noticeEnd, start <= today, today <= end else {
            throw DomainError(.conflict, code: "notice_closed", message: "objections can be filed only while the plan is under notice\(record.noticeEnd.map { " (it ran until \($0))" } ?? "")")
        }
        var errors: [FieldError] = []
        let checked = PublicObjection.checked(name: objection.name, phone: objection.phone, body: objection.body, errors: &errors)
        let compound = objection.compoundCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let compound, !loaded.problem.compounds.contains(where: { $0.id == compound }) {
            errors.append(FieldError(field: "compoundId", reason: "\(compound) is not a compound of this plan"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }

        let hash = PublicObjection.sourceHash(source)
        try PublicObjection.requireUnderLimit(try await ZoningObjection.query(on: db).filter(\.$sourceHash == hash)
            .filter(\.$createdAt > now.addingTimeInterval(-3600)).count())
        let row = ZoningObjection()
        row.$plan.id = id
        row.name = checked.name
        row.phone = checked.phone
        row.compoundCode = compound
        row.body = checked.body
        row.sourceHash = hash
        row.createdAt = now
        try await db.transaction { tx in
            try await row.create(on: tx)
            try await AuditLog.record(on: tx, actor: nil, action: .create, entityType: "zoningObjection", entityID: row.id,
                                      after: ["plan": id.uuidString, "compound": compound ?? ""], at: now)
        }
        return row
    }
}

// MARK: What adoption created

extension ZoningPlanService {
    /// May this actor see what the street office's adopted plans created?
    private func seesAdopted(_ streetOfficeID: UUID) -> Bool {
        Policy.decide(actor, .read, .zoningPlan(streetOfficeID: streetOfficeID, adopted: true)) == .allow
    }

    /// Management areas with the compounds ever assigned to them; `current` keeps those in force today.
    func areas(streetOfficeID: UUID?, current: Bool) async throws -> [(ManagementArea, [String])] {
        var query = ManagementArea.query(on: db).with(\.$plan).with(\.$lot).sort(\.$code)
        if let streetOfficeID { query = query.filter(\.$streetOffice.$id == streetOfficeID) }
        if current { query = query.filter(\.$endDate == nil) }
        let areas = try await query.all().filter { seesAdopted($0.$streetOffice.id) }
        let assignments = try await AreaAssignment.query(on: db).filter(\.$area.$id ~~ areas.map { try $0.requireID() }).with(\.$compound).all()
        var codes: [UUID: [String]] = [:]
        for a in assignments { codes[a.$area.id, default: []].append(a.compound.code) }
        return try areas.map { ($0, (codes[try $0.requireID()] ?? []).sorted()) }
    }

    func lots(streetOfficeID: UUID?) async throws -> [(TenderLot, [ManagementArea])] {
        var query = TenderLot.query(on: db).sort(\.$code)
        if let streetOfficeID { query = query.filter(\.$streetOffice.$id == streetOfficeID) }
        let lots = try await query.all().filter { seesAdopted($0.$streetOffice.id) }
        let areas = try await ManagementArea.query(on: db).filter(\.$lot.$id ~~ lots.map { try $0.requireID() }).sort(\.$code).all()
        return lots.map { lot in (lot, areas.filter { $0.$lot.id == lot.id }) }
    }

    /// The management area each compound is in now (its open assignment). Area codes are
    /// public once adopted, so anyone who may see the compound may see its area.
    static func currentAreas(of compoundIDs: [UUID], on db: any Database) async throws -> [UUID: (ManagementArea, AreaAssignment)] {
        guard !compoundIDs.isEmpty else { return [:] }
        let open = try await AreaAssignment.query(on: db).filter(\.$compound.$id ~~ compoundIDs).filter(\.$endDate == nil).with(\.$area).all()
        return Dictionary(open.map { ($0.$compound.id, ($0.area, $0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// A compound's management areas, newest first: the open one is where it is now.
    func areaHistory(compoundID: UUID) async throws -> [(AreaAssignment, ManagementArea)] {
        let rows = try await AreaAssignment.query(on: db).filter(\.$compound.$id == compoundID).with(\.$area).all()
        return rows.filter { seesAdopted($0.area.$streetOffice.id) }
            .sorted { ($0.endDate ?? "9999", $0.startDate) > ($1.endDate ?? "9999", $1.startDate) }
            .map { ($0, $0.area) }
    }
}
