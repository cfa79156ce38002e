import Fluent
import Foundation
import SQLKit
import YijuCore

enum InspectionTemplates {
    static func encode(_ items: [ChecklistItem]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(items), as: UTF8.self)
    }

    /// A shipped checklist as the first version of its template (migrations only: not audited).
    static func seed(_ checklist: Checklist, on db: any Database) async throws {
        let template = InspectionTemplate()
        template.code = checklist.code
        template.name = checklist.name
        template.category = checklist.category
        template.itemsJSON = try encode(checklist.items)
        template.version = 1
        template.active = true
        template.updatedBy = "system"
        try await template.create(on: db)
    }
}

/// 考评: checklist templates, inspections of compounds and management areas, their findings
/// and photos, rectification orders, and what failures cost on the credit ledger.
///
/// Who may do what: the bureau inspects anywhere and edits templates; a street officer
/// inspects in their own street office; both verify rectification of the inspections they
/// may read. Company staff read their own company's inspections and report rectification.
/// Grid workers read their street office's. Other roles have no business here.
struct InspectionService {
    let db: any Database
    let actor: Actor
    let now: Date

    var today: String { Calendar.shanghai.day(now) }

    // MARK: Templates

    func templates(includeInactive: Bool = false) async throws -> [InspectionTemplate] {
        let query = InspectionTemplate.query(on: db).sort(\.$code)
        if !includeInactive { query.filter(\.$active == true) }
        return try await query.all()
    }

    func template(_ id: UUID) async throws -> InspectionTemplate {
        guard let template = try await InspectionTemplate.find(id, on: db) else { throw DomainError.notFound("inspection template") }
        return template
    }

