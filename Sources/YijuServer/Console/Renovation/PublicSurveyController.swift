import Fluent
import Vapor
import YijuCore

/// A household's own survey page, without login: it types the code it was given, sees its
/// project and household, and answers once.
struct PublicSurveyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(PublicPath.survey.routeComponents, use: show)
        routes.post(PublicPath.survey.routeComponents, use: answer)
    }

    struct Content: Encodable {
        var code: String
        var project: String?
        var household: String?
        var verdicts: [Option]
        var comment: String
        var answered: Bool
        var errors: [FieldError]
        var action = PublicPath.survey.path
    }

    struct Form: Vapor.Content {
        var code: String?
        var verdict: String?
        var comment: String?
    }

    func show(req: Request) async throws -> Response {
        let code = (req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespaces)
        if req.query[String.self, at: "answered"] != nil {
            return try await render(req, code: "", ticket: nil, form: Form(), answered: true, errors: []).encodeResponse(for: req)
        }
        guard !code.isEmpty else { return try await render(req, code: "", ticket: nil, form: Form(), answered: false, errors: []).encodeResponse(for: req) }
        do {
            let ticket = try await PublicSurvey(db: req.db, now: req.application.clock.now()).ticket(code, source: source(req))
            return try await render(req, code: code, ticket: ticket, form: Form(), answered: false, errors: []).encodeResponse(for: req)
        } catch let error as DomainError where error.kind == .notFound || error.kind == .throttled {
            let response = try await render(req, code: code, ticket: nil, form: Form(), answered: false,
                                            errors: [FieldError(field: "code", reason: error.message)]).encodeResponse(for: req)
            response.status = error.kind == .throttled ? .tooManyRequests : .notFound
            return response
        }
    }

    func answer(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let code = (form.code ?? "").trimmingCharacters(in: .whitespaces)
        let survey = PublicSurvey(db: req.db, now: req.application.clock.now())
        do {
            guard let verdict = SurveyVerdict(rawValue: form.verdict ?? "") else {
                throw DomainError.validation([FieldError(field: "verdict", reason: "choose satisfied, basically satisfied or dissatisfied")])
            }
            _ = try await survey.answer(code, verdict: verdict, comment: form.comment, source: source(req))
            return req.redirect(to: PublicPath.survey.with(["answered": "1"]))
        } catch let error as DomainError where [.invalid, .notFound, .conflict, .throttled].contains(error.kind) {
            let ticket = try? await survey.ticket(code, source: source(req))
            let status: HTTPStatus = switch error.kind {
            case .invalid: .unprocessableEntity
            case .notFound: .notFound
            case .throttled: .tooManyRequests
            default: .conflict
            }
            let response = try await render(req, code: code, ticket: ticket, form: form, answered: false,
                                            errors: error.fields.isEmpty ? [FieldError(field: "code", reason: error.message)] : error.fields)
                .encodeResponse(for: req)
            response.status = status
            return response
        }
    }

    private func render(_ req: Request, code: String, ticket: PublicSurvey.Ticket?, form: Form, answered: Bool, errors: [FieldError]) async throws -> View {
        let t = req.language.strings
        let content = Content(
            code: code, project: ticket.map { "\($0.file.project.code) \($0.file.project.name)" },
            household: ticket.map(Self.household),
            verdicts: SurveyVerdict.allCases.map { Option(value: $0.rawValue, label: t["verdict." + $0.rawValue]!, selected: form.verdict == $0.rawValue) },
            comment: form.comment ?? "", answered: answered, errors: errors)
        return try await req.renderPublicPage("public-survey", title: t["publicSurvey"]!, content: content)
    }

    private func source(_ req: Request) -> String { req.remoteAddress?.ipAddress ?? "unknown" }

    /// The household as its code names it, e.g. 七政街246号楼 1号楼2单元301.
    private static func household(_ ticket: PublicSurvey.Ticket) -> String {
        let code = ticket.code
        let name = ticket.file.compounds.first { $0.coverage.$compound.id == code.$compound.id }?.compound.name ?? ""
        return "\(name) \(code.building)号楼\(code.unit)单元\(code.room)"
    }
}
