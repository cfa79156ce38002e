import Fluent
import Vapor
import YijuCore

/// The compound registry in the console: list with search and filters, the compound
/// file with its small map, create and edit forms, the district map.
struct ConsoleCompoundsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("compounds", use: list)
        routes.get("compounds", "new", use: newForm)
        routes.post("compounds", use: create)
        routes.get("compounds", ":id", use: show)
        routes.get("compounds", ":id", "edit", use: editForm)
        routes.post("compounds", ":id", use: update)
        routes.get("map", use: map)
    }

    // MARK: List

    struct ListContent: Encodable {
        var q: String
        var streetOptions: [Option]
        var kindOptions: [Option]
        var managementOptions: [Option]
        var renovationOptions: [Option]
        var rows: [Row]
        var total: Int
        var pageNumber: Int
        var pageCount: Int
        var prevQuery: String?
        var nextQuery: String?
        var canCreate: Bool
    }

    struct Row: Encodable {
        var id: String
        var code: String
        var name: String
        var street: String
        var community: String
        var kind: String
        var management: String
        var managementKey: String
        var renovation: String
        var floorArea: String
        var households: Int
        var company: String
    }

    static let pageSize = 50

    func list(req: Request) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let params = try req.query.decode([String: String].self)
        let pageNumber = max(1, Int(params["page"] ?? "1") ?? 1)
        var filter = RegistryService.CompoundFilter(limit: Self.pageSize, offset: (pageNumber - 1) * Self.pageSize)
        filter.q = params["q"]
        filter.streetOfficeID = params["street"].flatMap(UUID.init(uuidString:))
        filter.kind = params["kind"].flatMap(CompoundKind.init(rawValue:))
        filter.management = params["management"].flatMap(ManagementMode.init(rawValue:))
        filter.renovation = params["renovation"].flatMap(RenovationState.init(rawValue:))
        let page = try await service.compounds(filter)
        let offices = try await visibleStreetOffices(service)
        let pageCount = max(1, (page.total + Self.pageSize - 1) / Self.pageSize)
        func query(page: Int) -> String {
            var items = params.filter { $0.key != "page" && !$0.value.isEmpty }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            items.append("page=\(page)")
            return items.sorted().joined(separator: "&")
        }
        let content = ListContent(
            q: params["q"] ?? "",
            streetOptions: offices.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == filter.streetOfficeID) },
            kindOptions: lang.options(CompoundKind.self, selected: params["kind"], label: lang.label),
            managementOptions: lang.options(ManagementMode.self, selected: params["management"], label: lang.label),
            renovationOptions: lang.options(RenovationState.self, selected: params["renovation"], label: lang.label),
            rows: page.items.map { row($0, lang) }, total: page.total, pageNumber: pageNumber, pageCount: pageCount,
            prevQuery: pageNumber > 1 ? query(page: pageNumber - 1) : nil,
            nextQuery: pageNumber < pageCount ? query(page: pageNumber + 1) : nil,
            canCreate: Policy.mayCreateCompounds(service.actor))
        return try await req.renderPage("compounds", title: lang.strings["compounds"]!, nav: "compounds", content: content)
    }

    func row(_ c: Compound, _ lang: Language) -> Row {
        Row(id: c.id!.uuidString, code: c.code, name: c.name, street: c.streetOffice.name, community: c.loadedCommunity?.name ?? "",
            kind: lang.label(c.kind), management: lang.label(c.management), managementKey: c.management.rawValue,
            renovation: lang.label(c.renovation), floorArea: Format.area(c.floorArea), households: c.households,
            company: c.loadedCompany?.name ?? "")
    }

    func visibleStreetOffices(_ service: RegistryService) async throws -> [StreetOffice] {
        let all = try await service.streetOffices()
        switch Policy.registryScope(service.actor) {
        case .streetOffice(let id): return all.filter { $0.id == id }
        default: return all
        }
    }

    // MARK: Show

    struct ShowContent: Encodable {
        var id: String
        var facts: [Fact]
        var company: CompanyBox?
        var contract: ContractBox?
        var map: String
        var canEdit: Bool
        var auditLink: String?
        var areas: [AreaRow]
    }

    struct AreaRow: Encodable {
        var code: String
        var planID: String
        var from: String
        var until: String
        var current: Bool
    }

    struct Fact: Encodable {
        var label: String
        var value: String
    }

    struct CompanyBox: Encodable {
        var id: String
        var name: String
        var phone: String
    }

    struct ContractBox: Encodable {
        var code: String
        var feeRate: String
        var term: String
    }

    func show(req: Request) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let t = lang.strings
        let compound = try await service.compound(try idParameter(req))
        let facts: [Fact] = [
            .init(label: t["code"]!, value: compound.code), .init(label: t["streetOffice"]!, value: compound.streetOffice.name),
            .init(label: t["community"]!, value: compound.loadedCommunity?.name ?? "—"), .init(label: t["kind"]!, value: lang.label(compound.kind)),
            .init(label: t["address"]!, value: compound.address ?? "—"),
            .init(label: t["location"]!, value: String(format: "%.6f, %.6f", compound.lon, compound.lat)),
            .init(label: t["floorArea"]!, value: Format.area(compound.floorArea)), .init(label: t["households"]!, value: "\(compound.households)"),
            .init(label: t["buildings"]!, value: "\(compound.buildings)"), .init(label: t["yearBuilt"]!, value: compound.yearBuilt.map(String.init) ?? "—"),
            .init(label: t["renovation"]!, value: lang.label(compound.renovation)), .init(label: t["management"]!, value: lang.label(compound.management)),
        ]
        let map = try await DistrictMap(service: service).svg(streetOfficeID: nil, linkPrefix: "/console/compounds/",
                                                              highlight: compound.id, focusRadiusMetres: 700)
        let content = ShowContent(
            id: compound.id!.uuidString, facts: facts,
            company: compound.loadedCompany.map { CompanyBox(id: $0.id!.uuidString, name: $0.name, phone: $0.phone ?? "") },
            contract: compound.loadedContract.map {
                ContractBox(code: $0.code, feeRate: String(format: "%.2f", Double($0.feeRateFen) / 100), term: "\($0.startDate) — \($0.endDate)")
            },
            map: map,
            canEdit: Policy.decide(service.actor, .update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id)) == .allow,
            auditLink: Policy.allows(service.actor, .read, .auditLog) ? "/console/audit?entityId=\(compound.id!.uuidString)" : nil,
            areas: try await ZoningPlanService(app: req.application, actor: service.actor).areaHistory(compoundID: compound.id!).map { assignment, area in
                AreaRow(code: area.code, planID: area.$plan.id.uuidString, from: assignment.startDate, until: assignment.endDate ?? "",
                        current: assignment.endDate == nil)
            })
        return try await req.renderPage("compound", title: compound.name, nav: "compounds", content: content)
    }

    // MARK: Create and edit

    struct FormContent: Encodable {
        var isNew: Bool
        var action: String
        var values: [String: String]
        var errors: [FieldError]
        var streetOptions: [Option]
        var communityGroups: [OptionGroup]
        var companyOptions: [Option]
        var kindOptions: [Option]
        var managementOptions: [Option]
        var renovationOptions: [Option]
    }

    struct OptionGroup: Encodable {
        var label: String
        var options: [Option]
    }

    static let formKeys = ["code", "name", "streetOfficeId", "communityId", "kind", "address", "lon", "lat", "floorArea",
                           "households", "buildings", "yearBuilt", "renovation", "management", "companyId"]

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
        return try await renderForm(req, service: service, id: compound.id, values: formValues(compound), errors: [])
    }

    func create(req: Request) async throws -> Response {
        let service = try req.registry
        let form = try req.content.decode([String: String].self)
        do {
            let (values, referenceErrors) = try await recordValues(form, service: service, includeCode: true)
            let compound = try await service.createCompound(values, referenceErrors: referenceErrors)
            return req.redirect(to: "/console/compounds/\(compound.id!.uuidString)")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let view = try await renderForm(req, service: service, id: nil, values: form, errors: error.fields)
            return try await unprocessable(view, req)
        }
    }

    func update(req: Request) async throws -> Response {
        let service = try req.registry
        let id = try idParameter(req)
        let form = try req.content.decode([String: String].self)
        do {
            let (values, referenceErrors) = try await recordValues(form, service: service, includeCode: false)
            _ = try await service.updateCompound(id, values, referenceErrors: referenceErrors)
            return req.redirect(to: "/console/compounds/\(id.uuidString)")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            let view = try await renderForm(req, service: service, id: id, values: form, errors: error.fields)
            return try await unprocessable(view, req)
        }
    }

    private func unprocessable(_ view: View, _ req: Request) async throws -> Response {
        let response = try await view.encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
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

    func formValues(_ c: Compound) -> [String: String] {
        [
            "code": c.code, "name": c.name, "streetOfficeId": c.$streetOffice.id.uuidString, "communityId": c.$community.id?.uuidString ?? "",
            "kind": c.kind.rawValue, "address": c.address ?? "", "lon": "\(c.lon)", "lat": "\(c.lat)",
            "floorArea": CompoundRecord.format(c.floorArea),
            "households": "\(c.households)", "buildings": "\(c.buildings)", "yearBuilt": c.yearBuilt.map(String.init) ?? "",
            "renovation": c.renovation.rawValue, "management": c.management.rawValue, "companyId": c.$company.id?.uuidString ?? "",
        ]
    }

    func renderForm(_ req: Request, service: RegistryService, id: UUID?, values: [String: String], errors: [FieldError]) async throws -> View {
        let lang = req.language
        let offices = try await visibleStreetOffices(service)
        let communities = try await service.communities(streetOfficeID: nil)
        let companies = try await service.companies()
        let groups = offices.map { office in
            OptionGroup(label: office.name, options: communities.filter { $0.$streetOffice.id == office.id }.map {
                Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == values["communityId"])
            })
        }
        let content = FormContent(
            isNew: id == nil, action: id.map { "/console/compounds/\($0.uuidString)" } ?? "/console/compounds",
            values: values, errors: errors,
            streetOptions: offices.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == values["streetOfficeId"]) },
            communityGroups: groups,
            companyOptions: companies.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == values["companyId"]) },
            kindOptions: lang.options(CompoundKind.self, selected: values["kind"], label: lang.label),
            managementOptions: lang.options(ManagementMode.self, selected: values["management"], label: lang.label),
            renovationOptions: lang.options(RenovationState.self, selected: values["renovation"], label: lang.label))
        let title = id == nil ? lang.strings["newCompound"]! : "\(lang.strings["edit"]!) \(values["name"] ?? "")"
        return try await req.renderPage("compound-form", title: title, nav: "compounds", content: content)
    }

    // MARK: Map

    struct MapContent: Encodable {
        var svg: String
        var streetOptions: [Option]
        var legend: [Option]
    }

    func map(req: Request) async throws -> View {
        let service = try req.registry
        let lang = req.language
        let street = req.query[String.self, at: "street"].flatMap(UUID.init(uuidString:))
        let svg = try await DistrictMap(service: service).svg(streetOfficeID: street, linkPrefix: "/console/compounds/")
        let offices = try await visibleStreetOffices(service)
        let legend = ManagementMode.allCases.map { Option(value: SVGMap.colour($0), label: lang.label($0), selected: false) }
        return try await req.renderPage("map", title: lang.strings["map"]!, nav: "map", content: MapContent(
            svg: svg, streetOptions: offices.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == street) }, legend: legend))
    }
}

func idParameter(_ req: Request) throws -> UUID {
    guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw) else { throw DomainError.notFound("record") }
    return id
}

enum Format {
    static func area(_ value: Double) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        return formatter.string(from: NSNumber(value: value)) ?? String(Int(value))
    }

    /// Yuan, rounded, with thousands separators.
    static func money(_ value: Double) -> String { "¥" + area(value) }

    /// A fee in fen as yuan with two decimals: 85 → "¥0.85".
    static func fen(_ fen: Int) -> String { "¥" + String(fen / 100) + "." + (fen % 100).zeroPadded(2) }

    /// A number as typed in a form field: no separators.
    static func plain(_ value: Double) -> String { String(Int(value.rounded())) }

    /// Date and time in Asia/Shanghai.
    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
