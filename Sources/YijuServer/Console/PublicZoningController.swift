import Fluent
import Vapor
import YijuCore

/// The public side of zoning, without login: plans under notice and adopted plans, each
/// with its map, zones, lots and notice dates, and the objection form while a notice runs.
struct PublicZoningController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let zoning = routes.grouped("public", "zoning")
        zoning.get(use: list)
        zoning.get(":id", use: plan)
        zoning.post(":id", "objections", use: object)
    }

    struct PlanRow: Encodable {
        var id: String
        var officeName: String
        var version: Int
        var status: String
        var statusLabel: String
        var noticeStart: String
        var noticeEnd: String
        var adoptedOn: String
    }

    struct PublicPage<Content: Encodable>: Encodable {
        var t: [String: String]
        var lang: String
        var title: String
        var content: Content
    }

    func list(req: Request) async throws -> View {
        let lang = req.language
        let rows = try await PublicZoning(app: req.application).plans().map { r in
            PlanRow(id: r.id!.uuidString, officeName: r.streetOffice.name, version: r.version, status: r.status.rawValue,
                    statusLabel: lang.strings["status." + r.status.rawValue] ?? "", noticeStart: r.noticeStart ?? "",
                    noticeEnd: r.noticeEnd ?? "", adoptedOn: r.adoptedOn ?? "")
        }
        return try await req.view.render("public-zoning-list", PublicPage(t: lang.strings, lang: lang.rawValue, title: lang.strings["publicZoning"]!, content: rows))
    }

    struct PlanContent: Encodable {
        var notice: ZoningNotice.Context
        var id: String
        var open: Bool
        var compounds: [ConsoleZoningController.Option]
        var errors: [FieldError]
        var received: Bool
        var form: ObjectionForm
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
            notice: ZoningNotice.context(loaded, language: lang, publicURL: nil), id: id.uuidString, open: open,
            compounds: loaded.problem.compounds.map { .init(value: $0.id, label: "\($0.id) \($0.name)") },
            errors: errors, received: received, form: form ?? ObjectionForm())
        let title = "\(record.streetOffice.name) · \(lang.strings["zoningNoticeTitle"]!)"
        return try await req.view.render("public-zoning", PublicPage(t: lang.strings, lang: lang.rawValue, title: title, content: content))
    }

    func object(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound("zoning plan") }
        let form = try req.content.decode(ObjectionForm.self)
        let objection = PublicZoning.Objection(name: form.name ?? "", phone: form.phone ?? "", compoundCode: form.compoundId, body: form.body ?? "")
        do {
            _ = try await PublicZoning(app: req.application).file(objection, on: id, source: req.remoteAddress?.ipAddress ?? "unknown")
            return req.redirect(to: "/public/zoning/\(id.uuidString)?received=1#objection")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .badRequest {
            let response = try await render(req, errors: error.fields, received: false, form: form).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
