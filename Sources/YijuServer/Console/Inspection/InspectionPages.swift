import Foundation
import YijuCore

/// An inspection as a row of a list (the inspections page, a company's file).
struct InspectionRow: Encodable {
    var link: String, number: String, day: String, kind: String, template: String, target: String, company: String, score: String

    /// Expects the inspection's compound, area or project, and its company, loaded.
    init(_ r: InspectionRecord, _ t: [String: String]) throws {
        link = ConsolePath.inspection(.value(try r.requireID())).path
        number = r.number
        day = r.day
        kind = t["inspectionKind." + r.kind.rawValue] ?? r.kind.rawValue
        template = r.templateName
        target = r.$compound.value??.name ?? r.$area.value??.code ?? r.$project.value??.name ?? "—"
        company = r.$company.value??.name ?? "—"
        score = r.score.pointsText()
    }
}

/// A rectification order as a row of a list of open orders.
struct RectificationRow: Encodable {
    var inspectionLink: String, number: String, item: String, finding: String, company: String, deadline: String, status: String, overdue: Bool

    /// Needs the order's item, inspection and company loaded.
    init(_ order: RectificationOrder, _ t: [String: String], today: String) {
        inspectionLink = ConsolePath.inspection(.value(order.$inspection.id)).path
        number = order.inspection.number
        item = order.item.title
        finding = order.item.finding ?? ""
        company = order.company?.name ?? "—"
        deadline = order.deadline
        status = t["rectification." + order.status.rawValue] ?? order.status.rawValue
        overdue = order.status == .open && order.deadline < today
    }
}

/// 考评's start page: the form that starts an inspection, open orders, look-back
/// candidates and recent inspections.
struct InspectionsPage: Encodable {
    struct LookBackRow: Encodable {
        var compoundLink: String, code: String, name: String, street: String, company: String, cases: Int, perHundred: String
        var lastInspection: String, due: Bool
        /// Starts the look-back inspection with the first checklist.
        var inspectLink: String
    }

    var mayInspect: Bool
    var templates: [Option]
    var kinds: [Option]
    var compounds: [Option]
    var orders: [RectificationRow]
    var lookBacks: [LookBackRow]?
    var lookBackWindow: String
    var days: Int, minimum: Int
    var inspections: [InspectionRow]
    var errors: [FieldError] = []
    var links = Links()

    struct Links: Encodable {
        var start = ConsolePath.newInspection.path
        var lookBacks = ConsolePath.inspections.path
        var checklists = ConsolePath.inspectionTemplates.path
    }

    /// `lookBacks` nil when the actor does not inspect; `compounds` those the actor may inspect.
    init(templates: [InspectionTemplate], compounds: [Compound], orders: [RectificationOrder], lookBacks: [InspectionService.LookBackRow]?,
         inspections: [InspectionRecord], days: Int, minimum: Int, actor: Actor, today: String, _ t: [String: String]) throws {
        mayInspect = Policy.mayInspect(actor)
        // 文明施工 checklists start from a renovation project's diary, where the site is known.
        self.templates = try templates.filter { $0.category != .construction }.map { Option(value: try $0.requireID().uuidString, label: $0.name) }
        kinds = InspectionRecord.Kind.allCases.map { Option(value: $0.rawValue, label: t["inspectionKind." + $0.rawValue]!) }
        self.compounds = compounds.map { Option(value: $0.code, label: "\($0.code) \($0.name)") }
        self.orders = orders.map { RectificationRow($0, t, today: today) }
        let firstTemplate = self.templates.first?.value ?? ""
        self.lookBacks = try lookBacks?.map {
            LookBackRow(compoundLink: ConsolePath.compound(.value(try $0.compound.requireID())).path, code: $0.compound.code, name: $0.compound.name,
                        street: $0.compound.streetOffice.name, company: $0.compound.company?.name ?? "—", cases: $0.candidate.cases,
                        perHundred: String(format: "%.1f", $0.candidate.perHundredHouseholds), lastInspection: $0.candidate.lastInspection ?? "—",
                        due: $0.due,
                        inspectLink: ConsolePath.newInspection.with(["template": firstTemplate, "compound": $0.compound.code, "kind": "lookBack"]))
        }
        lookBackWindow = String(format: t["lookBackWindow"]!, days, minimum)
        self.days = days
        self.minimum = minimum
        self.inspections = try inspections.map { try InspectionRow($0, t) }
    }
}

/// The inspector's checklist form: one column, big targets, a photo per finding.
struct InspectionFormPage: Encodable {
    struct Item: Encodable {
        var index: Int, number: Int, title: String, weight: Int
        var failed: Bool, finding: String, rectifyBy: String
    }

    /// What was filled in before, by item: failed, finding, rectify-by.
    typealias Filled = [Int: (failed: Bool, finding: String, rectifyBy: String)]

    var templateID: String, templateName: String, version: Int
    /// What is inspected: a compound (by code) or a renovation site (by project id).
    struct Target: Encodable {
        var field: String, value: String, code: String, name: String
        /// Whose credit the failures touch; nil for a compound without a professional company.
        var creditApplies: Bool
        /// A site's builder, who gets the orders.
        var builder: String?