    /// A new template, or a new version of the one with the same code (bureau admin). The
    /// items are checked whole against the rule set's maximum weight.
    func saveTemplate(_ checklist: Checklist, active: Bool = true) async throws -> InspectionTemplate {
        try Policy.require(actor, .update, .inspectionTemplate, notFound: "inspection template")
        let rules = try await CreditRuleSets.current(on: db).rules
        var checklist = checklist
        checklist.name = checklist.name.trimmingCharacters(in: .whitespaces)
        checklist.items = checklist.items.map { ChecklistItem(title: $0.title.trimmingCharacters(in: .whitespaces), weight: $0.weight) }
        let problems = checklist.problems(maxWeight: rules.maxInspectionWeight)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        let items = try InspectionTemplates.encode(checklist.items)
        return try await db.transaction { [checklist] tx in
            let existing = try await InspectionTemplate.query(on: tx).filter(\.$code == checklist.code).first()
            let template = existing ?? InspectionTemplate()
            let before = existing.map { ["name": $0.name, "items": $0.itemsJSON, "active": String($0.active), "version": String($0.version)] }
            template.code = checklist.code
            template.name = checklist.name
            template.category = checklist.category
            template.itemsJSON = items
            template.active = active
            template.version = (existing?.version ?? 0) + 1
            template.updatedBy = actor.username
            try await template.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: existing == nil ? .create : .update, entityType: "inspectionTemplate",
                                      entityID: template.id, before: before,
                                      after: ["name": template.name, "items": items, "active": String(active), "version": String(template.version)], at: now)
            return template
        }
    }

    // MARK: Scope

    private func resource(_ inspection: InspectionRecord) -> Resource {
        .inspection(streetOfficeID: inspection.$streetOffice.id, companyID: inspection.$company.id)
    }

    /// The inspections query narrowed to what the caller may read (Policy's inspection scope).
    private func scoped() throws -> QueryBuilder<InspectionRecord> {
        guard let query = InspectionRecord.query(on: db).scoped(to: Policy.inspectionScope(actor), by: InspectionRecord.scopeColumns) else {
            throw DomainError.forbidden
        }
        return query
    }

    /// Failed items per inspection, for lists that show the count beside the score.
    func failedItems(of inspections: [UUID]) async throws -> [UUID: Int] {
        guard !inspections.isEmpty else { return [:] }
        return try await InspectionItemResult.query(on: db).filter(\.$inspection.$id ~~ inspections).filter(\.$passed == false)
            .field(\.$inspection.$id).all().reduce(into: [:]) { $0[$1.$inspection.id, default: 0] += 1 }
    }

    // MARK: Inspecting

    struct NewInspection: Sendable {
        var templateID: UUID
        var compoundID: UUID?
        var areaID: UUID?
        /// A renovation project's site, inspected with a 文明施工 checklist.
        var projectID: UUID? = nil
        var kind: InspectionRecord.Kind = .routine
        /// The day it took place; today when nil. Never in the future, at most 30 days back.
        var day: String?
        var note: String?
        var verdicts: [ItemVerdict]
    }

    /// Who answers for a target on a day: its street office and the company managing it (or
    /// building it, for a site); `graded` when failures go on that company's credit ledger.
    private struct Target {
        var streetOffice: UUID
        var company: UUID?
        var label: String
        var graded = true
    }

    private func target(_ new: NewInspection, day: String) async throws -> Target {
        if let projectID = new.projectID {
            guard new.compoundID == nil, new.areaID == nil else {
                throw DomainError.validation([FieldError(field: "projectId", reason: "give a compound, a management area or a project, one of them")])
            }
            return try await site(projectID)
        }
        return try await target(compound: new.compoundID, area: new.areaID, day: day)
    }

    /// A renovation site: while its works are on, answered for by its builder, who is not graded.
    private func site(_ projectID: UUID) async throws -> Target {
        guard let project = try await RenovationProject.find(projectID, on: db) else { throw DomainError.notFound("renovation project") }
        guard SiteInspections.open.contains(project.status) else {
            throw DomainError.worksNotOn("a site is inspected", status: project.status)
        }
        let builder = RenovationEngagement.byPart(try await RenovationEngagement.of(project: projectID, on: db))[.construction]
        guard let builder else {
            throw DomainError.validation([FieldError(field: "projectId", reason: "has no construction company engaged to answer for the site")])
        }
        return Target(streetOffice: project.$streetOffice.id, company: builder.$company.id, label: project.code, graded: false)
    }

    private func target(compound compoundID: UUID?, area areaID: UUID?, day: String) async throws -> Target {
        switch (compoundID, areaID) {
        case (let compoundID?, nil):
            guard let compound = try await Compound.find(compoundID, on: db) else { throw DomainError.notFound("compound") }
            return Target(streetOffice: compound.$streetOffice.id,
                          company: compound.management == .professional ? compound.$company.id : nil, label: compound.name)
        case (nil, let areaID?):
            guard let area = try await ManagementArea.find(areaID, on: db) else { throw DomainError.notFound("management area") }
            let compounds = try await AreaAssignment.query(on: db).filter(\.$area.$id == areaID).filter(\.$startDate <= day).with(\.$compound).all()
                .filter { $0.endDate.map { $0 > day } ?? true }.map(\.compound)
            let companies = Set(compounds.filter { $0.management == .professional }.compactMap { $0.$company.id })
            guard companies.count <= 1 else {
                throw DomainError(.invalid, code: "area_has_several_companies",
                                  message: "the area's compounds are under \(companies.count) companies; inspect them one by one",
                                  fields: [FieldError(field: "areaId", reason: "is managed by several companies")])
            }
            return Target(streetOffice: area.$streetOffice.id, company: companies.first, label: area.code)
        default:
            throw DomainError.validation([FieldError(field: "compoundId", reason: "give either a compound or a management area")])
        }
    }

    /// Records an inspection with its verdicts: a rectification order for each failed item
    /// given a deadline, and for each failed item a deduction (its weight × the rule set's
    /// points) on the managing company's ledger — all in one transaction. A site's failures
    /// are orders on its builder and count on its own record, not on a credit ledger.
    func inspect(_ new: NewInspection) async throws -> InspectionRecord {
        let calendar = Calendar.shanghai
        let day = new.day ?? today
        var errors: [FieldError] = []
        if !calendar.isDay(day) {
            errors.append(FieldError(field: "day", reason: "must be a date like 2025-11-22"))
        } else if day > today {
            errors.append(FieldError(field: "day", reason: "cannot be in the future"))
        } else if let earliest = calendar.date(byAdding: .day, value: -30, to: now).map(calendar.day), day < earliest {
            errors.append(FieldError(field: "day", reason: "must be within the last 30 days"))
        }
        let note = new.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let note, note.count > 2000 { errors.append(FieldError(field: "note", reason: "must be at most 2000 characters")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        let template = try await template(new.templateID)
        guard template.active else {
            throw DomainError.validation([FieldError(field: "templateId", reason: "template \(template.code) is retired")])
        }
        let target = try await target(new, day: day)
        // Inspecting where one may not is refused as such, even where one may not read, and
        // before the verdicts are looked at: a refusal is about who asks, not what they sent.
        guard Policy.allows(actor, .create, .inspection(streetOfficeID: target.streetOffice, companyID: target.company)) else { throw DomainError.forbidden }
        let items = template.items
        let problems = InspectionScoring.problems(items, new.verdicts, day: day)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        // A 文明施工 checklist inspects sites, and a site is inspected with one.
        if (template.category == .construction) != (new.projectID != nil) {
            throw DomainError.validation([FieldError(field: "templateId", reason: template.category == .construction
                ? "\(template.name) inspects a renovation site: give projectId" : "\(template.name) does not inspect a renovation site")])
        }
        let rules = try await CreditRuleSets.current(on: db).rules

        let record = InspectionRecord()
        record.id = UUID()
        record.kind = new.kind
        record.$template.id = try template.requireID()
        record.templateName = template.name
        record.templateVersion = template.version
        record.$compound.id = new.compoundID
        record.$area.id = new.areaID
        record.$project.id = new.projectID
        record.$streetOffice.id = target.streetOffice
        record.$company.id = target.company
        record.day = day
        record.inspector = actor.username
        record.score = InspectionScoring.score(items, new.verdicts)
        record.note = note
        try await db.transaction { tx in
            record.number = try await CaseNumbers.claim(1, prefix: "JC", day: day, on: tx)[0]
            try await record.create(on: tx)
            // The items, orders and deductions each in one INSERT: a checklist has a dozen items.
            var results: [InspectionItemResult] = [], orders: [RectificationOrder] = [], deductions: [CreditEventEntry] = []
            for (position, (item, verdict)) in zip(items, new.verdicts).enumerated() {
                let result = InspectionItemResult()
                result.id = UUID()
                result.$inspection.id = try record.requireID()
                result.position = position
                result.title = item.title
                result.weight = item.weight
                result.passed = verdict.passed
                result.finding = verdict.finding?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
                results.append(result)
                guard !verdict.passed else { continue }
                if let by = verdict.rectifyBy {
                    let order = RectificationOrder()
                    order.$inspection.id = try record.requireID()
                    order.$item.id = try result.requireID()
                    order.$company.id = target.company
                    order.deadline = by
                    order.status = .open
                    orders.append(order)
                }
                if let company = target.company, target.graded {
                    deductions.append(CreditEventEntry.make(
                        company: company, kind: .inspectionFailure, points: rules.points(.inspectionFailure, weight: item.weight),
                        effective: day, rules: rules, source: "考评 \(record.number)（\(template.name)，\(target.label)）不合格：\(item.title)",
                        sourceKey: "inspection:\(try record.requireID()):\(position)", recordedBy: actor.username
                    ))
                }
            }
            try await results.create(on: tx)
            if !orders.isEmpty { try await orders.create(on: tx) }
            if !deductions.isEmpty { try await deductions.create(on: tx) }
            record.$items.value = results
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "inspection", entityID: record.id, after: [
                "number": record.number, "template": "\(template.code) v\(template.version)", "target": target.label, "day": day,
                "score": record.score.pointsText(), "failed": String(new.verdicts.filter { !$0.passed }.count),
            ], at: now)
        }
        if let company = target.company, target.graded {
            try await CreditService(db: db, actor: actor, now: now).enforceBlacklist([company], rules: rules)
        }
        return record
    }

    // MARK: Reading

    func load(_ id: UUID) async throws -> InspectionRecord {
        guard let record = try await InspectionRecord.query(on: db).filter(\.$id == id)
            .with(\.$items).with(\.$compound).with(\.$area).with(\.$project).with(\.$company).with(\.$streetOffice).first(),
            Policy.allows(actor, .read, resource(record)) else { throw DomainError.notFound("inspection") }
        record.$items.value?.sort { $0.position < $1.position }
        return record
    }

    struct Filter: Sendable {
        var companyID: UUID?
        var compoundID: UUID?
        var projectID: UUID?
        var from: String?
        var to: String?
        var limit = 200
    }

    func list(_ filter: Filter) async throws -> [InspectionRecord] {
        let query = try scoped().with(\.$compound).with(\.$area).with(\.$project).with(\.$company).sort(\.$day, .descending).sort(\.$number, .descending)
        if let company = filter.companyID { query.filter(\.$company.$id == company) }
        if let compound = filter.compoundID { query.filter(\.$compound.$id == compound) }
        if let project = filter.projectID { query.filter(\.$project.$id == project) }
        if let from = filter.from { query.filter(\.$day >= from) }
        if let to = filter.to { query.filter(\.$day <= to) }
        return try await query.limit(min(max(filter.limit, 1), 1000)).all()
    }

    func orders(of inspection: UUID) async throws -> [RectificationOrder] {
        try await RectificationOrder.query(on: db).filter(\.$inspection.$id == inspection).with(\.$item).all()
            .sorted { $0.item.position < $1.item.position }
    }

    /// Orders still open or awaiting verification, within the caller's scope; overdue first.
    func openOrders(company: UUID? = nil) async throws -> [RectificationOrder] {
        // The caller's scope is the inspection's: joined, not read ahead.
        let joined = RectificationOrder.query(on: db).join(InspectionRecord.self, on: \RectificationOrder.$inspection.$id == \InspectionRecord.$id)
            .filter(\.$status ~~ [.open, .reported]).with(\.$item).with(\.$inspection).with(\.$company)
        guard let query = joined.scoped(to: Policy.inspectionScope(actor), by: ScopeColumns(
            streetOffice: { $0.filter(InspectionRecord.self, \.$streetOffice.$id == $1) },
            company: { $0.filter(InspectionRecord.self, \.$company.$id == $1) })) else { throw DomainError.forbidden }
        if let company { query.filter(\.$company.$id == company) }
        return try await query.sort(\.$deadline).all()
    }

    func photos(of inspection: UUID) async throws -> [InspectionPhoto] {
        try await InspectionPhoto.query(on: db).filter(\.$inspection.$id == inspection)
            .field(\.$id).field(\.$item.$id).field(\.$contentType).field(\.$size).field(\.$inspection.$id).all()
    }

    // MARK: Photos

    static let maxPhotosPerItem = 6

    /// A photo of a failed item's finding, by whoever recorded inspections there.
    func addPhoto(to inspectionID: UUID, position: Int, declaredType: String, data: Data) async throws -> InspectionPhoto {
        let inspection = try await load(inspectionID)
        try Policy.require(actor, .update, resource(inspection), notFound: "inspection")
        guard let item = inspection.items.first(where: { $0.position == position }) else { throw DomainError.notFound("checklist item") }
        guard !item.passed else {
            throw DomainError.validation([FieldError(field: "position", reason: "photos document findings; item \(position + 1) passed")])
        }
        let type = try CasePhotos.checkedType(data, declaredType: declaredType)
        let count = try await InspectionPhoto.query(on: db).filter(\.$item.$id == item.requireID()).count()
        guard count < Self.maxPhotosPerItem else {
            throw DomainError(.conflict, code: "too_many_photos", message: "a finding may have at most \(Self.maxPhotosPerItem) photos")
        }
        let photo = InspectionPhoto()
        photo.$inspection.id = inspectionID
        photo.$item.id = try item.requireID()
        photo.contentType = type
        photo.size = data.count
        photo.data = data
        try await db.transaction { tx in
            try await photo.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "inspectionPhoto", entityID: photo.id,
                                      after: ["inspection": inspection.number, "item": String(position + 1), "type": type, "size": String(data.count)], at: now)
        }
        return photo
    }

    func photo(_ inspectionID: UUID, _ photoID: UUID) async throws -> InspectionPhoto {
        _ = try await load(inspectionID)
        guard let photo = try await InspectionPhoto.query(on: db).filter(\.$id == photoID).filter(\.$inspection.$id == inspectionID).first() else {
            throw DomainError.notFound("photo")
        }
        return photo
    }
}

