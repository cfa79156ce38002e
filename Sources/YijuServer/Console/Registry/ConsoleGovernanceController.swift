import Vapor
import YijuCore

/// A compound's governance in the console (居民自治): read by whoever reads the compound,
/// phones masked for all but its keepers, who edit it on the same page.
struct ConsoleGovernanceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.compoundGovernance(.key).routeComponents, use: show)
        routes.post(ConsolePath.compoundGovernance(.key).routeComponents, use: save)
    }

    func show(req: Request) async throws -> View {
        try await render(req, form: nil, errors: [])
    }

    private func render(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let loaded = try await service.governance(of: try idParameter(req))
        let compound = loaded.compound
        let mayEdit = Policy.allows(service.actor, .update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id))
        let t = req.language.strings
        let content = try GovernancePage(loaded, mayEdit: mayEdit, today: Calendar.shanghai.day(service.now), form: form,
                                         errors: form.map { GovernancePage.formErrors(errors, $0) } ?? errors, t)
        return try await req.renderPage("compound-governance", title: "\(compound.name) · \(t["governance"]!)", nav: .compounds, content: content)
    }

    func save(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.compoundGovernance(.value(id)).path, render: { req, errors in
            try await render(req, form: form, errors: errors)
        }) {
            _ = try await req.registry.saveGovernance(of: id, try GovernancePage.governance(form))
        }
    }
}