        init(_ compound: Compound) {
            field = "compound"
            value = compound.code
            code = compound.code
            name = compound.name
            creditApplies = compound.management == .professional && compound.$company.id != nil
        }

        init(_ project: RenovationProject, builder: String) throws {
            field = "project"
            value = try project.requireID().uuidString
            code = project.code
            name = project.name
            creditApplies = false
            self.builder = builder
        }
    }

    var target: Target
    var kind: String
    var day: String
    var note: String
    var items: [Item]
    var count: Int
    var errors: [FieldError]
    var action = ConsolePath.inspections.path

    init(template: InspectionTemplate, target: Target, kind: String, day: String, note: String, filled: Filled, errors: [FieldError]) throws {
        templateID = try template.requireID().uuidString
        templateName = template.name
        version = template.version
        self.target = target
        self.kind = kind == "lookBack" ? "lookBack" : "routine"
        self.day = day
        self.note = note
        items = template.items.enumerated().map { i, item in
            let v = filled[i]
            return Item(index: i, number: i + 1, title: item.title, weight: item.weight, failed: v?.failed ?? false,
                        finding: v?.finding ?? "", rectifyBy: v?.rectifyBy ?? "")
        }
        count = items.count
        self.errors = errors
    }
}

/// An inspection: its items with findings and photos, and its orders with the company's
/// report and the verification.
struct InspectionPage: Encodable {
    struct Item: Encodable {
        var number: Int, title: String, weight: Int, passed: Bool, finding: String, photos: [String]
    }

    struct Order: Encodable {
        var number: Int, item: String, deadline: String, status: String, overdue: Bool
        var report: String, reportedBy: String, verification: String, verifiedBy: String
        var mayReport: Bool, mayVerify: Bool
        var reportAction: String, verifyAction: String
    }

    var summary: InspectionRow
    var inspector: String, note: String, street: String
    var companyLink: String?
    var items: [Item]
    var orders: [Order]
    var errors: [FieldError]

    /// Expects the inspection's items, compound or area, company and street office loaded,
    /// its orders' items; `photos` are the photos' ids by item.
    init(_ record: InspectionRecord, orders: [RectificationOrder], photos: [UUID: [UUID]], actor: Actor, today: String,
         errors: [FieldError], _ t: [String: String]) throws {
        let id = try record.requireID()
        let inspecting = Policy.allows(actor, .update, .inspection(streetOfficeID: record.$streetOffice.id, companyID: record.$company.id))
        summary = try InspectionRow(record, t)
        inspector = record.inspector
        note = record.note ?? ""
        street = record.streetOffice.name
        companyLink = record.$company.id.map { ConsolePath.company(.value($0)).path }
        items = try record.items.map { item in
            Item(number: item.position + 1, title: item.title, weight: item.weight, passed: item.passed, finding: item.finding ?? "",
                 photos: (photos[try item.requireID()] ?? []).map { ConsolePath.inspectionPhoto(.value(id), photo: .value($0)).path })
        }
        self.orders = try orders.map { o in
            let order = try o.requireID()
            return Order(number: o.item.position + 1, item: o.item.title, deadline: o.deadline,
                         status: t["rectification." + o.status.rawValue] ?? o.status.rawValue, overdue: o.status == .open && o.deadline < today,
                         report: o.report ?? "", reportedBy: o.reportedBy ?? "", verification: o.verification ?? "", verifiedBy: o.verifiedBy ?? "",
                         mayReport: o.status == .open && Policy.allows(actor, .create, .rectificationReport(companyID: o.$company.id)),
                         mayVerify: inspecting && (o.status == .open || o.status == .reported),
                         reportAction: ConsolePath.rectification(inspection: .value(id), order: .value(order), .report).path,
                         verifyAction: ConsolePath.rectification(inspection: .value(id), order: .value(order), .verify).path)
        }
        self.errors = errors
    }
}

/// The checklists (考评表), each versioned, and the editor the bureau keeps them with.
struct ChecklistsPage: Encodable {
    struct Row: Encodable {
        var code: String, name: String, category: String, categoryKey: String, version: Int, active: Bool, itemsText: String
        var items: [ChecklistItem]
        var rows: Int
    }

    var templates: [Row]
    var categories: [Option]
    var mayEdit: Bool
    var errors: [FieldError]
    var action = ConsolePath.inspectionTemplates.path

    init(templates: [InspectionTemplate], actor: Actor, errors: [FieldError], _ t: [String: String]) {
        self.templates = templates.map {
            Row(code: $0.code, name: $0.name, category: t["category." + $0.category.rawValue] ?? $0.category.rawValue, categoryKey: $0.category.rawValue,
                version: $0.version, active: $0.active, itemsText: $0.items.map { "\($0.weight) | \($0.title)" }.joined(separator: "\n"), items: $0.items,
                rows: max($0.items.count, 3))
        }
        categories = ChecklistCategory.allCases.map { Option(value: $0.rawValue, label: t["category." + $0.rawValue] ?? $0.rawValue) }
        mayEdit = Policy.allows(actor, .update, .inspectionTemplate)
        self.errors = errors
    }
}
