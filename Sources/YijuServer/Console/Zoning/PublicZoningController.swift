import Fluent
import Vapor
import YijuCore

/// The public side of zoning, without login: plans under notice and adopted plans, each
/// with its map, zones, lots and notice dates, and the objection form while a notice runs.
struct PublicZoningController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(PublicPath.zoningPlans.routeComponents, use: list)
        routes.get(PublicPath.zoningPlan(.key).routeComponents, use: plan)
        routes.post(PublicPath.objections(.key).routeComponents, use: object)
    }

    /// A plan under notice or adopted, as a row of the public list.
    struct PlanRow: Encodable {
        var link: String
        var officeName: String
        var version: Int
        var status: String
        var statusLabel: String
        var noticeStart: String
        var noticeEnd: String
        var adoptedOn: String

        init(_ r: ZoningPlanRecord, _ lang: Language) throws {
            link = PublicPath.zoningPlan(.value(try r.requireID())).path
            officeName = r.streetOffice.name
            version = r.version
            status = r.status.rawValue
            statusLabel = lang.strings["status." + r.status.rawValue] ?? ""
            noticeStart = r.noticeStart ?? ""
            noticeEnd = r.noticeEnd ?? ""
            adoptedOn = r.adoptedOn ?? ""
        }
    }

    func list(req: Request) async throws -> View {
        let lang = req.language
        let rows = try await PublicZoning(app: req.application).plans().map { try PlanRow($0, lang) }
        return try await req.renderPublicPage("public-zoning-list", title: lang.strings["publicZoning"]!, content: rows)
    }

    /// A public plan: the notice, its GeoJSON, and the objection form while the notice runs.
    struct PlanContent: Encodable {
        var notice: ZoningNotice.Context
        var open: Bool
        var compounds: [Option]
        var errors: [FieldError]
        var received: Bool
        var form: ObjectionForm
        var geojsonLink: String
        var objectAction: String
    }

    struct ObjectionForm: Content {
        init() {}
        var name: String?
        var phone: String?
        var compoundId: String?
        var body: String?
    }

    func plan(req: Request) async throws -> View {
        try await render(req, errors: [], received: req.query[String.self, at: "received"] != nil, form: nil)
    }

    private func render(_ req: Request, errors: [FieldError], received: Bool, form: ObjectionForm?) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound("zoning plan") }
        let lang = req.language
        let loaded = try await PublicZoning(app: req.application).plan(id)
        let record = loaded.record
        let today = Calendar.shanghai.day(req.application.clock.now())
        let open = record.status == .notice && (record.noticeStart ?? "9999") <= today && today <= (record.noticeEnd ?? "")
        let content = PlanContent(
            notice: try ZoningNotice.context(loaded, language: lang, publicURL: nil), open: open,
            compounds: loaded.problem.compounds.map { Option(value: $0.id, label: "\($0.id) \($0.name)") },
            errors: errors, received: received, form: form ?? ObjectionForm(),
            geojsonLink: PublicPath.planGeoJSON(.value(id)).path, objectAction: PublicPath.objections(.value(id)).path)
        let title = "\(record.streetOffice.name) · \(lang.strings["zoningNoticeTitle"]!)"
        return try await req.renderPublicPage("public-zoning", title: title, content: content)
    }

    func object(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound("zoning plan") }
        let form = try req.content.decode(ObjectionForm.self)
        let objection = PublicZoning.Objection(name: form.name ?? "", phone: form.phone ?? "", compoundCode: form.compoundId, body: form.body ?? "")
        do {
            _ = try await PublicZoning(app: req.application).file(objection, on: id, source: req.remoteAddress?.ipAddress ?? "unknown")
            return req.redirect(to: PublicPath.zoningPlan(.value(id)).with(["received": "1"]) + "#objection")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .badRequest {
            return try await unprocessable(try await render(req, errors: error.fields, received: false, form: form), for: req)
        }
    }
}