// MARK: Rectification

extension InspectionService {
    private func order(_ id: UUID) async throws -> (RectificationOrder, InspectionRecord) {
        guard let order = try await RectificationOrder.query(on: db).filter(\.$id == id).with(\.$item).first() else {
            throw DomainError.notFound("rectification order")
        }
        // The inspection as Policy and the verdict need it, without the relations a page shows.
        guard let inspection = try await InspectionRecord.find(order.$inspection.id, on: db), Policy.allows(actor, .read, resource(inspection)) else {
            throw DomainError.notFound("inspection")
        }
        return (order, inspection)
    }

    /// Company staff say what they did. Only an open order takes a report.
    func report(order id: UUID, text: String) async throws -> RectificationOrder {
        guard let order = try await RectificationOrder.query(on: db).filter(\.$id == id).with(\.$item).first() else {
            throw DomainError.notFound("rectification order")
        }
        try Policy.require(actor, .create, .rectificationReport(companyID: order.$company.id), notFound: "rectification order")
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (4...2000).contains(text.count) else {
            throw DomainError.validation([FieldError(field: "report", reason: "say what was done, 4 to 2000 characters")])
        }
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let claimed = try await Claim.rows(sql.update(RectificationOrder.schema).set("status", to: RectificationOrder.Status.reported.rawValue)
                .set("report", to: text).set("reported_by", to: actor.username).set("reported_at", to: now)
                .where("id", .equal, id).where("status", .equal, RectificationOrder.Status.open.rawValue))
            guard claimed == 1 else {
                throw DomainError(.conflict, code: "order_not_open", message: "this order is \(order.status.rawValue), not open")
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "rectificationOrder", entityID: id,
                                      after: ["status": "reported", "report": text], at: now)
        }
        order.status = .reported
        order.report = text
        order.reportedBy = actor.username
        order.reportedAt = now
        return order
    }

    /// The inspecting side checks the work: rectified closes the order; not rectified closes
    /// it as a refusal, which costs a property company the rule set's `refusedRectification`
    /// points. A verdict is given once (a claim on the order's status).
    func verify(order id: UUID, rectified: Bool, note: String) async throws -> RectificationOrder {
        let (order, inspection) = try await order(id)
        try Policy.require(actor, .update, resource(inspection), notFound: "inspection")
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...2000).contains(note.count) else {
            throw DomainError.validation([FieldError(field: "note", reason: "say what you found, 2 to 2000 characters")])
        }
        if !rectified, today <= order.deadline, order.status == .open {
            throw DomainError.validation([FieldError(field: "rectified", reason: "the company has until \(order.deadline) to put it right")])
        }
        let status: RectificationOrder.Status = rectified ? .rectified : .notRectified
        let rules = try await CreditRuleSets.current(on: db).rules
        // A site's builder is not graded: its refusal stays on its own record.
        let graded = inspection.$project.id == nil ? order.$company.id : nil
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let claimed = try await Claim.rows(sql.update(RectificationOrder.schema).set("status", to: status.rawValue)
                .set("verification", to: note).set("verified_by", to: actor.username).set("verified_at", to: now)
                .where("id", .equal, id).where("status", .in, [RectificationOrder.Status.open.rawValue, RectificationOrder.Status.reported.rawValue]))
            guard claimed == 1 else {
                throw DomainError(.conflict, code: "order_closed", message: "this order was verified already (\(order.status.rawValue))")
            }
            if !rectified, let company = graded {
                try await CreditEventEntry.make(
                    company: company, kind: .refusedRectification, points: rules.points(.refusedRectification), effective: today, rules: rules,
                    source: "考评 \(inspection.number)：\(order.deadline) 前未整改 — \(order.item.title)",
                    sourceKey: "rectification:\(id)", recordedBy: actor.username
                ).create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "rectificationOrder", entityID: id,
                                      after: ["status": status.rawValue, "verification": note], at: now)
        }
        if !rectified, let company = graded {
            try await CreditService(db: db, actor: actor, now: now).enforceBlacklist([company], rules: rules)
        }
        order.status = status
        order.verification = note
        order.verifiedBy = actor.username
        order.verifiedAt = now
        return order
    }
}

