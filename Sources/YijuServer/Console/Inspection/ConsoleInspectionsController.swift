import Fluent
import Foundation
import Vapor
import YijuCore

/// 考评 in the console: the inspector's checklist form (one column, big targets, a photo
/// per finding straight from the phone's camera), the inspection page with its orders, the
/// company's report and the verification, look-back candidates and the checklist editor.
struct ConsoleInspectionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.inspections.routeComponents, use: index)
        routes.get(ConsolePath.newInspection.routeComponents, use: newForm)
        // Up to one 5 MB photo per item on a phone's slow upload: room for a dozen.
        routes.on(.POST, ConsolePath.inspections.routeComponents, body: .collect(maxSize: "64mb"), use: create)
        routes.get(ConsolePath.inspection(.key).routeComponents, use: show)
        routes.get(ConsolePath.inspectionPhoto(.key, photo: .key).routeComponents, use: photo)
        routes.post(ConsolePath.rectification(inspection: .key, order: .key, .report).routeComponents, use: report)
        routes.post(ConsolePath.rectification(inspection: .key, order: .key, .verify).routeComponents, use: verify)
        routes.get(ConsolePath.inspectionTemplates.routeComponents, use: templateIndex)
        routes.post(ConsolePath.inspectionTemplates.routeComponents, use: saveTemplate)
    }

    private func service(_ req: Request) throws -> InspectionService {
        InspectionService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }

    // MARK: The list: open orders, look-backs, recent inspections

    func index(req: Request) async throws -> View {
        let service = try service(req)
        let actor = service.actor
        let t = req.language.strings
        let days = min(max(req.query[Int.self, at: "days"] ?? 90, 7), 365)
        let minimum = min(max(req.query[Int.self, at: "minimum"] ?? 5, 2), 1000)
        let mayInspect = Policy.mayInspect(actor)
        let lookBacks = mayInspect ? Array(try await service.lookBacks(days: days, minimum: minimum).prefix(30)) : nil
        var compounds: [Compound] = []
        if mayInspect {
            let query = Compound.query(on: req.db).sort(\.$code)
            if let office = Policy.officerStreetOffice(actor) { query.filter(\.$streetOffice.$id == office) }
            compounds = try await query.all()
        }
        let content = try InspectionsPage(
            templates: try await service.templates(), compounds: compounds, orders: try await service.openOrders(), lookBacks: lookBacks,
            inspections: try await service.list(.init(limit: 100)), days: days, minimum: minimum, actor: actor, today: service.today, t)
        return try await req.renderPage("inspections", title: t["inspections"]!, nav: .inspections, content: content)
    }

    // MARK: The checklist form

    func newForm(req: Request) async throws -> View {
        try await renderForm(req, form: nil, errors: [])
    }

    /// What the inspector filled in, keyed by item: `verdict3`, `finding3`, `rectifyBy3`, `photo3`.
    struct Submission: Decodable {
        var templateId: String
        /// A compound's code, or a renovation project's id for a site inspection.
        var compound: String
        var project: String
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
            compound = try c.decodeIfPresent(String.self, forKey: Key("compound")) ?? ""
            project = try c.decodeIfPresent(String.self, forKey: Key("project")) ?? ""
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
        guard Policy.mayInspect(service.actor) else { throw DomainError.forbidden }
        let t = req.language.strings
        let templateID = form?.templateId ?? req.query[String.self, at: "template"] ?? ""
        let code = (form?.compound ?? req.query[String.self, at: "compound"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let id = UUID(uuidString: templateID) else {
            throw DomainError.validation([FieldError(field: "template", reason: "pick a checklist")])
        }
        let template = try await service.template(id)
        let project = form?.project ?? req.query[String.self, at: "project"] ?? ""
        let target = project.isEmpty ? InspectionFormPage.Target(try await Self.compound(code, on: req.db)) : try await siteTarget(req, project)
        let content = try InspectionFormPage(
            template: template, target: target, kind: form?.kind ?? req.query[String.self, at: "kind"] ?? "routine",
            day: form?.day ?? service.today, note: form?.note ?? "",
            filled: (form?.verdicts ?? [:]).mapValues { ($0.failed, $0.finding, $0.rectifyBy) }, errors: errors)
        return try await req.renderPage("inspection-new", title: "\(t["newInspection"]!) · \(template.name)", nav: .inspections, content: content)
    }

    /// The compound a form names: the datalist's label is "code name", the code its first word.
    static func compound(_ text: String, on db: any Database) async throws -> Compound {
        let code = String(text.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        guard let compound = try await Compound.query(on: db).filter(\.$code == code).first() else {
            throw DomainError.validation([FieldError(field: "compound", reason: "no compound has the code \(code.isEmpty ? "(empty)" : code)")])
        }
        return compound
    }

    /// A renovation site the inspector may read, with its builder named.
    private func siteTarget(_ req: Request, _ project: String) async throws -> InspectionFormPage.Target {
        guard let id = UUID(uuidString: project) else { throw DomainError.notFound("renovation project") }
        let file = try await RenovationService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now()).load(id)
        let builder = file.builder.map { "\($0.company.name)（\($0.leadName) \($0.leadPhone)）" }
        return try InspectionFormPage.Target(file.project, builder: builder ?? "—")
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(Submission.self)
        let service = try service(req)
        var created: InspectionRecord?
        let response = try await saving(req, back: ConsolePath.inspections.path, render: { req, errors in try await renderForm(req, form: form, errors: errors) }) {
            guard let templateID = UUID(uuidString: form.templateId) else { throw DomainError.notFound("inspection template") }
            let projectID = form.project.isEmpty ? nil : UUID(uuidString: form.project)
            if !form.project.isEmpty, projectID == nil { throw DomainError.notFound("renovation project") }
            let compoundID = projectID == nil ? try await Self.compound(form.compound, on: req.db).id : nil
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
            let record = try await service.inspect(.init(templateID: templateID, compoundID: compoundID, projectID: projectID, kind: form.kind == "lookBack" ? .lookBack : .routine,
                                                         day: form.day?.nilIfEmpty, note: form.note, verdicts: verdicts))
            for (i, v) in form.verdicts.sorted(by: { $0.key < $1.key }) {
                guard let photo = v.photo else { continue }
                let data = Data(buffer: photo.data)
                _ = try await service.addPhoto(to: try record.requireID(), position: i, declaredType: CasePhotos.sniff(data) ?? "image/jpeg", data: data)
            }
            created = record
        }
        if let created { return req.redirect(to: ConsolePath.inspection(.value(try created.requireID())).path) }
        return response
    }

    // MARK: The inspection page

    func show(req: Request) async throws -> View {
        try await renderShow(req, errors: [])
    }

    func renderShow(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let record = try await service.load(try idParameter(req))
        let id = try record.requireID()
        let photos = Dictionary(grouping: try await service.photos(of: id)) { $0.$item.id }.mapValues { $0.compactMap(\.id) }
        let content = try InspectionPage(record, orders: try await service.orders(of: id), photos: photos, actor: service.actor,
                                         today: service.today, errors: errors, t)
        return try await req.renderPage("inspection", title: "\(t["inspection"]!) \(record.number)", nav: .inspections, content: content)
    }

    func photo(req: Request) async throws -> Response {
        guard let photoID = req.parameters.get("photo", as: UUID.self) else { throw DomainError.notFound("photo") }
        let photo = try await service(req).photo(try idParameter(req), photoID)
        return photoResponse(photo.data, type: photo.contentType)
    }

    private func orderParameter(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("order", as: UUID.self) else { throw DomainError.notFound("rectification order") }
        return id
    }

    func report(req: Request) async throws -> Response {
        struct Form: Content { var report: String }
        let form = try req.content.decode(Form.self)
        let back = ConsolePath.inspection(.value(try idParameter(req))).path
        return try await saving(req, back: back, render: renderShow) {
            _ = try await service(req).report(order: try orderParameter(req), text: form.report)
        }
    }

    func verify(req: Request) async throws -> Response {
        struct Form: Content { var outcome: String; var note: String }
        let form = try req.content.decode(Form.self)
        let back = ConsolePath.inspection(.value(try idParameter(req))).path
        return try await saving(req, back: back, render: renderShow) {
            _ = try await service(req).verify(order: try orderParameter(req), rectified: form.outcome == "rectified", note: form.note)
        }
    }

    // MARK: Checklists

    func templateIndex(req: Request) async throws -> View {
        try await renderTemplates(req, errors: [])
    }

    func renderTemplates(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let content = ChecklistsPage(templates: try await service.templates(includeInactive: true), actor: service.actor, errors: errors, t)
        return try await req.renderPage("inspection-templates", title: t["inspectionTemplates"]!, nav: .inspections, content: content)
    }

    func saveTemplate(req: Request) async throws -> Response {
        struct Form: Content { var code: String; var name: String; var category: String; var items: String; var active: String? }
        let form = try req.content.decode(Form.self)
        return try await saving(req, back: ConsolePath.inspectionTemplates.path, render: renderTemplates) {
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
