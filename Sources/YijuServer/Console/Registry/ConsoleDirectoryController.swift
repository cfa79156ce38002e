import Fluent
import Vapor
import YijuCore

/// Street offices with their communities, companies, departments and barriers.
struct ConsoleDirectoryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.streetOffices.routeComponents, use: streetOffices)
        routes.post(ConsolePath.streetOffices.routeComponents, use: createStreetOffice)
        routes.post(ConsolePath.streetOffice(.key).routeComponents, use: updateStreetOffice)
        routes.post(ConsolePath.communities(ofStreetOffice: .key).routeComponents, use: addCommunity)
        routes.post(ConsolePath.community(.key).routeComponents, use: renameCommunity)
        routes.get(ConsolePath.companies.routeComponents, use: companies)
        routes.post(ConsolePath.companies.routeComponents, use: createCompany)
        routes.get(ConsolePath.company(.key).routeComponents, use: company)
        routes.post(ConsolePath.company(.key).routeComponents, use: updateCompany)
        routes.get(ConsolePath.departments.routeComponents, use: departments)
        routes.post(ConsolePath.departments.routeComponents, use: createDepartment)
        routes.post(ConsolePath.department(.key).routeComponents, use: updateDepartment)
        routes.get(ConsolePath.barriers.routeComponents, use: barriers)
        routes.post(ConsolePath.barriers.routeComponents, use: createBarrier)
        routes.post(ConsolePath.barrier(.key).routeComponents, use: updateBarrier)
    }

    // MARK: Street offices

    func streetOffices(req: Request) async throws -> View {
        try await renderOffices(req, errors: [])
    }

    func renderOffices(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let counts = RegistryCounts(db: req.db)
        let content = try StreetOfficesPage(
            offices: try await service.streetOffices(), communities: try await service.communities(streetOfficeID: nil),
            compoundsPerOffice: try await counts.compoundsPerStreetOffice(), compoundsPerCommunity: try await counts.compoundsPerCommunity(),
            actor: service.actor, errors: errors)
        return try await req.renderPage("street-offices", title: req.language.strings["streetOffices"]!, nav: .streetOffices, content: content)
    }

    func updateStreetOffice(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.streetOffices.path, render: renderOffices) {
            _ = try await req.registry.updateStreetOffice(try idParameter(req), .init(
                name: form["name"], address: .some(form["address"]), phone: .some(form["phone"])))
        }
    }

    func createStreetOffice(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.streetOffices.path, render: renderOffices) {
            _ = try await req.registry.createStreetOffice(.init(code: form["code"], name: form["name"], address: .some(form["address"]),
                                                                phone: .some(form["phone"]), outline: nil))
        }
    }

    func renameCommunity(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.streetOffices.path, render: renderOffices) {
            _ = try await req.registry.updateCommunity(try idParameter(req), name: form["name"] ?? "")
        }
    }

    func addCommunity(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.streetOffices.path, render: renderOffices) {
            _ = try await req.registry.createCommunity(streetOfficeID: try idParameter(req), name: form["name"] ?? "")
        }
    }

    // MARK: Companies

    func companies(req: Request) async throws -> View {
        try await renderCompanies(req, errors: [])
    }

    func renderCompanies(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let now = req.application.clock.now()
        let halfYearAgo = Calendar.shanghai.day(Calendar.shanghai.date(byAdding: .month, value: -6, to: now)!)
        let credit = try await CreditService(db: req.db, actor: service.actor, now: now).statements(on: [Calendar.shanghai.day(now), halfYearAgo])
        let content = try CompaniesPage(companies: try await service.companies(), totals: try await RegistryCounts(db: req.db).compoundsPerCompany(),
                                        credit: credit, actor: service.actor, errors: errors, req.language)
        return try await req.renderPage("companies", title: req.language.strings["companies"]!, nav: .companies, content: content)
    }

    func createCompany(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.companies.path, render: renderCompanies) {
            _ = try await req.registry.saveCompany(nil, try companyChanges(form, includeRegistration: true))
        }
    }

    /// Company form fields → changes; a number field that is not a number is a field error.
    func companyChanges(_ form: [String: String], includeRegistration: Bool) throws -> RegistryService.CompanyChanges {
        var errors: [FieldError] = []
        func number(_ key: String) -> Int? {
            guard let raw = form[key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            guard let value = Int(raw) else { errors.append(FieldError(field: key, reason: "must be a whole number")); return nil }
            return value
        }
        let changes = RegistryService.CompanyChanges(
            name: form["name"], registrationNumber: includeRegistration ? form["registrationNumber"]?.trimmingCharacters(in: .whitespaces).uppercased() : nil,
            kind: includeRegistration ? try form["kind"].map { raw in
                guard let kind = CompanyKind(rawValue: raw) else { throw DomainError.validation([FieldError(field: "kind", reason: "choose one of the kinds")]) }
                return kind
            } : nil,
            legalRepresentative: .some(form["legalRepresentative"]), phone: .some(form["phone"]),
            staff: number("staff"), serviceStations: number("serviceStations"), machines: number("machines"))
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return changes
    }

    func company(req: Request) async throws -> View {
        try await renderCompany(req, errors: [])
    }

    func renderCompany(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let company = try await service.company(try idParameter(req))
        let id = try company.requireID()
        let now = req.application.clock.now()
        let today = Calendar.shanghai.day(now)
        // Company staff looking at another company see its registry facts only.
        let file: CompanyFile?
        do {
            file = try await CompanyFile.load(id, db: req.db, actor: service.actor, now: now)
        } catch let error as DomainError where error.kind == .notFound {
            file = nil
        }
        let content = try CompanyPage(
            company, totals: try await RegistryCounts(db: req.db).compoundsPerCompany()[id], file: file,
            contracts: try await CompanyFile.contractLines(id, db: req.db, today: today),
            compounds: try await service.compounds(.init(companyID: id, limit: 1_000)).items,
            engagements: try await RenovationEngagement.query(on: req.db).filter(\.$company.$id == id).with(\.$project).all().filter { e in
                Policy.allows(service.actor, .read, RenovationService.resource(e.project, [e], gridMemberIDs: []))
            }.sorted { ($0.project.year, $0.project.code) > ($1.project.year, $1.project.code) },
            actor: service.actor, today: today, errors: errors, req.language)
        return try await req.renderPage("company", title: company.name, nav: .companies, content: content)
    }

    func updateCompany(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.company(.value(id)).path, render: renderCompany) {
            _ = try await req.registry.saveCompany(id, try companyChanges(form, includeRegistration: false))
        }
    }

    // MARK: Departments and barriers

    func departments(req: Request) async throws -> View {
        try await renderDepartments(req, errors: [])
    }

    func renderDepartments(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let content = try DepartmentsPage(departments: try await service.departments(), actor: service.actor, errors: errors, req.language)
        return try await req.renderPage("departments", title: req.language.strings["departments"]!, nav: .departments, content: content)
    }

    func createDepartment(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.departments.path, render: renderDepartments) {
            _ = try await req.registry.saveDepartment(nil, kind: form["kind"].flatMap(DepartmentKind.init(rawValue:)),
                                                      name: form["name"], phone: .some(form["phone"]))
        }
    }

    func updateDepartment(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.departments.path, render: renderDepartments) {
            _ = try await req.registry.saveDepartment(try idParameter(req), kind: nil, name: form["name"], phone: .some(form["phone"]))
        }
    }

    func barriers(req: Request) async throws -> View {
        try await renderBarriers(req, errors: [])
    }

    func renderBarriers(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let content = try BarriersPage(barriers: try await service.barriers(), actor: service.actor, errors: errors, req.language)
        return try await req.renderPage("barriers", title: req.language.strings["barriers"]!, nav: .barriers, content: content)
    }

    func createBarrier(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.barriers.path, render: renderBarriers) {
            _ = try await req.registry.saveBarrier(nil, name: form["name"], kind: form["kind"].flatMap(BarrierKind.init(rawValue:)),
                                                   path: try Self.path(form["path"] ?? ""))
        }
    }

    /// A path typed as one "lon,lat" per line (or separated by ';'), as copied from a GIS tool.
    static func path(_ text: String) throws -> [[Double]] {
        var errors: [FieldError] = []
        let points = text.split(whereSeparator: { $0 == "\n" || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.enumerated().map { index, line -> [Double] in
                let parts = line.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).compactMap { Double($0) }
                if parts.count != 2 { errors.append(FieldError(field: "path[\(index)]", reason: "must be \"lon,lat\", got \"\(line)\"")) }
                return parts
            }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return points
    }

    func updateBarrier(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: ConsolePath.barriers.path, render: renderBarriers) {
            _ = try await req.registry.saveBarrier(try idParameter(req), name: form["name"],
                                                   kind: form["kind"].flatMap(BarrierKind.init(rawValue:)), path: nil)
        }
    }
}
