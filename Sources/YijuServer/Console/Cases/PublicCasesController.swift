import Fluent
import Vapor
import YijuCore

/// The phone-friendly public pages for cases: file one, and look one up by number.
struct PublicCasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(PublicPath.fileCase.routeComponents, use: form)
        routes.post(PublicPath.fileCase.routeComponents, use: file)
        routes.get(PublicPath.caseLookup.routeComponents, use: lookup)
        routes.get(PublicPath.compoundNames.routeComponents, use: compounds)
    }

    /// The resident's form: what it is about, where, and how to be called back.
    struct FormContent: Encodable {
        var domains: [Option]
        var values: [String: String]
        var errors: [FieldError]
        var action = PublicPath.fileCase.path
        var suggestions = PublicPath.compoundNames.path
        var lookup = PublicPath.caseLookup.path
    }

    func form(req: Request) async throws -> View {
        try await render(req, values: [:], errors: [])
    }

    private func render(_ req: Request, values: [String: String], errors: [FieldError]) async throws -> View {
        let lang = req.language
        let domains = CaseDomain.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: values["domain"] == $0.rawValue) }
        return try await req.renderPublicPage("public-case-new", title: lang.strings["publicCase"]!,
                                              content: FormContent(domains: domains, values: values, errors: errors))
    }

    struct FileForm: Content {
        var reporterName: String?
        var reporterPhone: String?
        var compound: String?
        var building: String?
        var unit: String?
        var domain: String?
        var description: String?
    }

    func file(req: Request) async throws -> Response {
        let form = try req.content.decode(FileForm.self)
        var values: [String: String] = [:]
        for (k, v) in [("reporterName", form.reporterName), ("reporterPhone", form.reporterPhone), ("compound", form.compound),
                       ("building", form.building), ("unit", form.unit), ("domain", form.domain), ("description", form.description)] { values[k] = v ?? "" }
        do {
            guard let domain = CaseDomain(rawValue: form.domain ?? "") else { throw DomainError.validation([FieldError(field: "domain", reason: "choose what it is about")]) }
            let (code, address) = try await CompoundBox.read(form.compound, on: req.db)
            let filing = PublicCases.Filing(reporterName: form.reporterName ?? "", reporterPhone: form.reporterPhone ?? "",
                                            compoundCode: code, address: address, building: form.building,
                                            unit: form.unit, domain: domain, description: form.description ?? "")
            let record = try await PublicCases(app: req.application).file(filing, source: req.remoteAddress?.ipAddress ?? "unknown")
            return req.redirect(to: PublicPath.caseLookup.with(["number": record.number, "phone4": String(record.reporterPhone.suffix(4)), "new": "1"]))
        } catch let error as DomainError where error.kind == .invalid {
            return try await unprocessable(try await render(req, values: values, errors: error.fields), for: req)
        }
    }

    struct LookupContent: Encodable {
        var number: String
        var phone4: String
        var isNew: Bool
        var found: Bool
        var asked: Bool
        var stateLabel: String
        var colour: String
        var compound: String
        var domain: String
        var handler: String
        var received: String
        var due: String
        var steps: [Step]
        var action = PublicPath.caseLookup.path
    }

    struct Step: Encodable {
        var at: String
        var kind: String
        var note: String
    }

    func lookup(req: Request) async throws -> View {
        let lang = req.language
        let number = req.query[String.self, at: "number"] ?? ""
        let phone4 = req.query[String.self, at: "phone4"] ?? ""
        var content = LookupContent(number: number, phone4: phone4, isNew: req.query[String.self, at: "new"] != nil, found: false,
                                    asked: !number.isEmpty, stateLabel: "", colour: "", compound: "", domain: "", handler: "", received: "", due: "", steps: [])
        if !number.isEmpty, let (c, events) = try? await PublicCases(app: req.application).lookup(number: number, phoneLast4: phone4) {
            content.found = true
            content.stateLabel = lang.label(c.state)
            content.colour = c.colour.rawValue
            content.compound = c.compound.name
            content.domain = lang.label(c.domain)
            content.handler = c.handlerName
            content.received = Format.dateTime(c.receivedAt)
            content.due = c.dueAt.map(Format.dateTime) ?? ""
            content.steps = events.map { Step(at: Format.dateTime($0.at), kind: lang.strings["event." + $0.kind] ?? $0.kind,
                                              note: ["replied", "closed"].contains($0.kind) ? $0.note : "") }
        }
        return try await req.renderPublicPage("public-case", title: lang.strings["publicLookup"]!, content: content)
    }

    /// Compound names for the form's list: names and codes only, which the registry publishes anyway.
    func compounds(req: Request) async throws -> [String] {
        let text = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        guard text.count >= 2 else { return [] }
        return try await Compound.query(on: req.db).group(.or) { $0.filter(\.$name ~~ text).filter(\.$address ~~ text).filter(\.$code == text) }
            .sort(\.$code).limit(10).all().map { "\($0.code) \($0.name)" }
    }
}
