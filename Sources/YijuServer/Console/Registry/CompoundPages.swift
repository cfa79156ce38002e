import Foundation
import YijuCore

/// A compound as a row of the registry's tables (the list, a company's file).
struct CompoundRow: Encodable {
    var link: String
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

    /// Expects the compound's street office, community and company loaded.
    init(_ c: Compound, _ lang: Language) throws {
        link = ConsolePath.compound(.value(try c.requireID())).path
        code = c.code
        name = c.name
        street = c.streetOffice.name
        community = c.loadedCommunity?.name ?? ""
        kind = lang.label(c.kind)
        management = lang.label(c.management)
        managementKey = c.management.rawValue
        renovation = lang.label(c.renovation)
        floorArea = Format.area(c.floorArea)
        households = c.households
        company = c.loadedCompany?.name ?? ""
    }
}

/// The registry: search, filters, the page of compounds and the pager.
struct CompoundListPage: Encodable {
    static let pageSize = 50

    var q: String
    var streetOptions: [Option]
    var kindOptions: [Option]
    var managementOptions: [Option]
    var renovationOptions: [Option]
    var rows: [CompoundRow]
    var total: Int
    var pageNumber: Int
    var pageCount: Int
    var prevLink: String?
    var nextLink: String?
    var canCreate: Bool
    var links = Links()

    struct Links: Encodable {
        var filter = ConsolePath.compounds.path
        var newCompound = ConsolePath.newCompound.path
        var exportCSV = ConsolePath.export.with(["format": "csv"])
        var exportGeoJSON = ConsolePath.export.with(["format": "geojson"])
    }

    /// `params` are the query's filters as given; `offices` the street offices the actor may pick.
    init(items: [Compound], total: Int, params: [String: String], offices: [StreetOffice], actor: Actor, _ lang: Language) throws {
        let pageNumber = max(1, Int(params["page"] ?? "1") ?? 1)
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let street = params["street"].flatMap(UUID.init(uuidString:))
        func link(page: Int) -> String {
            var query = params.filter { $0.key != "page" }
            query["page"] = String(page)
            return ConsolePath.compounds.with(query)
        }
        q = params["q"] ?? ""
        streetOptions = try offices.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == street) }
        kindOptions = lang.options(CompoundKind.self, selected: params["kind"], label: lang.label)
        managementOptions = lang.options(ManagementMode.self, selected: params["management"], label: lang.label)
        renovationOptions = lang.options(RenovationState.self, selected: params["renovation"], label: lang.label)
        rows = try items.map { try CompoundRow($0, lang) }
        self.total = total
        self.pageNumber = pageNumber
        self.pageCount = pageCount
        prevLink = pageNumber > 1 ? link(page: pageNumber - 1) : nil
        nextLink = pageNumber < pageCount ? link(page: pageNumber + 1) : nil
        canCreate = Policy.mayCreateCompounds(actor)
    }
}

/// A compound's file: its facts, company and contract, management areas and a small map.
struct CompoundPage: Encodable {
    struct CompanyBox: Encodable {
        var link: String
        var name: String
        var phone: String
    }

    struct ContractBox: Encodable {
        var code: String
        var feeRate: String
        var term: String
    }

    struct AreaRow: Encodable {
        var code: String
        var planLink: String
        var from: String
        var until: String
        var current: Bool
    }

    var facts: [Fact]
    var company: CompanyBox?
    var contract: ContractBox?
    var map: String
    var editLink: String?
    var auditLink: String?
    /// Its facilities inventory, gaps and renovation projects (缺什么、补什么).
    var facilitiesLink: String
    /// Its owners' or management committee and representatives (居民自治).
    var governanceLink: String
    var areas: [AreaRow]

    /// Expects the compound's street office, community, company and contract loaded;
    /// `areas` are its management areas over time, `map` the surroundings drawn.
    init(_ compound: Compound, areas: [(AreaAssignment, ManagementArea)], map: String, actor: Actor, _ lang: Language) throws {
        let t = lang.strings
        let id = try compound.requireID()
        facts = [
            .init(label: t["code"]!, value: compound.code), .init(label: t["streetOffice"]!, value: compound.streetOffice.name),
            .init(label: t["community"]!, value: compound.loadedCommunity?.name ?? "—"), .init(label: t["kind"]!, value: lang.label(compound.kind)),
            .init(label: t["address"]!, value: compound.address ?? "—"),
            .init(label: t["location"]!, value: String(format: "%.6f, %.6f", compound.lon, compound.lat)),
            .init(label: t["floorArea"]!, value: Format.area(compound.floorArea)), .init(label: t["households"]!, value: "\(compound.households)"),
            .init(label: t["buildings"]!, value: "\(compound.buildings)"), .init(label: t["yearBuilt"]!, value: compound.yearBuilt.map(String.init) ?? "—"),
            .init(label: t["renovation"]!, value: lang.label(compound.renovation)), .init(label: t["management"]!, value: lang.label(compound.management)),
        ]
        company = try compound.loadedCompany.map { CompanyBox(link: ConsolePath.company(.value(try $0.requireID())).path, name: $0.name, phone: $0.phone ?? "") }
        contract = compound.loadedContract.map {
            ContractBox(code: $0.code, feeRate: String(format: "%.2f", Double($0.feeRateFen) / 100), term: "\($0.startDate) — \($0.endDate)")
        }
        self.map = map
        let mayEdit = Policy.allows(actor, .update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id))
        editLink = mayEdit ? ConsolePath.editCompound(.value(id)).path : nil
        auditLink = Policy.allows(actor, .read, .auditLog) ? ConsolePath.audit.with(["entityId": id.uuidString]) : nil
        facilitiesLink = ConsolePath.compoundFacilities(.value(id)).path
        governanceLink = ConsolePath.compoundGovernance(.value(id)).path
        self.areas = areas.map { assignment, area in
            AreaRow(code: area.code, planLink: ConsolePath.plan(.value(area.$plan.id)).path, from: assignment.startDate,
                    until: assignment.endDate ?? "", current: assignment.endDate == nil)
        }
    }
}

