import Fluent
import Vapor
import YijuCore

/// The compound registry in the console: list with search and filters, the compound
/// file with its small map, create and edit forms, the district map.
struct ConsoleCompoundsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.compounds.routeComponents, use: list)
        routes.get(ConsolePath.newCompound.routeComponents, use: newForm)
        routes.post(ConsolePath.compounds.routeComponents, use: create)
        routes.get(ConsolePath.compound(.key).routeComponents, use: show)
        routes.get(ConsolePath.editCompound(.key).routeComponents, use: editForm)
        routes.post(ConsolePath.compound(.key).routeComponents, use: update)
        routes.get(ConsolePath.map.routeComponents, use: map)
    }

    func list(req: Request) async throws -> View {
        let service = try req.registry
        let params = try req.query.decode([String: String].self)
        let pageNumber = max(1, Int(params["page"] ?? "1") ?? 1)
        var filter = RegistryService.CompoundFilter(limit: CompoundListPage.pageSize, offset: (pageNumber - 1) * CompoundListPage.pageSize)
        filter.q = params["q"]
        filter.streetOfficeID = params["street"].flatMap(UUID.init(uuidString:))
        filter.kind = params["kind"].flatMap(CompoundKind.init(rawValue:))
        filter.management = params["management"].flatMap(ManagementMode.init(rawValue:))
        filter.renovation = params["renovation"].flatMap(RenovationState.init(rawValue:))
        let page = try await service.compounds(filter)
        let content = try CompoundListPage(items: page.items, total: page.total, params: params,
                                           offices: try await visibleStreetOffices(service), actor: service.actor, req.language)
        return try await req.renderPage("compounds", title: req.language.strings["compounds"]!, nav: .compounds, content: content)
    }

    /// The street offices an actor picks from: their own when they are scoped to one.
    func visibleStreetOffices(_ service: RegistryService) async throws -> [StreetOffice] {
        let all = try await service.streetOffices()
        switch Policy.registryScope(service.actor) {
        case .streetOffice(let id): return all.filter { $0.id == id }
        default: return all
        }
    }

    func show(req: Request) async throws -> View {
        let service = try req.registry
        let compound = try await service.compound(try idParameter(req))
        let id = try compound.requireID()
        let map = try await DistrictMap(service: service).svg(streetOfficeID: nil, link: { ConsolePath.compound(.value($0)).path },
                                                              highlight: id, focusRadiusMetres: 700)
        let areas = try await ZoningPlanService(app: req.application, actor: service.actor).areaHistory(compoundID: id)
        var content = try CompoundPage(compound, areas: areas, map: map, actor: service.actor, req.language)
        content.facts.append(CompoundPage.governanceFact(try await RegistryService.governanceRecord(id, on: req.db)?.governance,
                                                         today: Calendar.shanghai.day(service.now), req.language.strings))
        return try await req.renderPage("compound", title: compound.name, nav: .compounds, content: content)
    }

    // MARK: Create and edit

    func newForm(req: Request) async throws -> View {
        let service = try req.registry
        var values: [String: String] = ["kind": "estate", "renovation": "none", "management": "abandoned"]
        if let id = service.actor.streetOfficeID { values["streetOfficeId"] = id.uuidString }
        return try await renderForm(req, service: service, id: nil, values: values, errors: [])
    }

    func editForm(req: Request) async throws -> View {
        let service = try req.registry
        let compound = try await service.compound(try idParameter(req))
        try service.authorize(.update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        return try await renderForm(req, service: service, id: compound.id, values: CompoundFormPage.values(of: compound), errors: [])
    }

    func create(req: Request) async throws -> Response {
        let service = try req.registry
        let form = try req.content.decode([String: String].self)
        do {
            let (values, referenceErrors) = try await recordValues(form, service: service, includeCode: true)
            let compound = try await service.createCompound(values, referenceErrors: referenceErrors)
            return req.redirect(to: ConsolePath.compound(.value(try compound.requireID())).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await unprocessable(try await renderForm(req, service: service, id: nil, values: form, errors: error.fields), for: req)
        }
    }

    func update(req: Request) async throws -> Response {
        let service = try req.registry
        let id = try idParameter(req)
        let form = try req.content.decode([String: String].self)
        do {
            let (values, referenceErrors) = try await recordValues(form, service: service, includeCode: false)
            _ = try await service.updateCompound(id, values, referenceErrors: referenceErrors)
            return req.redirect(to: ConsolePath.compound(.value(id)).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await unprocessable(try await renderForm(req, service: service, id: id, values: form, errors: error.fields), for: req)
        }
    }

    /// Form fields → the interchange field values the compound rules check.
    func recordValues(_ form: [String: String], service: RegistryService, includeCode: Bool) async throws -> ([String: RawValue], [FieldError]) {
        var values = FormValues.raw(form, keys: ["name", "kind", "address", "lon", "lat", "floorArea", "households", "buildings",
                                                 "yearBuilt", "renovation", "management"])
        if includeCode { values["id"] = FormValues.raw(form, keys: ["code"])["code"] ?? .null }
        let street = form["streetOfficeId"].flatMap { $0.isEmpty ? nil : $0 }
        if street == nil { values["street"] = .null }
        let referenceErrors = try await service.addReferences(to: &values, streetOfficeId: street, communityId: form["communityId"] ?? "",
                                                              companyId: form["companyId"] ?? "")
        return (values, referenceErrors)
    }

    func renderForm(_ req: Request, service: RegistryService, id: UUID?, values: [String: String], errors: [FieldError]) async throws -> View {
        let lang = req.language
        let content = try CompoundFormPage(id: id, values: values, errors: errors, offices: try await visibleStreetOffices(service),
                                           communities: try await service.communities(streetOfficeID: nil),
                                           companies: try await service.companies(), lang)
        let title = id == nil ? lang.strings["newCompound"]! : "\(lang.strings["edit"]!) \(values["name"] ?? "")"
        return try await req.renderPage("compound-form", title: title, nav: .compounds, content: content)
    }

    // MARK: Map

    func map(req: Request) async throws -> View {
        let service = try req.registry
        let street = req.query[String.self, at: "street"].flatMap(UUID.init(uuidString:))
        let byRenovation = req.query[String.self, at: "colour"] == MapPage.renovationColouring
        var marks: [UUID: DistrictMap.ProjectMark]?
        if byRenovation {
            let t = req.language.strings
            let projects = try await RenovationService(db: req.db, actor: service.actor, now: service.now).projectsByCompound()
            marks = try projects.mapValues { p in
                DistrictMap.ProjectMark(status: p.status, label: "\(p.code) \(t["projectStatus." + p.status.rawValue]!)",
                                        link: ConsolePath.renovationProject(.value(try p.requireID())).path)
            }
        }
        let svg = try await DistrictMap(service: service).svg(streetOfficeID: street, link: { ConsolePath.compound(.value($0)).path }, projects: marks)
        let content = try MapPage(svg: svg, offices: try await visibleStreetOffices(service), street: street, byRenovation: byRenovation, req.language)
        return try await req.renderPage("map", title: req.language.strings["map"]!, nav: .map, content: content)
    }
}
