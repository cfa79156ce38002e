import Foundation
import Vapor

/// A path parameter: `.key` where a route is registered (`:id`), `.value` in a link.
enum Parameter<Value: Hashable & Sendable & CustomStringConvertible>: Hashable, Sendable {
    case key
    case value(Value)

    func component(_ name: String) -> String {
        switch self {
        case .key: ":" + name
        case .value(let value): value.description
        }
    }
}


/// A path of the web side, as components: registered as a route from its `.key` form and
/// linked from its `.value` form, so a route and every link to it cannot disagree.
protocol TypedPath: Sendable {
    var components: [String] { get }
}

extension TypedPath {
    /// The absolute path, for links, form targets and redirects.
    var path: String { "/" + components.joined(separator: "/") }

    /// The route's components, parameters as `:name`.
    var routeComponents: [PathComponent] { components.map { PathComponent(stringLiteral: $0) } }

    /// The path with a query, its items sorted by name and percent-encoded; empty values left out.
    func with(_ query: [String: String]) -> String {
        // Only RFC 3986's unreserved characters go unescaped, so a value can never end the pair.
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let items = query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }
}

/// Every page and form of the console (and its sign-in), typed, in the manner of
/// SwiftPackageIndex-Server's `SiteURL`: the controllers register their routes from these,
/// and every link, form target and redirect — in Swift and, through the page models, in the
/// templates — is built from them.
enum ConsolePath: TypedPath, Hashable {
    // Sign-in and language, outside /console.
    case root, login, logout
    case language(Parameter<String>)

    // Overview, import and export, the audit log.
    case home, importFile, export, audit
    // API tokens: listed, and one revoked.
    case tokens
    case tokenRevocation(Parameter<UUID>)

    // Registry (台账).
    case compounds, newCompound, map
    case compound(Parameter<UUID>)
    case editCompound(Parameter<UUID>)
    case streetOffices
    case streetOffice(Parameter<UUID>)
    case communities(ofStreetOffice: Parameter<UUID>)
    case community(Parameter<UUID>)
    case companies
    case company(Parameter<UUID>)
    case departments
    case department(Parameter<UUID>)
    case barriers
    case barrier(Parameter<UUID>)

    // Renovation (旧改).
    case renovation, newRenovationProject, renovationSettings, renovationFiguresCSV, renovationFiguresXLSX
    case renovationProject(Parameter<UUID>, RenovationResource? = nil)
    /// Renovation grids (改造网格): the list, a new one, one grid.
    case renovationGrids, newRenovationGrid
    case renovationGrid(Parameter<UUID>)
    /// A diary day's photos (POST adds one) and one photo of a project's diary.
    case diaryDayPhotos(Parameter<UUID>, day: Parameter<String>)
    case diaryPhoto(Parameter<UUID>, photo: Parameter<UUID>)
    /// One document of the five disclosures (GET its bytes) and where it is withdrawn.
    case renovationDocument(Parameter<UUID>, document: Parameter<UUID>)
    case renovationDocumentWithdrawal(Parameter<UUID>, document: Parameter<UUID>)
    case compoundFacilities(Parameter<UUID>)
    /// A compound's committee and representatives (居民自治).
    case compoundGovernance(Parameter<UUID>)

    // Zoning (大区划片).
    case zoning, zoningCompare
    case zoningOffice(Parameter<UUID>)
    case zoningPlans(ofStreetOffice: Parameter<UUID>)
    case plan(Parameter<UUID>, PlanResource? = nil)

    // Cases (民呼我为).
    case cases, newCase, compoundSuggestions, caseFigures, caseSettings, caseCalendar
    case casesExport(CasesExport)
    case caseRecord(Parameter<UUID>, CaseResource? = nil)
    case casePhoto(Parameter<UUID>, photo: Parameter<UUID>)