// MARK: Look-backs

extension InspectionService {
    struct LookBackRow: Sendable {
        var compound: Compound
        var candidate: LookBack.Candidate
        var due: Bool
    }

    /// 回头看: compounds with at least `minimum` cases received in the last `days` days, most
    /// concentrated (per 100 households) first, with their last inspection. The bureau sees
    /// the district, a street officer their street office.
    func lookBacks(days: Int, minimum: Int) async throws -> [LookBackRow] {
        try Policy.require(actor, .read, .lookBack, notFound: "look-back")
        var errors: [FieldError] = []
        if !(7...365).contains(days) { errors.append(FieldError(field: "days", reason: "must be 7 to 365")) }
        if !(2...1000).contains(minimum) { errors.append(FieldError(field: "minimum", reason: "must be 2 to 1000")) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let calendar = Calendar.shanghai
        let sinceDay = calendar.day(calendar.date(byAdding: .day, value: -days, to: now) ?? now)
        let since = calendar.start(of: sinceDay) ?? now
        let office: UUID? = if case .streetOffice(let id) = Policy.lookBackScope(actor) { id } else { nil }
        struct Count: Decodable { var compound_id: UUID; var n: Int }
        let counts = try await sql.raw("""
            SELECT compound_id, COUNT(*) AS n FROM cases
            WHERE received_at >= \(bind: since) AND received_at <= \(bind: now)
            \(office.map { SQLQueryString("AND street_office_id = \(bind: $0)") } ?? "")
            GROUP BY compound_id HAVING COUNT(*) >= \(bind: minimum)
            """).all(decoding: Count.self)
        guard !counts.isEmpty else { return [] }
        let ids = counts.map(\.compound_id)
        let compounds = Dictionary(uniqueKeysWithValues: try await Compound.query(on: db).filter(\.$id ~~ ids).with(\.$company).with(\.$streetOffice).all().map { (try $0.requireID(), $0) })
        struct Last: Decodable { var compound_id: UUID; var day: String }
        let last = Dictionary(uniqueKeysWithValues: try await sql.raw("""
            SELECT compound_id, MAX(day) AS day FROM inspections WHERE compound_id IN (\(binds: ids)) GROUP BY compound_id
            """).all(decoding: Last.self).map { ($0.compound_id, $0.day) })
        let candidates = counts.compactMap { count in
            compounds[count.compound_id].map { LookBack.Candidate(compoundID: count.compound_id, cases: count.n, households: $0.households,
                                                                   lastInspection: last[count.compound_id]) }
        }
        return LookBack.rank(candidates, minimum: minimum, since: sinceDay).map {
            LookBackRow(compound: compounds[$0.candidate.compoundID]!, candidate: $0.candidate, due: $0.due)
        }
    }
}
