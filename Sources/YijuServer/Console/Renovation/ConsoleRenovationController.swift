import Fluent
import Foundation
import Vapor
import YijuCore

/// 旧改 in the console: the projects, a project planned from compounds (their gaps the draft
/// scope), its page with the plan's form and the steps, a compound's facilities inventory,
/// and the settings. Forms post flat fields (`item3`, `fund.residents`) and re-render with
/// the errors, naming the line, on a rule violation.
struct ConsoleRenovationController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovation.routeComponents, use: index)
        routes.get(ConsolePath.renovationFiguresCSV.routeComponents, use: figuresCSV)
        routes.get(ConsolePath.renovationFiguresXLSX.routeComponents, use: figuresXLSX)
        routes.get(ConsolePath.newRenovationProject.routeComponents, use: newForm)
        routes.post(ConsolePath.renovation.routeComponents, use: create)
        routes.get(ConsolePath.renovationSettings.routeComponents, use: settings)
        routes.post(ConsolePath.renovationSettings.routeComponents, use: saveSettings)
        routes.get(ConsolePath.renovationProject(.key).routeComponents, use: show)
        routes.post(ConsolePath.renovationProject(.key, .plan).routeComponents, use: savePlan)
        routes.post(ConsolePath.renovationProject(.key, .transitions).routeComponents, use: take)
        routes.post(ConsolePath.renovationProject(.key, .engagements).routeComponents, use: saveEngagements)
        routes.get(ConsolePath.compoundFacilities(.key).routeComponents, use: facilities)
        routes.post(ConsolePath.compoundFacilities(.key).routeComponents, use: saveFacilities)
    }

    // MARK: Projects

    func index(req: Request) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let status = req.query[String.self, at: "status"].flatMap(ProjectStatus.init(rawValue:))
        let year = req.query[Int.self, at: "year"]
        let projects = try await service.list(.init(status: status, year: year))
        let content = try RenovationIndexPage(projects, status: status?.rawValue, year: year.map(String.init) ?? "",
                                              figures: try await figures(req, year: year), actor: service.actor, t)
        return try await req.renderPage("renovation", title: t["renovationProjects"]!, nav: .renovationProjects, content: content)
    }

    /// The figures of the year batch (all years when none), as the page shows them.
    private func figures(_ req: Request, year: Int?) async throws -> FiguresPanel {
        let service = try service(req)
        return FiguresPanel(try await service.figures(.init(fromYear: year, toYear: year)), catalogue: try await service.settings().settings.catalogue,
                            year: year.map(String.init) ?? "", req.language.strings)
    }

    func figuresCSV(req: Request) async throws -> Response {
        let year = req.query[Int.self, at: "year"]
        return download(try await figures(req, year: year).csv, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                        name: "renovation-figures\(year.map { "-\($0)" } ?? "").csv")
    }

    func figuresXLSX(req: Request) async throws -> Response {
        let year = req.query[Int.self, at: "year"]
        return downloadWorkbook(try await figures(req, year: year).xlsx, name: "renovation-figures\(year.map { "-\($0)" } ?? "").xlsx")
    }

    func newForm(req: Request) async throws -> View {
        var chosen = Set<UUID>()
        if let compound = req.query[UUID.self, at: "compound"] { chosen.insert(compound) }
        return try await renderNew(req, office: req.query[UUID.self, at: "office"], chosen: chosen, form: [:], funding: [], errors: [])
    }

    private func renderNew(_ req: Request, office: UUID?, chosen: Set<UUID>, form: [String: String], funding: [Funding],
                           errors: [FieldError]) async throws -> View {
        let service = try service(req)
        guard Policy.mayPlanRenovation(service.actor) else { throw DomainError.forbidden }
        let lang = req.language
        // A street officer plans at home; the bureau picks the street office first.
        let own = Policy.officerStreetOffice(service.actor)
        let office = own ?? office
        let offices = own == nil ? try await StreetOffice.query(on: req.db).sort(\.$code).all() : nil
        var compounds: [Compound] = []
        if let office { compounds = try await Compound.query(on: req.db).filter(\.$streetOffice.$id == office).sort(\.$code).all() }
        let content = try NewProjectPage(offices: offices, officeID: office, compounds: compounds, chosen: chosen, form: form, funding: funding,
                                         today: service.today, errors: errors, lang)
        return try await req.renderPage("renovation-new", title: lang.strings["newRenovationProject"]!, nav: .renovationProjects, content: content)
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let chosen = Set(form.keys.filter { $0.hasPrefix("compound.") }.compactMap { UUID(uuidString: String($0.dropFirst("compound.".count))) })
        var created: UUID?
        var funding: [Funding] = []
        let response = try await saving(req, back: ConsolePath.renovation.path, render: { req, errors in
            try await renderNew(req, office: form["office"].flatMap(UUID.init(uuidString:)), chosen: chosen, form: form, funding: funding, errors: errors)
        }) {
            var errors: [FieldError] = []
            let budget = Self.fen(form["budget"], field: "budget", required: true, &errors)
            funding = Self.funding(form, &errors)
            let year = Int(form["year"] ?? "")
            if year == nil { errors.append(FieldError(field: "year", reason: "must be a year like 2026")) }
            let households = Self.optionalInt(form["households"], field: "households", &errors)
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            let plan = RenovationService.Plan(name: form["name"] ?? "", budget: budget ?? 0, funding: funding, scope: nil, households: households,
                                              plannedStart: form["plannedStart"]?.nilIfEmpty, plannedFinish: form["plannedFinish"]?.nilIfEmpty)
            let file = try await service(req).create(.init(code: form["code"] ?? "", year: year ?? 0,
                                                           coverage: chosen.sorted { $0.uuidString < $1.uuidString }.map { .init(compoundID: $0) }, plan: plan))
            created = try file.project.requireID()
        }
        if let created { return req.redirect(to: ConsolePath.renovationProject(.value(created)).path) }
        return response
    }

    func show(req: Request) async throws -> View {
        try await renderShow(req, form: nil, errors: [])
    }

    private func renderShow(_ req: Request, form: [String: String]?, engagementForm: [String: String]? = nil, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let lang = req.language
        let file = try await service.load(try idParameter(req))
        let catalogue = try await service.settings().settings.catalogue
        let contractors = Policy.allows(service.actor, .update, file.resource)
            ? try await Company.query(on: req.db).filter(\.$kind != .property).sort(\.$name).all() : []
        let content = try ProjectPage(file, catalogue: catalogue, contractors: contractors, actor: service.actor, today: service.today,
                                      form: form, engagementForm: engagementForm, errors: errors, lang)
        return try await req.renderPage("renovation-project", title: "\(file.project.code) \(file.project.name)", nav: .renovationProjects, content: content)
    }

    func savePlan(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.renovationProject(.value(id)).path, render: { req, errors in
            try await renderShow(req, form: form, errors: errors)
        }) {
            var errors: [FieldError] = []
            let budget = Self.fen(form["budget"], field: "budget", required: true, &errors)
            let funding = Self.funding(form, &errors)
            let households = Self.optionalInt(form["households"], field: "households", &errors)
            // Lines keep their form number in errors, whichever lines were left empty or removed.
            var lines: [Int] = []
            var scope: [RenovationService.PlannedItem] = []
            let count = FormValues.rowCount(form["count"], limit: 600)
            for i in 0..<count {
                let item = (form["item\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
                if form["remove\(i)"] != nil || item.isEmpty { continue }
                let quantity = Double((form["quantity\(i)"] ?? "").replacingOccurrences(of: ",", with: ""))
                if quantity == nil { errors.append(FieldError(field: "quantity\(i)", reason: "line \(i + 1): a number, like 40 or 29.5")) }
                let cost = Self.fen(form["cost\(i)"], field: "cost\(i)", line: i, required: false, &errors)
                let compound = form["compound\(i)"]?.nilIfEmpty.flatMap(UUID.init(uuidString:))
                lines.append(i)
                scope.append(.init(compoundID: compound, item: ScopeItem(item: item, quantity: quantity ?? 0, cost: cost ?? 0, note: form["note\(i)"]?.nilIfEmpty)))
            }
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            let plan = RenovationService.Plan(name: form["name"] ?? "", budget: budget ?? 0, funding: funding, scope: scope, households: households,
                                              plannedStart: form["plannedStart"]?.nilIfEmpty, plannedFinish: form["plannedFinish"]?.nilIfEmpty)
            do {
                _ = try await service(req).updatePlan(id, plan)
            } catch let error as DomainError where error.kind == .invalid {
                throw DomainError.validation(error.fields.map { Self.lineNumbered($0, lines) })
            }
        }
    }

    func take(req: Request) async throws -> Response {
        struct Form: Content { var transition: String; var reason: String?; var day: String? }
        let form = try req.content.decode(Form.self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.renovationProject(.value(id)).path, render: { req, errors in
            try await renderShow(req, form: nil, errors: errors)
        }) {
            guard let transition = ProjectTransition(rawValue: form.transition) else {
                throw DomainError.validation([FieldError(field: "transition", reason: "pick a step")])
            }
            _ = try await service(req).take(transition, on: id, reason: form.reason, day: form.day?.nilIfEmpty)
        }
    }

    func saveEngagements(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.renovationProject(.value(id)).path + "#engagements", render: { req, errors in
            try await renderShow(req, form: nil, engagementForm: form, errors: errors)
        }) {
            _ = try await service(req).saveEngagements(id, try EngagementSection.engagements(form))
        }
    }

    // MARK: Facilities

    func facilities(req: Request) async throws -> View {
        try await renderFacilities(req, form: nil, errors: [])
    }

    private func renderFacilities(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let id = try idParameter(req)
        let inventory = try await service.inventory(of: id)
        let content = try FacilitiesPage(inventory, catalogue: try await service.settings().settings.catalogue,
                                         projects: try await service.list(.init(compoundID: id)), actor: service.actor, form: form, errors: errors, t)
        return try await req.renderPage("compound-facilities", title: "\(inventory.compound.name) · \(t["facilities"]!)", nav: .compounds, content: content)
    }

    func saveFacilities(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.compoundFacilities(.value(id)).path, render: { req, errors in
            try await renderFacilities(req, form: form, errors: errors)
        }) {
            let service = try service(req)
            var errors: [FieldError] = []
            var facilities: [Facility] = []
            for item in try await service.settings().settings.catalogue.items {
                let text = (form["quantity.\(item.code)"] ?? "").replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                guard let quantity = Double(text) else {
                    errors.append(FieldError(field: "quantity.\(item.code)", reason: "\(item.nameZh): a number, like 40 or 29.5"))
                    continue
                }
                facilities.append(Facility(item: item.code, quantity: quantity,
                                           condition: FacilityCondition(rawValue: form["condition.\(item.code)"] ?? "") ?? .good))
            }
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            _ = try await service.saveInventory(of: id, facilities)
        }
    }

    // MARK: Settings

    func settings(req: Request) async throws -> View {
        try await renderSettings(req, form: nil, errors: [])
    }

    private func renderSettings(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let content = try RenovationSettingsPage(try await service.settings(), actor: service.actor, form: form,
                                                 saved: req.query[String.self, at: "saved"] != nil, errors: errors, t)
        return try await req.renderPage("renovation-settings", title: t["renovationSettings"]!, nav: .renovationProjects, content: content)
    }

    func saveSettings(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.renovationSettings.with(["saved": "1"]), render: { req, errors in
            try await renderSettings(req, form: form, errors: errors)
        }) {
            var errors: [FieldError] = []
            var items: [CatalogueItem] = []
            let count = FormValues.rowCount(form["count"], limit: 500)
            for i in 0..<count {
                let code = (form["code\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
                let nameZh = (form["nameZh\(i)"] ?? "").trimmingCharacters(in: .whitespaces)
                if code.isEmpty && nameZh.isEmpty { continue }
                items.append(CatalogueItem(code: code, nameZh: nameZh, nameEn: (form["nameEn\(i)"] ?? "").trimmingCharacters(in: .whitespaces),
                                           category: WorkItemCategory(rawValue: form["category\(i)"] ?? "") ?? .basic,
                                           unit: (form["unit\(i)"] ?? "").trimmingCharacters(in: .whitespaces)))
            }
            var indicators: [StandardIndicator] = []
            do {
                indicators = try JSONDecoder().decode([StandardIndicator].self, from: Data((form["standard"] ?? "").utf8))
            } catch {
                errors.append(FieldError(field: "standard", reason: "is not a list of indicators in JSON: \(Self.describe(error))"))
            }
            var rules = RenovationRules()
            for (key, path) in [("minimumResponseShare", \RenovationRules.minimumResponseShare), ("minimumSatisfiedShare", \RenovationRules.minimumSatisfiedShare)] {
                guard let value = Double(form[key] ?? "") else { errors.append(FieldError(field: "rules.\(key)", reason: "a share like 0.9")); continue }
                rules[keyPath: path] = value
            }
            if let days = Int(form["noticeDays"] ?? "") { rules.noticeDays = days } else { errors.append(FieldError(field: "rules.noticeDays", reason: "a number of days")) }
            rules.site = SiteRulesForm.rules(form, &errors)
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            _ = try await service(req).updateSettings(RenovationSettings(catalogue: WorkItemCatalogue(items: items), standard: CommunityStandard(indicators: indicators),
                                                                         rules: rules), note: form["note"])
        }
    }

    // MARK: Reading the forms

    /// A yuan field in fen; records an error naming the field when it is not an amount.
    private static func fen(_ text: String?, field: String, line: Int? = nil, required: Bool, _ errors: inout [FieldError]) -> Int? {
        let text = (text ?? "").trimmingCharacters(in: .whitespaces)
        let prefix = line.map { "line \($0 + 1): " } ?? ""
        if text.isEmpty {
            if required { errors.append(FieldError(field: field, reason: prefix + "is required, in yuan")) }
            return required ? nil : 0
        }
        guard let fen = FormValues.fen(text) else {
            errors.append(FieldError(field: field, reason: prefix + "an amount in yuan, like 1200000 or 1200000.50"))
            return nil
        }
        return fen
    }

    private static func optionalInt(_ text: String?, field: String, _ errors: inout [FieldError]) -> Int? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let value = Int(text) else {
            errors.append(FieldError(field: field, reason: "a whole number"))
            return nil
        }
        return value
    }

    /// The sources given an amount (`fund.<source>`, `fundNote.<source>`), in the sources' order.
    private static func funding(_ form: [String: String], _ errors: inout [FieldError]) -> [Funding] {
        FundingSource.allCases.compactMap { source in
            guard let text = form["fund.\(source.rawValue)"], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let fen = fen(text, field: "fund.\(source.rawValue)", required: true, &errors) else { return nil }
            return Funding(source: source, fen: fen, note: form["fundNote.\(source.rawValue)"]?.nilIfEmpty)
        }
    }

    /// `scope[2].quantity` of the plan as sent is the form's line `lines[2]`: name that line
    /// and its field as the form calls it (`quantity5`, `cost5`, `compound5`).
    private static func lineNumbered(_ error: FieldError, _ lines: [Int]) -> FieldError {
        guard let match = error.field.firstMatch(of: /^scope\[(\d+)\]\.(\w+)$/), let k = Int(match.1), k < lines.count else { return error }
        let field = ["costFen": "cost", "compoundId": "compound"][String(match.2)] ?? String(match.2)
        return FieldError(field: "\(field)\(lines[k])", reason: "line \(lines[k] + 1): \(error.reason)")
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): c.debugDescription
        case DecodingError.keyNotFound(let key, let c): "\(key.stringValue) is missing at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: "\(error)"
        }
    }
}