    // Selection (选聘) and exits (清退).
    case tenders, exits
    case tender(Parameter<UUID>, TenderResource? = nil)
    case bidScore(tender: Parameter<UUID>, bid: Parameter<UUID>)
    case exitDecision(Parameter<UUID>)
    case emergencyProviders(ofExit: Parameter<UUID>)

    // Inspections (考评).
    case inspections, newInspection, inspectionTemplates
    case inspection(Parameter<UUID>)
    case inspectionPhoto(Parameter<UUID>, photo: Parameter<UUID>)
    case rectification(inspection: Parameter<UUID>, order: Parameter<UUID>, RectificationStep)

    /// What a renovation project's page posts.
    enum RenovationResource: String, Sendable {
        case plan, transitions, consultation, acceptance, engagements, diary, documents
    }

    /// What a plan's workspace posts and serves.
    enum PlanResource: String, Sendable {
        case change, undo, redo, publish, withdraw, adopt, retire, copy, comments, notice
        case geojson = "plan.geojson", compoundsCSV = "compounds.csv", zonesCSV = "zones.csv"
    }

    /// A case's forms.
    enum CaseResource: String, Sendable {
        case steps, phone, photos
    }

    enum CasesExport: String, Sendable {
        case csv = "export.csv", xlsx = "export.xlsx"
    }

    enum TenderResource: String, Sendable {
        case bids, award
    }

    enum RectificationStep: String, Sendable {
        case report, verify
    }

    var components: [String] {
        let console = "console"
        switch self {
        case .root: return []
        case .login: return ["login"]
        case .logout: return ["logout"]
        case .language(let code): return ["lang", code.component("code")]

        case .home: return [console]
        case .importFile: return [console, "import"]
        case .export: return [console, "export"]
        case .audit: return [console, "audit"]
        case .tokens: return [console, "tokens"]
        case .tokenRevocation(let id): return [console, "tokens", id.component("id"), "revoke"]

        case .compounds: return [console, "compounds"]
        case .newCompound: return [console, "compounds", "new"]
        case .map: return [console, "map"]
        case .compound(let id): return [console, "compounds", id.component("id")]
        case .editCompound(let id): return [console, "compounds", id.component("id"), "edit"]
        case .streetOffices: return [console, "street-offices"]
        case .streetOffice(let id): return [console, "street-offices", id.component("id")]
        case .communities(let office): return [console, "street-offices", office.component("id"), "communities"]
        case .community(let id): return [console, "communities", id.component("id")]
        case .companies: return [console, "companies"]
        case .company(let id): return [console, "companies", id.component("id")]
        case .departments: return [console, "departments"]
        case .department(let id): return [console, "departments", id.component("id")]
        case .barriers: return [console, "barriers"]
        case .barrier(let id): return [console, "barriers", id.component("id")]

        case .renovation: return [console, "renovation"]
        case .newRenovationProject: return [console, "renovation", "new"]
        case .renovationFiguresCSV: return [console, "renovation", "figures.csv"]
        case .renovationFiguresXLSX: return [console, "renovation", "figures.xlsx"]
        case .renovationSettings: return [console, "renovation", "settings"]
        case .renovationGrids: return [console, "renovation", "grids"]
        case .newRenovationGrid: return [console, "renovation", "grids", "new"]
        case .renovationGrid(let id): return [console, "renovation", "grids", id.component("id")]
        case .renovationProject(let id, let resource): return [console, "renovation", id.component("id")] + (resource.map { [$0.rawValue] } ?? [])
        case .diaryDayPhotos(let id, let day): return [console, "renovation", id.component("id"), "diary", day.component("day"), "photos"]
        case .diaryPhoto(let id, let photo): return [console, "renovation", id.component("id"), "diary-photos", photo.component("photo")]
        case .renovationDocument(let id, let document): return [console, "renovation", id.component("id"), "documents", document.component("document")]
        case .renovationDocumentWithdrawal(let id, let document):
            return [console, "renovation", id.component("id"), "documents", document.component("document"), "withdrawal"]
        case .compoundFacilities(let id): return [console, "compounds", id.component("id"), "facilities"]
        case .compoundGovernance(let id): return [console, "compounds", id.component("id"), "governance"]

        case .zoning: return [console, "zoning"]
        case .zoningCompare: return [console, "zoning", "compare"]
        case .zoningOffice(let id): return [console, "zoning", "street-offices", id.component("id")]
        case .zoningPlans(let office): return [console, "zoning", "street-offices", office.component("id"), "plans"]
        case .plan(let id, let resource): return [console, "zoning", "plans", id.component("id")] + (resource.map { [$0.rawValue] } ?? [])

        case .cases: return [console, "cases"]
        case .newCase: return [console, "cases", "new"]
        case .compoundSuggestions: return [console, "cases", "compound-suggestions"]
        case .caseFigures: return [console, "cases", "figures"]
        case .caseSettings: return [console, "case-settings"]
        case .caseCalendar: return [console, "case-settings", "calendar"]
        case .casesExport(let format): return [console, "cases", format.rawValue]
        case .caseRecord(let id, let resource): return [console, "cases", id.component("id")] + (resource.map { [$0.rawValue] } ?? [])
        case .casePhoto(let id, let photo): return [console, "cases", id.component("id"), "photos", photo.component("photo")]

        case .tenders: return [console, "tenders"]
        case .exits: return [console, "exits"]
        case .tender(let id, let resource): return [console, "tenders", id.component("id")] + (resource.map { [$0.rawValue] } ?? [])
        case .bidScore(let tender, let bid): return [console, "tenders", tender.component("id"), "bids", bid.component("bid"), "score"]
        case .exitDecision(let id): return [console, "exits", id.component("id"), "decision"]
        case .emergencyProviders(let id): return [console, "exits", id.component("id"), "emergency-providers"]

        case .inspections: return [console, "inspections"]
        case .newInspection: return [console, "inspections", "new"]
        case .inspectionTemplates: return [console, "inspection-templates"]
        case .inspection(let id): return [console, "inspections", id.component("id")]
        case .inspectionPhoto(let id, let photo): return [console, "inspections", id.component("id"), "photos", photo.component("photo")]
        case .rectification(let inspection, let order, let step):
            return [console, "inspections", inspection.component("id"), "orders", order.component("order"), step.rawValue]
        }
    }
}

