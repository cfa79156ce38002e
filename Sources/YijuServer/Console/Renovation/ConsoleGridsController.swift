import Fluent
import Vapor
import YijuCore

/// Renovation grids in the console (改造网格): the list, a grid's page (roster, compounds,
/// work) with its street office's edit form, and a new grid — which the bureau draws after
/// choosing the street office, as it plans a project.
struct ConsoleGridsController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovationGrids.routeComponents, use: list)
        routes.get(ConsolePath.newRenovationGrid.routeComponents, use: newForm)
        routes.post(ConsolePath.newRenovationGrid.routeComponents, use: create)
        routes.get(ConsolePath.renovationGrid(.key).routeComponents, use: show)
        routes.post(ConsolePath.renovationGrid(.key).routeComponents, use: update)
    }

    func list(req: Request) async throws -> View {
        let service = try service(req)
        let content = try GridsPage(try await service.grids(), mayCreate: Policy.mayPlanRenovation(service.actor))
        return try await req.renderPage("renovation-grids", title: req.language.strings["renovationGrids"]!, nav: .renovationProjects, content: content)
    }

    func show(req: Request) async throws -> View {
        try await render(req, form: nil, errors: [])
    }

    private func render(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let file = try await service.grid(try idParameter(req))
        let candidates = Policy.allows(service.actor, .update, file.resource)
            ? try await service.gridCandidates(streetOfficeID: file.grid.$streetOffice.id, grid: file.grid.id) : nil
        let content = try GridPage(file, candidates: candidates, form: form,
                                   errors: form.map { GridPage.formErrors(errors, $0) } ?? errors, t)
        return try await req.renderPage("renovation-grid", title: "\(file.grid.code) \(file.grid.name)", nav: .renovationProjects, content: content)
    }

    func update(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.renovationGrid(.value(id)).path, render: { req, errors in
            try await render(req, form: form, errors: errors)
        }) {
            _ = try await service(req).updateGrid(id, try GridPage.draft(form))
        }
    }

    func newForm(req: Request) async throws -> View {
        try await renderNew(req, office: req.query[UUID.self, at: "office"], form: nil, errors: [])
    }

    private func renderNew(_ req: Request, office chosen: UUID?, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        guard Policy.mayPlanRenovation(service.actor) else { throw DomainError.forbidden }
        let t = req.language.strings
        // A street officer draws at home; the bureau picks the street office first.
        let own = Policy.officerStreetOffice(service.actor)
        let all = own == nil ? try await StreetOffice.query(on: req.db).sort(\.$code).all() : []
        let office = own ?? chosen ?? all.first?.id
        let offices = own == nil ? try all.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == office) } : nil
        guard let office else { throw DomainError.notFound("street office") }
        let content = try GridPage(newGridOffices: offices, candidates: try await service.gridCandidates(streetOfficeID: office, grid: nil),
                                   form: form, errors: form.map { GridPage.formErrors(errors, $0) } ?? errors, t)
        return try await req.renderPage("renovation-grid", title: t["newRenovationGrid"]!, nav: .renovationProjects, content: content)
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let own = Policy.officerStreetOffice(try service(req).actor)
        let office = own ?? form["office"].flatMap(UUID.init(uuidString:))
        var created: UUID?
        let response = try await saving(req, back: ConsolePath.renovationGrids.path, render: { req, errors in
            try await renderNew(req, office: office, form: form, errors: errors)
        }) {
            guard let office else { throw DomainError.validation([FieldError(field: "office", reason: "choose the street office")]) }
            created = try await service(req).createGrid(try GridPage.draft(form), streetOfficeID: office).grid.requireID()
        }
        if let created { return req.redirect(to: ConsolePath.renovationGrid(.value(created)).path) }
        return response
    }
}
