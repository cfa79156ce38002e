import Fluent
import Vapor
import YijuCore

/// 大区划片 in the console: a street office's versions and the generate form, the plan
/// workspace (map, zone and lot tables, live changes, undo and redo, notice, adoption),
/// side-by-side comparison, comments, objections and exports.
struct ConsoleZoningController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.zoning.routeComponents, use: index)
        routes.get(ConsolePath.zoningOffice(.key).routeComponents, use: office)
        routes.post(ConsolePath.zoningPlans(ofStreetOffice: .key).routeComponents, use: generate)
        routes.get(ConsolePath.zoningCompare.routeComponents, use: compare)
        routes.get(ConsolePath.plan(.key).routeComponents, use: workspace)
        routes.post(ConsolePath.plan(.key, .change).routeComponents, use: change)
        routes.post(ConsolePath.plan(.key, .undo).routeComponents, use: undo)
        routes.post(ConsolePath.plan(.key, .redo).routeComponents, use: redo)
        routes.post(ConsolePath.plan(.key, .publish).routeComponents, use: publish)
        routes.post(ConsolePath.plan(.key, .withdraw).routeComponents, use: withdraw)
        routes.post(ConsolePath.plan(.key, .adopt).routeComponents, use: adopt)
        routes.post(ConsolePath.plan(.key, .retire).routeComponents, use: retire)
        routes.post(ConsolePath.plan(.key, .copy).routeComponents, use: copy)
        routes.post(ConsolePath.plan(.key, .comments).routeComponents, use: comment)
        routes.get(ConsolePath.plan(.key, .geojson).routeComponents, use: geojson)
        routes.get(ConsolePath.plan(.key, .compoundsCSV).routeComponents, use: { try await csv($0, .compounds) })
        routes.get(ConsolePath.plan(.key, .zonesCSV).routeComponents, use: { try await csv($0, .zones) })
        routes.get(ConsolePath.plan(.key, .notice).routeComponents, use: notice)
    }

    private func service(_ req: Request) throws -> ZoningPlanService {
        ZoningPlanService(app: req.application, actor: try req.consoleUser.actor)
    }

    private func id(_ req: Request, _ what: String = "zoning plan") throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound(what) }
        return id
    }

    // MARK: Street offices and versions

    func index(req: Request) async throws -> Response {
        let actor = try req.consoleUser.actor
        // A street officer's zoning is their own street office's.
        if let own = Policy.officerStreetOffice(actor) {
            return req.redirect(to: ConsolePath.zoningOffice(.value(own)).path)
        }
        let service = try service(req)
        var visible: [(StreetOffice, [ZoningPlanRecord])] = []
        for office in try await StreetOffice.query(on: req.db).sort(\.$code).all() {
            guard let plans = try? await service.plans(streetOfficeID: try office.requireID()) else { continue }
            visible.append((office, plans))
        }
        return try await req.renderPage("zoning-index", title: req.language.strings["zoning"]!, nav: .zoning,
                                        content: try ZoningIndexPage(offices: visible, req.language)).encodeResponse(for: req)
    }

    func office(req: Request) async throws -> View {
        try await renderOffice(req, officeID: try id(req, "street office"), errors: [], form: nil)
    }

    private func renderOffice(_ req: Request, officeID: UUID, errors: [FieldError], form: GenerateForm?) async throws -> View {
        let lang = req.language
        let service = try service(req)
        guard let office = try await StreetOffice.find(officeID, on: req.db) else { throw DomainError.notFound("street office") }
        let plans = try await service.plans(streetOfficeID: officeID).map { try ZoningPlanService.Loaded($0) }
        let mayGenerate = Policy.allows(service.actor, .create, .zoningPlan(streetOfficeID: officeID, adopted: false))
        let candidates = mayGenerate ? try await service.candidates(streetOfficeID: officeID).1 : nil
        let content = try ZoningOfficePage(
            office: office, plans: plans, candidates: candidates,
            form: form.map { .init(minFloorArea: $0.minFloorArea, maxFloorArea: $0.maxFloorArea, zonesPerLot: $0.zonesPerLot, compounds: $0.compounds) },
            errors: errors, lang)
        return try await req.renderPage("zoning-office", title: "\(lang.strings["zoning"]!) · \(office.name)", nav: .zoning, content: content)
    }

    struct GenerateForm: Content {
        var minFloorArea: String?
        var maxFloorArea: String?
        var zonesPerLot: String?
        var objective: String?
        var compounds: [String]?
    }

    func generate(req: Request) async throws -> Response {
        let officeID = try id(req, "street office")
        let form = try req.content.decode(GenerateForm.self)
        var errors: [FieldError] = []
        func number(_ raw: String?, _ field: String) -> Double {
            guard let raw, let v = Double(raw.replacingOccurrences(of: ",", with: "").trimmingCharacters(in: .whitespaces)) else {
                errors.append(FieldError(field: field, reason: "must be a number of m²"))
                return 0
            }
            return v
        }
        let minArea = number(form.minFloorArea, "minFloorArea"), maxArea = number(form.maxFloorArea, "maxFloorArea")
        let lot = Int(form.zonesPerLot?.trimmingCharacters(in: .whitespaces) ?? "")
        if lot == nil { errors.append(FieldError(field: "zonesPerLot", reason: "must be a whole number")) }
        do {
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            let request = ZoningPlanService.Request(minFloorArea: minArea, maxFloorArea: maxArea, zonesPerLot: lot,
                                                    objective: ZoningObjective(rawValue: form.objective ?? "") ?? .viable,
                                                    compoundCodes: form.compounds ?? [])
            let loaded = try await service(req).generate(streetOfficeID: officeID, request)
            return req.redirect(to: ConsolePath.plan(.value(try loaded.record.requireID())).path)
        } catch let error as DomainError where error.kind == .invalid || error.kind == .badRequest {
            let view = try await renderOffice(req, officeID: officeID, errors: error.fields.isEmpty ? [FieldError(field: "", reason: error.message)] : error.fields, form: form)
            return try await unprocessable(view, for: req)
        }
    }

    // MARK: The workspace

    func workspace(req: Request) async throws -> View {
        let loaded = try await service(req).load(try id(req))
        return try await renderWorkspace(req, loaded, template: "zoning-plan", message: .init(text: req.query[String.self, at: "msg"]))
    }

    /// The whole page, or (`zoning-workspace`) the fragment a live change replaces.
    private func renderWorkspace(_ req: Request, _ loaded: ZoningPlanService.Loaded, template: String,
                                 message: PlanWorkspacePage.Message) async throws -> View {
        let lang = req.language
        let service = try service(req)
        let record = loaded.record
        let id = try record.requireID()
        let mayChange = Policy.allows(service.actor, .update, .zoningPlan(streetOfficeID: record.$streetOffice.id, adopted: false))
        let content = try PlanWorkspacePage(
            loaded, mayChange: mayChange,
            comments: try await ZoningComment.query(on: req.db).filter(\.$plan.$id == id).sort(\.$createdAt).all(),
            objections: mayChange ? try await ZoningObjection.query(on: req.db).filter(\.$plan.$id == id).sort(\.$createdAt).all() : [],
            others: try await service.plans(streetOfficeID: record.$streetOffice.id).filter { $0.id != id },
            today: service.today, message: message, lang)
        return try await req.renderPage(template, title: "\(lang.strings["zoning"]!) · \(content.officeName) · v\(record.version)",
                                        nav: .zoning, content: content)
    }

    struct ChangeForm: Content {
        var revision: Int?
        var kind: String?
        var compoundId: String?
        var zoneId: String?
        var otherZoneId: String?
    }

    /// Live requests (the page's script sends `X-Live`) get the workspace fragment back, or the
    /// refusal as text with its status; a plain form post goes back to the page.
    private func live(_ req: Request, _ work: () async throws -> (ZoningPlanService.Loaded, String, [String: String])) async throws -> Response {
        let isLive = req.headers.first(name: "X-Live") != nil
        do {
            let (loaded, message, suggestion) = try await work()
            guard isLive else { return req.redirect(to: ConsolePath.plan(.value(try loaded.record.requireID())).with(["msg": message])) }
            return try await renderWorkspace(req, loaded, template: "zoning-workspace", message: .init(text: message, suggestion: suggestion))
                .encodeResponse(for: req)
        } catch let error as DomainError where isLive && [.invalid, .conflict, .badRequest].contains(error.kind) {
            let response = Response(status: error.kind == .conflict ? .conflict : .unprocessableEntity, body: .init(string: error.message))
            response.headers.contentType = .plainText
            response.headers.replaceOrAdd(name: "X-Error-Code", value: error.code)
            return response
        }
    }

    func change(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(ChangeForm.self)
        return try await live(req) {
            guard let revision = form.revision else { throw DomainError.validation([FieldError(field: "revision", reason: "is required")]) }
            let change = try Self.change(form)
            let (loaded, outcome) = try await service(req).edit(planID, revision: revision, change: change)
            let bad = outcome.zones.filter { !$0.violations.isEmpty }.map { "\($0.id): \($0.violations.map(\.description).joined(separator: "; "))" }
            let done = ZoningPlanService.describe(change)
            return (loaded, bad.isEmpty ? done : "\(done) — \(bad.joined(separator: " · "))", outcome.suggestion)
        }
    }

    static func change(_ form: ChangeForm) throws -> ZoningEditor.Change {
        try ZoningPlanService.change(kind: form.kind ?? "", compoundID: form.compoundId, zoneID: form.zoneId, otherZoneID: form.otherZoneId)
    }

    func undo(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(ChangeForm.self)
        return try await live(req) {
            let loaded = try await service(req).undo(planID, revision: form.revision ?? -1)
            return (loaded, req.language.strings["undone"]!, [:])
        }
    }

    func redo(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(ChangeForm.self)
        return try await live(req) {
            let loaded = try await service(req).redo(planID, revision: form.revision ?? -1)
            return (loaded, req.language.strings["redone"]!, [:])
        }
    }

    struct PublishForm: Content {
        var revision: Int?
        var noticeDays: String?
    }

    func publish(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(PublishForm.self)
        guard let days = Int(form.noticeDays?.trimmingCharacters(in: .whitespaces) ?? "") else {
            throw DomainError.validation([FieldError(field: "noticeDays", reason: "must be a whole number of days")])
        }
        _ = try await service(req).publish(planID, revision: form.revision, days: days)
        return req.redirect(to: ConsolePath.plan(.value(planID)).path)
    }

    func withdraw(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).withdraw(planID)
        return req.redirect(to: ConsolePath.plan(.value(planID)).path)
    }

    func adopt(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).adopt(planID)
        return req.redirect(to: ConsolePath.plan(.value(planID)).path)
    }

    func retire(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).retire(planID)
        return req.redirect(to: ConsolePath.plan(.value(planID)).path)
    }

    func copy(req: Request) async throws -> Response {
        let loaded = try await service(req).copy(try id(req))
        return req.redirect(to: ConsolePath.plan(.value(try loaded.record.requireID())).path)
    }

    struct CommentForm: Content {
        var body: String?
    }

    func comment(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(CommentForm.self)
        _ = try await service(req).addComment(planID, body: form.body ?? "")
        return req.redirect(to: ConsolePath.plan(.value(planID)).path + "#comments")
    }

    // MARK: Comparison and exports

    func compare(req: Request) async throws -> View {
        guard let first = req.query[UUID.self, at: "a"], let second = req.query[UUID.self, at: "b"] else {
            throw DomainError.validation([FieldError(field: "a", reason: "choose two versions to compare")])
        }
        let content = try PlanComparisonPage(try await service(req).compare(first, with: second), req.language)
        return try await req.renderPage("zoning-compare", title: req.language.strings["compareVersions"]!, nav: .zoning, content: content)
    }

    func geojson(req: Request) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        return download(loaded.record.document, type: HTTPMediaType(type: "application", subType: "geo+json"),
                             name: "zoning-v\(loaded.record.version).geojson")
    }

    func csv(_ req: Request, _ table: ZoningPlanService.Loaded.Table) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        return download(loaded.csv(table), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                             name: "zoning-v\(loaded.record.version)-\(table.rawValue).csv")
    }


    func notice(req: Request) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        // The printed notice hangs on a wall: give residents the whole address of the public page.
        let host = req.headers.first(name: .host).map { "\(req.application.yijuConfig.secureCookies ? "https" : "http")://\($0)" } ?? ""
        let html = try await ZoningNotice.render(loaded, language: req.language, publicURL: host + PublicPath.zoningPlan(.value(try loaded.record.requireID())).path,
                                                 on: req.application)
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        return response
    }
}