/// The public pages, without login: zoning plans under notice and the resident's case form.
enum PublicPath: TypedPath, Hashable {
    case zoningPlans
    case zoningPlan(Parameter<UUID>)
    case objections(Parameter<UUID>)
    case fileCase, caseLookup, compoundNames
    /// The API's GeoJSON of a public plan (openapi.yaml registers it), linked from its page.
    case planGeoJSON(Parameter<UUID>)
    case renovationProjects
    case renovationProject(Parameter<UUID>)
    /// A published document of a public project's five disclosures.
    case renovationDocument(Parameter<UUID>, document: Parameter<UUID>)
    /// Where a resident objects to a renovation plan while its notice runs.
    case renovationObjections(Parameter<UUID>)
    /// Where a household answers its acceptance survey with its one-time code.
    case survey

    var components: [String] {
        switch self {
        case .zoningPlans: ["public", "zoning"]
        case .zoningPlan(let id): ["public", "zoning", id.component("id")]
        case .objections(let id): ["public", "zoning", id.component("id"), "objections"]
        case .fileCase: ["public", "cases"]
        case .caseLookup: ["public", "cases", "lookup"]
        case .compoundNames: ["public", "cases", "compounds"]
        case .planGeoJSON(let id): ["api", "v1", "public", "zoning-plans", id.component("id"), "geojson"]
        case .renovationProjects: ["public", "renovation"]
        case .renovationProject(let id): ["public", "renovation", id.component("id")]
        case .renovationDocument(let id, let document): ["public", "renovation", id.component("id"), "documents", document.component("document")]
        case .renovationObjections(let id): ["public", "renovation", id.component("id"), "objections"]
        case .survey: ["public", "survey"]
        }
    }
}