/// The form that creates or edits a compound, with what was typed and what was wrong.
struct CompoundFormPage: Encodable {
    struct OptionGroup: Encodable {
        var label: String
        var options: [Option]
    }

    /// The form's fields, in the order the rules check them.
    static let keys = ["code", "name", "streetOfficeId", "communityId", "kind", "address", "lon", "lat", "floorArea",
                       "households", "buildings", "yearBuilt", "renovation", "management", "companyId"]

    var isNew: Bool
    /// Where the form posts, which is also where cancelling returns: the compound's page, or
    /// the list for a new one.
    var action: String
    var values: [String: String]
    var errors: [FieldError]
    var streetOptions: [Option]
    var communityGroups: [OptionGroup]
    var companyOptions: [Option]
    var kindOptions: [Option]
    var managementOptions: [Option]
    var renovationOptions: [Option]

    /// `id` nil: a new compound.
    init(id: UUID?, values: [String: String], errors: [FieldError], offices: [StreetOffice], communities: [Community],
         companies: [Company], _ lang: Language) throws {
        isNew = id == nil
        action = id.map { ConsolePath.compound(.value($0)).path } ?? ConsolePath.compounds.path
        self.values = values
        self.errors = errors
        streetOptions = try offices.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id?.uuidString == values["streetOfficeId"]) }
        communityGroups = try offices.map { office in
            OptionGroup(label: office.name, options: try communities.filter { $0.$streetOffice.id == office.id }.map {
                Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id?.uuidString == values["communityId"])
            })
        }
        companyOptions = try companies.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id?.uuidString == values["companyId"]) }
        kindOptions = lang.options(CompoundKind.self, selected: values["kind"], label: lang.label)
        managementOptions = lang.options(ManagementMode.self, selected: values["management"], label: lang.label)
        renovationOptions = lang.options(RenovationState.self, selected: values["renovation"], label: lang.label)
    }

    /// The form's values for an existing compound.
    static func values(of c: Compound) -> [String: String] {
        [
            "code": c.code, "name": c.name, "streetOfficeId": c.$streetOffice.id.uuidString, "communityId": c.$community.id?.uuidString ?? "",
            "kind": c.kind.rawValue, "address": c.address ?? "", "lon": "\(c.lon)", "lat": "\(c.lat)",
            "floorArea": CompoundRecord.format(c.floorArea),
            "households": "\(c.households)", "buildings": "\(c.buildings)", "yearBuilt": c.yearBuilt.map(String.init) ?? "",
            "renovation": c.renovation.rawValue, "management": c.management.rawValue, "companyId": c.$company.id?.uuidString ?? "",
        ]
    }
}

/// The district map, of one street office or all, with its legend.
struct MapPage: Encodable {
    var svg: String
    var streetOptions: [Option]
    var legend: [Option]
    var filter = ConsolePath.map.path
    /// What the dots' colour says: the management mode, or the renovation project's status.
    var colourOptions: [Option]

    static let renovationColouring = "renovation"

    init(svg: String, offices: [StreetOffice], street: UUID?, byRenovation: Bool, _ lang: Language) throws {
        self.svg = svg
        let t = lang.strings
        streetOptions = try offices.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == street) }
        legend = byRenovation
            ? ProjectStatus.allCases.map { Option(value: SVGMap.colour($0), label: t["projectStatus." + $0.rawValue]!) }
                + [Option(value: SVGMap.colour(nil as ProjectStatus?), label: t["noRenovationProject"]!)]
            : ManagementMode.allCases.map { Option(value: SVGMap.colour($0), label: lang.label($0)) }
        colourOptions = [Option(value: "", label: t["colourByManagement"]!, selected: !byRenovation),
                         Option(value: Self.renovationColouring, label: t["colourByRenovation"]!, selected: byRenovation)]
    }
}
