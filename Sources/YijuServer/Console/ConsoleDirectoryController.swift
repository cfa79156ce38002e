import Fluent
import Vapor
import YijuCore

/// Street offices with their communities, companies, departments and barriers.
struct ConsoleDirectoryController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("street-offices", use: streetOffices)
        routes.post("street-offices", use: createStreetOffice)
        routes.post("street-offices", ":id", use: updateStreetOffice)
        routes.post("street-offices", ":id", "communities", use: addCommunity)
        routes.post("communities", ":id", use: renameCommunity)
        routes.get("companies", use: companies)
        routes.post("companies", use: createCompany)
        routes.get("companies", ":id", use: company)
        routes.post("companies", ":id", use: updateCompany)
        routes.get("departments", use: departments)
        routes.post("departments", use: createDepartment)
        routes.post("departments", ":id", use: updateDepartment)
        routes.get("barriers", use: barriers)
        routes.post("barriers", use: createBarrier)
        routes.post("barriers", ":id", use: updateBarrier)
    }

    // MARK: Street offices

    struct OfficesContent: Encodable {
        var offices: [OfficeRow]
        var errors: [FieldError]
        var canCreate: Bool
    }

    struct OfficeRow: Encodable {
        var id: String
        var code: String
        var name: String
        var address: String
        var phone: String
        var compoundCount: Int
        var communities: [CommunityRow]
        var canEdit: Bool
        var canAddCommunity: Bool
    }

    struct CommunityRow: Encodable {
        var id: String
        var name: String
        var compoundCount: Int
    }

    func streetOffices(req: Request) async throws -> View {
        try await renderOffices(req, errors: [])
    }

    func renderOffices(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let counts = RegistryCounts(db: req.db)
        let perOffice = try await counts.compoundsPerStreetOffice()
        let perCommunity = try await counts.compoundsPerCommunity()
        let communities = try await service.communities(streetOfficeID: nil)
        let rows = try await service.streetOffices().map { office in
            OfficeRow(id: office.id!.uuidString, code: office.code, name: office.name, address: office.address ?? "", phone: office.phone ?? "",
                      compoundCount: perOffice[office.id!] ?? 0,
                      communities: communities.filter { $0.$streetOffice.id == office.id }.map {
                          CommunityRow(id: $0.id!.uuidString, name: $0.name, compoundCount: perCommunity[$0.id!] ?? 0)
                      },
                      canEdit: Policy.decide(service.actor, .update, .streetOffice(id: office.id!)) == .allow,
                      canAddCommunity: Policy.decide(service.actor, .create, .community(streetOfficeID: office.id!)) == .allow)
        }
        return try await req.renderPage("street-offices", title: req.language.strings["streetOffices"]!, nav: "streetOffices",
                                        content: OfficesContent(offices: rows, errors: errors,
                                                                canCreate: Policy.decide(service.actor, .create, .streetOffice(id: UUID())) == .allow))
    }

    func updateStreetOffice(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/street-offices", render: renderOffices) {
            _ = try await req.registry.updateStreetOffice(try idParameter(req), .init(
                name: form["name"], address: .some(form["address"]), phone: .some(form["phone"])))
        }
    }

    func createStreetOffice(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/street-offices", render: renderOffices) {
            _ = try await req.registry.createStreetOffice(.init(code: form["code"], name: form["name"], address: .some(form["address"]),
                                                                phone: .some(form["phone"]), outline: nil))
        }
    }

    func renameCommunity(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/street-offices", render: renderOffices) {
            _ = try await req.registry.updateCommunity(try idParameter(req), name: form["name"] ?? "")
        }
    }

    func addCommunity(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/street-offices", render: renderOffices) {
            _ = try await req.registry.createCommunity(streetOfficeID: try idParameter(req), name: form["name"] ?? "")
        }
    }

    // MARK: Companies

    struct CompaniesContent: Encodable {
        var companies: [CompanyRow]
        var canCreate: Bool
        /// The bureau decides exits; street offices appoint emergency providers.
        var showExits: Bool
        var errors: [FieldError]
    }

    struct CompanyRow: Encodable {
        var id: String
        var name: String
        var registrationNumber: String
        var legalRepresentative: String
        var phone: String
        var staff: Int
        var serviceStations: Int
        var machines: Int
        var compoundCount: Int
        var floorArea: String
        var grade = ""
        var score = ""
        /// Against half a year ago: "+2", "-4.5", "0".
        var trend = ""
        var falling = false
    }

    func companyRow(_ c: Company, _ totals: RegistryCounts.CompanyTotals?) -> CompanyRow {
        CompanyRow(id: c.id!.uuidString, name: c.name, registrationNumber: c.registrationNumber, legalRepresentative: c.legalRepresentative ?? "",
                   phone: c.phone ?? "", staff: c.staff, serviceStations: c.serviceStations, machines: c.machines,
                   compoundCount: totals?.compounds ?? 0, floorArea: Format.area(totals?.floorArea ?? 0))
    }

    func companies(req: Request) async throws -> View {
        try await renderCompanies(req, errors: [])
    }

    func renderCompanies(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let totals = try await RegistryCounts(db: req.db).compoundsPerCompany()
        var rows = try await service.companies().map { companyRow($0, totals[$0.id!]) }
        let now = req.application.clock.now()
        let halfYearAgo = Calendar.shanghai.day(Calendar.shanghai.date(byAdding: .month, value: -6, to: now)!)
        let credit = try await CreditService(db: req.db, actor: service.actor, now: now).statements(on: [Calendar.shanghai.day(now), halfYearAgo])
        for i in rows.indices {
            guard let id = UUID(uuidString: rows[i].id), let pair = credit[id], pair.count == 2 else { continue }
            rows[i].grade = pair[0].grade.rawValue
            rows[i].score = pair[0].score.pointsText()
            rows[i].trend = (pair[0].score - pair[1].score).pointsText(signed: true)
            rows[i].falling = pair[0].score < pair[1].score
        }
        return try await req.renderPage("companies", title: req.language.strings["companies"]!, nav: "companies", content: CompaniesContent(
            companies: rows, canCreate: Policy.decide(service.actor, .create, .company(id: UUID())) == .allow,
            showExits: Policy.allows(service.actor, .read, .exitRecommendation(confirmed: true)), errors: errors))
    }

    func createCompany(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/companies", render: renderCompanies) {
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
            legalRepresentative: .some(form["legalRepresentative"]), phone: .some(form["phone"]),
            staff: number("staff"), serviceStations: number("serviceStations"), machines: number("machines"))
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return changes
    }

    struct CompanyContent: Encodable {
        var company: CompanyRow
        var credit: CreditSection?
        var contracts: [ContractRow]
        var inspections: [ConsoleInspectionsController.InspectionRow]
        var orders: [ConsoleInspectionsController.OrderRow]
        var figures: FiguresSection?
        var areas: [String]
        var compounds: [ConsoleCompoundsController.Row]
        var canEdit: Bool
        var errors: [FieldError]
    }

    /// A contract the company holds or held: current, awarded and not started yet, or ended.
    struct ContractRow: Encodable {
        var code: String
        var fee: String
        var start: String
        var end: String
        var state: String
        var compounds: Int
    }

    /// The company's cases over the last twelve months, against the twelve before.
    struct FiguresSection: Encodable {
        var total: Int, previous: Int, change: String, perThousand: String
        var response: String, resolution: String, satisfaction: String, onTime: String
        var overdue: Int, repeats: Int

        init(_ row: CaseFigures.Row) {
            func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
            total = row.current.total
            previous = row.previous.total
            change = row.change.map { String(format: "%+.0f %%", $0 * 100) } ?? "—"
            perThousand = row.perThousandHouseholds.map { String(format: "%.1f", $0) } ?? "—"
            response = percent(row.current.responseRate)
            resolution = percent(row.current.resolutionRate)
            satisfaction = percent(row.current.satisfactionRate)
            onTime = percent(row.current.onTimeRate)
            overdue = row.current.overdue
            repeats = row.current.repeats
        }
    }

    func company(req: Request) async throws -> View {
        try await renderCompany(req, errors: [])
    }

    func renderCompany(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let company = try await service.company(try idParameter(req))
        let totals = try await RegistryCounts(db: req.db).compoundsPerCompany()
        let compounds = try await service.compounds(.init(companyID: company.id, limit: 1_000)).items
        let lang = req.language
        let now = req.application.clock.now()
        // Company staff looking at another company see its registry facts only.
        let file: CompanyFile?
        do {
            file = try await CompanyFile.load(company.id!, db: req.db, actor: service.actor, now: now)
        } catch let error as DomainError where error.kind == .notFound {
            file = nil
        }
        let contracts = try await CompanyFile.contractLines(company.id!, db: req.db, today: Calendar.shanghai.day(now)).map { line in
            let key = switch line.state { case .current: "contractCurrent"; case .notStarted: "contractPending"; case .ended: "contractEnded" }
            let c = line.contract
            return ContractRow(code: c.code, fee: Format.fen(c.feeRateFen), start: c.startDate, end: c.endDate, state: lang.strings[key] ?? key, compounds: line.compounds)
        }
        let t = lang.strings
        return try await req.renderPage("company", title: company.name, nav: "companies", content: CompanyContent(
            company: companyRow(company, totals[company.id!]), credit: file.map { creditSection(lang, $0.credit) }, contracts: contracts,
            inspections: file?.inspections.map { ConsoleInspectionsController.row($0, t) } ?? [],
            orders: file?.openOrders.map { ConsoleInspectionsController.OrderRow($0, t, today: Calendar.shanghai.day(now)) } ?? [],
            figures: file?.caseFigures.map(FiguresSection.init), areas: file?.areas.map(\.code) ?? [],
            compounds: compounds.map { ConsoleCompoundsController().row($0, lang) },
            canEdit: Policy.decide(service.actor, .update, .company(id: company.id!)) == .allow, errors: errors))
    }

    /// The credit file: score, grade, blacklist, whether it may bid, and every entry explained.
    struct CreditSection: Encodable {
        struct Line: Encodable {
            var kind: String
            var points: String
            var effective: String
            var expires: String
            var source: String
            var status: String
            var counted: Bool
        }

        var day: String
        var score: String
        var grade: String
        var base: String
        var deductions: String
        var bonuses: String
        var blacklisted: Bool
        var blacklistReason: String
        var mayBid: Bool
        var bidRefusal: String
        var ruleVersion: Int
        var lines: [Line]
    }

    func creditSection(_ lang: Language, _ credit: CreditService.CompanyCredit) -> CreditSection {
        let s = credit.statement
        let refusal = lang.refusal(credit.eligibility, grade: s.grade)
        return CreditSection(
            day: s.day, score: s.score.pointsText(), grade: s.grade.rawValue, base: s.base.pointsText(),
            deductions: s.deductions.pointsText(), bonuses: s.bonuses.pointsText(signed: true),
            blacklisted: credit.blacklist != nil, blacklistReason: credit.blacklist.map { "\($0.since): \($0.reason)" } ?? "",
            mayBid: credit.eligibility == .eligible, bidRefusal: refusal, ruleVersion: credit.ruleVersion,
            lines: s.lines.map {
                .init(kind: lang.label($0.entry.kind), points: $0.entry.points.pointsText(signed: true), effective: $0.entry.effective,
                      expires: $0.entry.expires, source: $0.entry.source, status: lang.label($0.status), counted: $0.counted)
            })
    }

    func updateCompany(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        return try await saving(req, back: "/console/companies/\(id.uuidString)", render: renderCompany) {
            _ = try await req.registry.saveCompany(id, try companyChanges(form, includeRegistration: false))
        }
    }

    // MARK: Departments and barriers

    struct DepartmentsContent: Encodable {
        var departments: [DepartmentRow]
        var errors: [FieldError]
        var canCreate: Bool
        var kindOptions: [Option]
    }

    struct DepartmentRow: Encodable {
        var id: String
        var kind: String
        var name: String
        var phone: String
        var canEdit: Bool
    }

    func departments(req: Request) async throws -> View {
        try await renderDepartments(req, errors: [])
    }

    func renderDepartments(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let rows = try await service.departments().map {
            DepartmentRow(id: $0.id!.uuidString, kind: lang.label($0.kind), name: $0.name, phone: $0.phone ?? "",
                          canEdit: Policy.decide(service.actor, .update, .department(id: $0.id!)) == .allow)
        }
        return try await req.renderPage("departments", title: lang.strings["departments"]!, nav: "departments",
                                        content: DepartmentsContent(
                                            departments: rows, errors: errors,
                                            canCreate: Policy.decide(service.actor, .create, .department(id: UUID())) == .allow,
                                            kindOptions: lang.options(DepartmentKind.self, selected: nil, label: lang.label)))
    }

    func createDepartment(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/departments", render: renderDepartments) {
            _ = try await req.registry.saveDepartment(nil, kind: form["kind"].flatMap(DepartmentKind.init(rawValue:)),
                                                      name: form["name"], phone: .some(form["phone"]))
        }
    }

    func updateDepartment(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/departments", render: renderDepartments) {
            _ = try await req.registry.saveDepartment(try idParameter(req), kind: nil, name: form["name"], phone: .some(form["phone"]))
        }
    }

    struct BarriersContent: Encodable {
        var barriers: [BarrierRow]
        var kindOptions: [Option]
        var canEdit: Bool
        var errors: [FieldError]
    }

    struct BarrierRow: Encodable {
        var id: String
        var name: String
        var kind: String
        var kindLabel: String
        var points: Int
        var lengthKm: String
    }

    func barriers(req: Request) async throws -> View {
        try await renderBarriers(req, errors: [])
    }

    func renderBarriers(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let rows = try await service.barriers().map { b in
            let path = b.path
            let length = zip(path, path.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            return BarrierRow(id: b.id!.uuidString, name: b.name, kind: b.kind.rawValue, kindLabel: lang.label(b.kind),
                              points: path.count, lengthKm: String(format: "%.1f", length / 1000))
        }
        return try await req.renderPage("barriers", title: lang.strings["barriers"]!, nav: "barriers", content: BarriersContent(
            barriers: rows, kindOptions: lang.options(BarrierKind.self, selected: nil, label: lang.label),
            canEdit: Policy.decide(service.actor, .update, .barrier) == .allow, errors: errors))
    }

    func createBarrier(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        return try await saving(req, back: "/console/barriers", render: renderBarriers) {
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
        return try await saving(req, back: "/console/barriers", render: renderBarriers) {
            _ = try await req.registry.saveBarrier(try idParameter(req), name: form["name"],
                                                   kind: form["kind"].flatMap(BarrierKind.init(rawValue:)), path: nil)
        }
    }
}

/// Runs a form's write; on a rule violation re-renders the page with the errors (422),
/// otherwise redirects back (post/redirect/get).
func saving(_ req: Request, back: String, render: (Request, [FieldError]) async throws -> View,
            _ write: () async throws -> Void) async throws -> Response {
    do {
        try await write()
        return req.redirect(to: back)
    } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
        let response = try await render(req, error.fields.isEmpty ? [FieldError(field: "form", reason: error.message)] : error.fields)
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}
