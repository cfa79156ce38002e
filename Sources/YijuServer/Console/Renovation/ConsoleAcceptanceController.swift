import Fluent
import Foundation
import Vapor
import YijuCore

/// A project's acceptance in the console: the survey on a surveyor's phone (one household's
/// answer per post, the form ready for the next), the completion check and closing the
/// survey, all posting to one address with `kind` saying which.
struct ConsoleAcceptanceController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovationProject(.key, .acceptance).routeComponents, use: show)
        routes.post(ConsolePath.renovationProject(.key, .acceptance).routeComponents, use: record)
    }

    func show(req: Request) async throws -> View {
        // The surveyor's last compound and building stay chosen for the next household.
        var form: [String: String] = [:]
        for key in ["compound", "building", "unit"] { form[key] = req.query[String.self, at: key] }
        return try await render(req, form: form, errors: [])
    }

    private func render(_ req: Request, form: [String: String], errors: [FieldError], issued: [RenovationService.IssuedCode] = []) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let acceptance = try await service.acceptance(try idParameter(req))
        let mayEdit = Policy.allows(service.actor, .update, acceptance.resource)
        var form = form
        if mayEdit, form["participants"] == nil {
            form["participants"] = try await Self.residentSigners(acceptance, on: req.db, t)
        }
        let content = try AcceptancePage(acceptance, mayEdit: mayEdit, today: service.today, form: form, errors: errors, issued: issued, t)
        return try await req.renderPage("renovation-acceptance", title: "\(acceptance.project.code) · \(t["acceptanceSurvey"]!)",
                                        nav: .renovationProjects, content: content)
    }

    /// Who should sign the completion check for the residents, from the compounds' governance
    /// (居民自治): each committee's director and the yard heads, a line each, for the officer
    /// to correct; nil when none is recorded.
    static func residentSigners(_ acceptance: RenovationService.Acceptance, on db: any Database, _ t: [String: String]) async throws -> String? {
        var lines: [String] = []
        for (_, compound) in acceptance.compounds {
            guard let g = try await RegistryService.governanceRecord(try compound.requireID(), on: db)?.governance else { continue }
            if let body = g.body, let director = body.director {
                lines.append("\(compound.name) \(t["governanceKind." + body.kind.rawValue]!)\(t["position.director"]!) \(director.name)")
            }
            for head in g.representatives(.yardHead) {
                lines.append("\(compound.name) \(t["representative.yardHead"]!) \(head.name)")
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    func record(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        let page = ConsolePath.renovationProject(.value(id), .acceptance)
        let kind = form["kind"] ?? ""
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let back = kind == "response" ? page.with(["compound": text("compound"), "building": text("building"), "unit": text("unit")]) : page.path
        if kind == "codes" {
            // The codes are shown on the page that answers this post, once; they are not kept.
            do {
                guard let compound = UUID(uuidString: text("compound")), let building = Int(text("building")) else {
                    throw DomainError.validation([FieldError(field: "building", reason: "pick the compound and give a building number, like 3")])
                }
                let rooms = text("rooms").split(whereSeparator: { $0 == "," || $0 == "，" || $0.isWhitespace }).map(String.init)
                let issued = try await service(req).issueCodes(id, for: rooms.map { .init(compoundID: compound, building: building, unit: text("unit"), room: $0) })
                return try await render(req, form: [:], errors: [], issued: issued).encodeResponse(for: req)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try await unprocessable(try await render(req, form: form, errors: error.fields.isEmpty ? [FieldError(field: "form", reason: error.message)] : error.fields), for: req)
            }
        }
        return try await saving(req, back: back, render: { req, errors in
            try await render(req, form: form, errors: errors)
        }) {
            let service = try service(req)
            switch kind {
            case "response":
                var errors: [FieldError] = []
                let compound = UUID(uuidString: text("compound"))
                if compound == nil { errors.append(FieldError(field: "compound", reason: "pick the compound")) }
                let building = Int(text("building"))
                if building == nil { errors.append(FieldError(field: "building", reason: "a building number, like 3")) }
                let verdict = SurveyVerdict(rawValue: text("verdict"))
                if verdict == nil { errors.append(FieldError(field: "verdict", reason: "satisfied, basically satisfied or dissatisfied")) }
                guard errors.isEmpty, let compound, let building, let verdict else { throw DomainError.validation(errors) }
                _ = try await service.recordResponse(id, .init(compoundID: compound, building: building, unit: text("unit"), room: text("room"),
                                                               verdict: verdict, comment: text("comment")))
            case "check":
                _ = try await service.recordCheck(id, day: text("day"), participants: text("participants").components(separatedBy: .newlines),
                                                  punchList: text("punchList").components(separatedBy: .newlines))
            case "close":
                _ = try await service.closeSurvey(id, day: text("day"))
            default:
                throw DomainError.validation([FieldError(field: "kind", reason: "response, check or close")])
            }
        }
    }
}
