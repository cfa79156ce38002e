import Fluent
import Foundation
import Vapor
import YijuCore

/// 考评 in the console: the inspector's checklist form (one column, big targets, a photo
/// per finding straight from the phone's camera), the inspection page with its orders, the
/// company's report and the verification, look-back candidates and the checklist editor.
struct ConsoleInspectionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let inspections = routes.grouped("inspections")
        inspections.get(use: index)
        inspections.get("new", use: newForm)
        // Up to one 5 MB photo per item on a phone's slow upload: room for a dozen.
        inspections.on(.POST, body: .collect(maxSize: "64mb"), use: create)
        inspections.get(":id", use: show)
        inspections.get(":id", "photos", ":photo", use: photo)
        inspections.post(":id", "orders", ":order", "report", use: report)
        inspections.post(":id", "orders", ":order", "verify", use: verify)
        let templates = routes.grouped("inspection-templates")
        templates.get(use: templateIndex)
        templates.post(use: saveTemplate)
    }

    private func service(_ req: Request) throws -> InspectionService {
        InspectionService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }

    private static func mayInspect(_ actor: Actor) -> Bool { Policy.mayInspect(actor) }

    // MARK: The list: open orders, look-backs, recent inspections

    struct InspectionRow: Encodable {
        var id: String, number: String, day: String, kind: String, template: String, target: String, company: String, score: String
    }

    struct OrderRow: Encodable {
        var inspectionID: String, number: String, item: String, finding: String, company: String, deadline: String, status: String, overdue: Bool

        /// Needs the order's item, inspection and company loaded.
        init(_ order: RectificationOrder, _ t: [String: String], today: String) {
            inspectionID = order.$inspection.id.uuidString
            number = order.inspection.number
            item = order.item.title
            finding = order.item.finding ?? ""
            company = order.company?.name ?? "—"
            deadline = order.deadline
            status = t["rectification." + order.status.rawValue] ?? order.status.rawValue
            overdue = order.status == .open && order.deadline < today
        }
    }

    struct LookBackRow: Encodable {
        var compoundID: String, code: String, name: String, street: String, company: String, cases: Int, perHundred: String
        var lastInspection: String, due: Bool
    }

    struct IndexContent: Encodable {
        var mayInspect: Bool
        var templates: [Option]
        /// What a look-back's "inspect" link opens with; the inspector can pick another.
        var defaultTemplate: String
        var kinds: [Option]
        var compounds: [Option]
        var orders: [OrderRow]
        var lookBacks: [LookBackRow]?
        var lookBackWindow: String
        var days: Int, minimum: Int
        var inspections: [InspectionRow]
        var errors: [FieldError]
    }

    func index(req: Request) async throws -> View {
        let service = try service(req)
        let actor = service.actor
        let lang = req.language
        let t = lang.strings
        let days = min(max(req.query[Int.self, at: "days"] ?? 90, 7), 365)
        let minimum = min(max(req.query[Int.self, at: "minimum"] ?? 5, 2), 1000)
        let lookBacks = Self.mayInspect(actor) ? try await service.lookBacks(days: days, minimum: minimum).prefix(30).map {
            LookBackRow(compoundID: $0.compound.id!.uuidString, code: $0.compound.code, name: $0.compound.name, street: $0.compound.streetOffice.name,
                        company: $0.compound.company?.name ?? "—", cases: $0.candidate.cases,
                        perHundred: String(format: "%.1f", $0.candidate.perHundredHouseholds), lastInspection: $0.candidate.lastInspection ?? "—", due: $0.due)
        } : nil
        let orders = try await service.openOrders().map { OrderRow($0, t, today: service.today) }
        let inspections = try await service.list(.init(limit: 100)).map { Self.row($0, t) }
        let templates = try await service.templates().map { Option(value: $0.id!.uuidString, label: $0.name) }
        var compounds: [Option] = []
        if Self.mayInspect(actor) {
            let query = Compound.query(on: req.db).sort(\.$code)
            if let office = Policy.officerStreetOffice(actor) { query.filter(\.$streetOffice.$id == office) }
            compounds = try await query.all().map { Option(value: $0.code, label: "\($0.code) \($0.name)") }
        }
        return try await req.renderPage("inspections", title: t["inspections"]!, nav: "inspections", content: IndexContent(
            mayInspect: Self.mayInspect(actor), templates: templates, defaultTemplate: templates.first?.value ?? "",
            kinds: InspectionRecord.Kind.allCases.map { Option(value: $0.rawValue, label: t["inspectionKind." + $0.rawValue]!) }, compounds: compounds, orders: orders,
            lookBacks: lookBacks.map(Array.init), lookBackWindow: String(format: t["lookBackWindow"]!, days, minimum), days: days, minimum: minimum,
            inspections: inspections, errors: []))
    }

    static func row(_ r: InspectionRecord, _ t: [String: String]) -> InspectionRow {
        InspectionRow(id: r.id!.uuidString, number: r.number, day: r.day, kind: t["inspectionKind." + r.kind.rawValue] ?? r.kind.rawValue,
                      template: r.templateName, target: r.$compound.value??.name ?? r.$area.value??.code ?? "—",
                      company: r.$company.value??.name ?? "—", score: r.score.pointsText())
    }

    // MARK: The checklist form

    struct FormItem: Encodable {
        var index: Int, number: Int, title: String, weight: Int
        var failed: Bool, finding: String, rectifyBy: String
    }

    struct FormContent: Encodable {
        var templateID: String, templateName: String, version: Int
        var compoundCode: String, compoundName: String
        var kind: String
        var day: String
        var note: String
        var creditApplies: Bool
        var items: [FormItem]
        var count: Int
        var errors: [FieldError]
    }

    func newForm(req: Request) async throws -> View {
        try await renderForm(req, form: nil, errors: [])
    }

    /// What the inspector filled in, keyed by item: `verdict3`, `finding3`, `rectifyBy3`, `photo3`.
    struct Submission: Decodable {
        var templateId: String
        var compound: String
        var kind: String?
        var day: String?
        var note: String?
        var count: Int
        var verdicts: [Int: (failed: Bool, finding: String, rectifyBy: String, photo: File?)] = [:]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            templateId = try c.decode(String.self, forKey: Key("templateId"))
            compound = try c.decode(String.self, forKey: Key("compound"))
            kind = try c.decodeIfPresent(String.self, forKey: Key("kind"))
            day = try c.decodeIfPresent(String.self, forKey: Key("day"))
            note = try c.decodeIfPresent(String.self, forKey: Key("note"))
            count = min(max(try c.decode(Int.self, forKey: Key("count")), 0), Checklist.maxItems)
            for i in 0..<count {
                let photo = try? c.decodeIfPresent(File.self, forKey: Key("photo\(i)"))
                verdicts[i] = (try c.decodeIfPresent(String.self, forKey: Key("verdict\(i)")) == "fail",
                               try c.decodeIfPresent(String.self, forKey: Key("finding\(i)")) ?? "",
                               try c.decodeIfPresent(String.self, forKey: Key("rectifyBy\(i)")) ?? "",
                               photo.flatMap { $0.data.readableBytes > 0 ? $0 : nil })
            }
        }
    }

    func renderForm(_ req: Request, form: Submission?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        guard Self.mayInspect(service.actor) else { throw DomainError.forbidden }
        let t = req.language.strings
        let templateID = form?.templateId ?? req.query[String.self, at: "template"] ?? ""
        let code = (form?.compound ?? req.query[String.self, at: "compound"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let id = UUID(uuidString: templateID) else {
            throw DomainError.validation([FieldError(field: "template", reason: "pick a checklist")])
        }
        let template = try await service.template(id)
        // The datalist's label is "code name"; the code is the first word.
        let compoundCode = String(code.split(separator: " ").first ?? "")
        guard let compound = try await Compound.query(on: req.db).filter(\.$code == compoundCode).first() else {
            throw DomainError.validation([FieldError(field: "compound", reason: "no compound has the code \(compoundCode.isEmpty ? "(empty)" : compoundCode)")])
        }
        let kind = form?.kind ?? req.query[String.self, at: "kind"] ?? "routine"
        let items = template.items.enumerated().map { i, item in
            let v = form?.verdicts[i]
            return FormItem(index: i, number: i + 1, title: item.title, weight: item.weight, failed: v?.failed ?? false,
                            finding: v?.finding ?? "", rectifyBy: v?.rectifyBy ?? "")
        }
        return try await req.renderPage("inspection-new", title: "\(t["newInspection"]!) · \(template.name)", nav: "inspections", content: FormContent(
            templateID: id.uuidString, templateName: template.name, version: template.version, compoundCode: compound.code, compoundName: compound.name,
            kind: kind == "lookBack" ? "lookBack" : "routine", day: form?.day ?? service.today, note: form?.note ?? "",
            creditApplies: compound.management == .professional && compound.$company.id != nil, items: items, count: items.count, errors: errors))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(Submission.self)
        let service = try service(req)
        var created: InspectionRecord?
        let response = try await saving(req, back: "/console/inspections", render: { req, errors in try await renderForm(req, form: form, errors: errors) }) {
            guard let templateID = UUID(uuidString: form.templateId) else { throw DomainError.notFound("inspection template") }
            let code = String(form.compound.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
            guard let compound = try await Compound.query(on: req.db).filter(\.$code == code).first() else { throw DomainError.notFound("compound") }
            // The photos are checked before anything is written, so a bad file keeps the form.
            for (i, v) in form.verdicts.sorted(by: { $0.key < $1.key }) {
                guard let photo = v.photo else { continue }
                let data = Data(buffer: photo.data)
                do {
                    _ = try CasePhotos.checkedType(data, declaredType: CasePhotos.sniff(data) ?? "image/jpeg")
                } catch let error as DomainError {
                    throw DomainError.validation([FieldError(field: "photo\(i)", reason: "item \(i + 1): \(error.message)")])
                }
                if !v.failed {
                    throw DomainError.validation([FieldError(field: "photo\(i)", reason: "item \(i + 1) passed; photos document findings")])
                }
            }
            let verdicts = (0..<form.count).map { i in
                let v = form.verdicts[i]
                return ItemVerdict(passed: !(v?.failed ?? false), finding: v?.finding.nilIfEmpty,
                                   rectifyBy: v.flatMap { $0.failed ? $0.rectifyBy.trimmingCharacters(in: .whitespaces).nilIfEmpty : nil })
            }
            let record = try await service.inspect(.init(templateID: templateID, compoundID: compound.id, kind: form.kind == "lookBack" ? .lookBack : .routine,
                                                         day: form.day?.nilIfEmpty, note: form.note, verdicts: verdicts))
            for (i, v) in form.verdicts.sorted(by: { $0.key < $1.key }) {
                guard let photo = v.photo else { continue }
                let data = Data(buffer: photo.data)
                _ = try await service.addPhoto(to: record.id!, position: i, declaredType: CasePhotos.sniff(data) ?? "image/jpeg", data: data)
            }
            created = record
        }
        if let created { return req.redirect(to: "/console/inspections/\(created.id!.uuidString)") }
        return response
    }

    // MARK: The inspection page

    struct ItemRow: Encodable {
        var number: Int, title: String, weight: Int, passed: Bool, finding: String, photos: [String]
    }

    struct OrderDetail: Encodable {
        var id: String, number: Int, item: String, deadline: String, status: String, overdue: Bool
        var report: String, reportedBy: String, verification: String, verifiedBy: String
        var mayReport: Bool, mayVerify: Bool
    }

    struct ShowContent: Encodable {
        var id: String
        var summary: InspectionRow
        var inspector: String, note: String, street: String
        var companyID: String?
        var items: [ItemRow]
        var orders: [OrderDetail]
        var errors: [FieldError]
    }

    func show(req: Request) async throws -> View {
        try await renderShow(req, errors: [])
    }

    func renderShow(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let actor = service.actor
        let t = req.language.strings
        let record = try await service.load(try idParameter(req))
        let id = record.id!.uuidString
        let photos = Dictionary(grouping: try await service.photos(of: record.id!)) { $0.$item.id }
        let inspecting = Policy.allows(actor, .update, .inspection(streetOfficeID: record.$streetOffice.id, companyID: record.$company.id))
        let orders = try await service.orders(of: record.id!).map { o in
            OrderDetail(id: o.id!.uuidString, number: o.item.position + 1, item: o.item.title, deadline: o.deadline,
                        status: t["rectification." + o.status.rawValue] ?? o.status.rawValue, overdue: o.status == .open && o.deadline < service.today,
                        report: o.report ?? "", reportedBy: o.reportedBy ?? "", verification: o.verification ?? "", verifiedBy: o.verifiedBy ?? "",
                        mayReport: o.status == .open && Policy.allows(actor, .create, .rectificationReport(companyID: o.$company.id)),
                        mayVerify: inspecting && (o.status == .open || o.status == .reported))
        }
        return try await req.renderPage("inspection", title: "\(t["inspection"]!) \(record.number)", nav: "inspections", content: ShowContent(
            id: id, summary: Self.row(record, t), inspector: record.inspector, note: record.note ?? "", street: record.streetOffice.name,
            companyID: record.$company.id?.uuidString,
            items: record.items.map { item in
                ItemRow(number: item.position + 1, title: item.title, weight: item.weight, passed: item.passed, finding: item.finding ?? "",
                        photos: (photos[item.id!] ?? []).map { "/console/inspections/\(id)/photos/\($0.id!.uuidString)" })
            },
            orders: orders, errors: errors))
    }

    func photo(req: Request) async throws -> Response {
        guard let photoID = req.parameters.get("photo", as: UUID.self) else { throw DomainError.notFound("photo") }
        let photo = try await service(req).photo(try idParameter(req), photoID)
        let response = Response(status: .ok, body: .init(data: photo.data))
        response.headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
        return response
    }

    private func orderParameter(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("order", as: UUID.self) else { throw DomainError.notFound("rectification order") }
        return id
    }

    func report(req: Request) async throws -> Response {
        struct Form: Content { var report: String }
        let form = try req.content.decode(Form.self)
        let back = "/console/inspections/\(try idParameter(req).uuidString)"
        return try await saving(req, back: back, render: renderShow) {
            _ = try await service(req).report(order: try orderParameter(req), text: form.report)
        }
    }

    func verify(req: Request) async throws -> Response {
        struct Form: Content { var outcome: String; var note: String }
        let form = try req.content.decode(Form.self)
        let back = "/console/inspections/\(try idParameter(req).uuidString)"
        return try await saving(req, back: back, render: renderShow) {
            _ = try await service(req).verify(order: try orderParameter(req), rectified: form.outcome == "rectified", note: form.note)
        }
    }

    // MARK: Checklists

    struct TemplateRow: Encodable {
        var code: String, name: String, category: String, categoryKey: String, version: Int, active: Bool, itemsText: String
        var items: [ChecklistItem]
        var rows: Int
    }

    struct TemplatesContent: Encodable {
        var templates: [TemplateRow]
        var categories: [Option]
        var mayEdit: Bool
        var errors: [FieldError]
    }

    func templateIndex(req: Request) async throws -> View {
        try await renderTemplates(req, errors: [])
    }

    func renderTemplates(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let rows = try await service.templates(includeInactive: true).map {
            TemplateRow(code: $0.code, name: $0.name, category: t["category." + $0.category.rawValue] ?? $0.category.rawValue, categoryKey: $0.category.rawValue,
                        version: $0.version, active: $0.active, itemsText: $0.items.map { "\($0.weight) | \($0.title)" }.joined(separator: "\n"), items: $0.items,
                        rows: max($0.items.count, 3))
        }
        return try await req.renderPage("inspection-templates", title: t["inspectionTemplates"]!, nav: "inspections", content: TemplatesContent(
            templates: rows, categories: ChecklistCategory.allCases.map { Option(value: $0.rawValue, label: t["category." + $0.rawValue] ?? $0.rawValue) },
            mayEdit: Policy.allows(service.actor, .update, .inspectionTemplate), errors: errors))
    }

    func saveTemplate(req: Request) async throws -> Response {
        struct Form: Content { var code: String; var name: String; var category: String; var items: String; var active: String? }
        let form = try req.content.decode(Form.self)
        return try await saving(req, back: "/console/inspection-templates", render: renderTemplates) {
            var errors: [FieldError] = []
            let category = ChecklistCategory(rawValue: form.category)
            if category == nil { errors.append(FieldError(field: "category", reason: "pick a category")) }
            var items: [ChecklistItem] = []
            for (n, line) in form.items.split(whereSeparator: \.isNewline).enumerated() {
                let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let weight = Int(parts[0]) else {
                    errors.append(FieldError(field: "items", reason: "line \(n + 1): write it as weight | item"))
                    continue
                }
                items.append(ChecklistItem(title: parts[1], weight: weight))
            }
            guard errors.isEmpty, let category else { throw DomainError.validation(errors) }
            _ = try await service(req).saveTemplate(Checklist(code: form.code.trimmingCharacters(in: .whitespaces), name: form.name, category: category, items: items),
                                                    active: form.active != nil)
        }
    }
}
