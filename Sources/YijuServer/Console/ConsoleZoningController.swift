import Fluent
import Vapor
import YijuCore

/// 大区划片 in the console: a street office's versions and the generate form, the plan
/// workspace (map, zone and lot tables, live changes, undo and redo, notice, adoption),
/// side-by-side comparison, comments, objections and exports.
struct ConsoleZoningController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let zoning = routes.grouped("zoning")
        zoning.get(use: index)
        zoning.get("street-offices", ":id", use: office)
        zoning.post("street-offices", ":id", "plans", use: generate)
        zoning.get("compare", use: compare)
        let plan = zoning.grouped("plans", ":id")
        plan.get(use: workspace)
        plan.post("change", use: change)
        plan.post("undo", use: undo)
        plan.post("redo", use: redo)
        plan.post("publish", use: publish)
        plan.post("withdraw", use: withdraw)
        plan.post("adopt", use: adopt)
        plan.post("retire", use: retire)
        plan.post("copy", use: copy)
        plan.post("comments", use: comment)
        plan.get("plan.geojson", use: geojson)
        plan.get("compounds.csv", use: csv)
        plan.get("zones.csv", use: csv)
        plan.get("notice", use: notice)
    }

    static let defaultMinFloorArea = 40_000.0
    static let defaultMaxFloorArea = 150_000.0

    private func service(_ req: Request) throws -> ZoningPlanService {
        ZoningPlanService(app: req.application, actor: try req.consoleUser.actor)
    }

    private func id(_ req: Request, _ what: String = "zoning plan") throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound(what) }
        return id
    }

    // MARK: Street offices and versions

    struct OfficeRow: Encodable {
        var id: String
        var name: String
        var versions: Int
        var latest: String
    }

    func index(req: Request) async throws -> Response {
        let actor = try req.consoleUser.actor
        if let own = Policy.officerStreetOffice(actor) {
            return req.redirect(to: "/console/zoning/street-offices/\(own.uuidString)")
        }
        let lang = req.language
        let offices = try await StreetOffice.query(on: req.db).sort(\.$code).all()
        let service = try service(req)
        var rows: [OfficeRow] = []
        for office in offices {
            guard let visible = try? await service.plans(streetOfficeID: office.id!) else { continue }
            rows.append(OfficeRow(id: office.id!.uuidString, name: office.name, versions: visible.count,
                                  latest: visible.last.map { "v\($0.version) · \(lang.strings["status." + $0.status.rawValue] ?? $0.status.rawValue)" } ?? "—"))
        }
        return try await req.renderPage("zoning-index", title: lang.strings["zoning"]!, nav: "zoning", content: rows).encodeResponse(for: req)
    }

    struct VersionRow: Encodable {
        var id: String
        var version: Int
        var status: String
        var statusLabel: String
        var zones: Int
        var lots: Int
        var bandViolations: Int
        var subsidy: String
        var createdBy: String
        var createdAt: String
        var notice: String
        var basedOn: Int?
    }

    struct CandidateRow: Encodable {
        var code: String
        var name: String
        var kind: String
        var management: String
        var renovation: String
        var waitsForWorks: Bool
        var checked: Bool
        var floorArea: String
    }

    struct OfficeContent: Encodable {
        var id: String
        var name: String
        var versions: [VersionRow]
        var mayGenerate: Bool
        var candidates: [CandidateRow]
        var minFloorArea: String
        var maxFloorArea: String
        var zonesPerLot: Int
        var errors: [FieldError]
    }

    func office(req: Request) async throws -> View {
        try await renderOffice(req, officeID: try id(req, "street office"), errors: [], form: nil)
    }

    private func renderOffice(_ req: Request, officeID: UUID, errors: [FieldError], form: GenerateForm?) async throws -> View {
        let lang = req.language
        let service = try service(req)
        guard let office = try await StreetOffice.find(officeID, on: req.db) else { throw DomainError.notFound("street office") }
        let records = try await service.plans(streetOfficeID: officeID)
        let versions = try records.reversed().map { record in
            let loaded = try ZoningPlanService.Loaded(record)
            return VersionRow(id: record.id!.uuidString, version: record.version, status: record.status.rawValue,
                              statusLabel: lang.strings["status." + record.status.rawValue] ?? record.status.rawValue,
                              zones: loaded.report.zones.count, lots: loaded.report.lots.count, bandViolations: loaded.report.bandViolations,
                              subsidy: Format.money(loaded.report.subsidy), createdBy: record.createdBy,
                              createdAt: record.createdAt.map(Format.dateTime) ?? "",
                              notice: record.noticeStart.map { "\($0) – \(record.noticeEnd ?? "")" } ?? "", basedOn: record.basedOn)
        }
        let mayGenerate = Policy.decide(service.actor, .create, .zoningPlan(streetOfficeID: officeID, adopted: false)) == .allow
        var candidates: [CandidateRow] = []
        if mayGenerate {
            let chosen = form.map { Set($0.compounds ?? []) }
            candidates = try await service.candidates(streetOfficeID: officeID).1.map { c, byDefault in
                CandidateRow(code: c.code, name: c.name, kind: lang.label(c.kind), management: lang.label(c.management),
                             renovation: lang.label(c.renovation), waitsForWorks: c.renovation == .planned || c.renovation == .underWorks,
                             checked: chosen.map { $0.contains(c.code) } ?? byDefault, floorArea: Format.area(c.floorArea))
            }
        }
        let content = OfficeContent(
            id: officeID.uuidString, name: office.name, versions: versions, mayGenerate: mayGenerate, candidates: candidates,
            minFloorArea: form?.minFloorArea ?? Format.plain(Self.defaultMinFloorArea),
            maxFloorArea: form?.maxFloorArea ?? Format.plain(Self.defaultMaxFloorArea),
            zonesPerLot: form.flatMap { Int($0.zonesPerLot ?? "") } ?? 3, errors: errors)
        return try await req.renderPage("zoning-office", title: "\(lang.strings["zoning"]!) · \(office.name)", nav: "zoning", content: content)
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
            return req.redirect(to: "/console/zoning/plans/\(loaded.record.id!.uuidString)")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .badRequest {
            let view = try await renderOffice(req, officeID: officeID, errors: error.fields.isEmpty ? [FieldError(field: "", reason: error.message)] : error.fields, form: form)
            let response = try await view.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    // MARK: The workspace

    struct ZoneRow: Encodable {
        var id: String
        var colour: String
        var lot: String
        var compounds: Int
        var floorArea: String
        var households: Int
        var income: String
        var cost: String
        var subsidy: String
        var violations: String
        var locked: Bool
    }

    struct LotRow: Encodable {
        var id: String
        var zones: String
        var floorArea: String
        var households: Int
        var income: String
        var cost: String
        var subsidy: String
        var connected: Bool
    }

    struct Option: Encodable {
        var value: String
        var label: String
    }

    struct Summary: Encodable {
        var zones: Int
        var lots: Int
        var compounds: Int
        var floorArea: String
        var households: Int
        var bandViolations: Int
        var unavoidable: [String]
        var subsidy: String
        var dispersion: String
        var valid: Bool
    }

    struct WorkspaceContent: Encodable {
        var id: String
        var officeID: String
        var officeName: String
        var version: Int
        var revision: Int
        var status: String
        var statusLabel: String
        var isDraft: Bool
        var mayChange: Bool
        var canUndo: Bool
        var canRedo: Bool
        var noticeStart: String?
        var noticeEnd: String?
        var adoptedOn: String?
        var closedOn: String?
        var adoptable: Bool
        var basedOn: Int?
        var svg: String
        var summary: Summary
        var zones: [ZoneRow]
        var lots: [LotRow]
        var compoundOptions: [Option]
        var zoneOptions: [Option]
        var message: String?
        var messageIsError: Bool
        var suggestion: String?
        var comments: [CommentRow]
        var objections: [ObjectionRow]
        var otherVersions: [Option]
        var publicURL: String
    }

    struct CommentRow: Encodable {
        var author: String
        var body: String
        var at: String
    }

    struct ObjectionRow: Encodable {
        var name: String
        var phone: String
        var compound: String
        var body: String
        var at: String
    }

    static func summary(_ loaded: ZoningPlanService.Loaded) -> Summary {
        let r = loaded.report
        return Summary(zones: r.zones.count, lots: r.lots.count, compounds: loaded.problem.compounds.count,
                       floorArea: Format.area(loaded.problem.compounds.reduce(0) { $0 + $1.floorArea }),
                       households: loaded.problem.compounds.reduce(0) { $0 + $1.households }, bandViolations: r.bandViolations,
                       unavoidable: r.unavoidable.map(\.description), subsidy: Format.money(r.subsidy),
                       dispersion: String(format: "%.3f", r.dispersion), valid: r.isValid)
    }

    static func zoneRows(_ loaded: ZoningPlanService.Loaded) -> [ZoneRow] {
        let index = Dictionary(loaded.plan.zoneIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return loaded.report.zones.map { z in
            ZoneRow(id: z.id, colour: ZoningMap.colour(zoneIndex: index[z.id] ?? 0), lot: z.lot, compounds: z.compoundIDs.count,
                    floorArea: Format.area(z.floorArea), households: z.households, income: Format.money(z.income), cost: Format.money(z.cost),
                    subsidy: Format.money(z.subsidy), violations: z.violations.map(\.description).joined(separator: "; "),
                    locked: loaded.record.lockedZones.contains(z.id))
        }
    }

    static func lotRows(_ loaded: ZoningPlanService.Loaded) -> [LotRow] {
        loaded.report.lots.map { l in
            LotRow(id: l.id, zones: l.zoneIDs.joined(separator: ", "), floorArea: Format.area(l.floorArea), households: l.households,
                   income: Format.money(l.income), cost: Format.money(l.cost), subsidy: Format.money(l.subsidy), connected: l.connected)
        }
    }

    private func content(_ req: Request, _ loaded: ZoningPlanService.Loaded, message: String? = nil, isError: Bool = false,
                         suggestion: [String: String] = [:]) async throws -> WorkspaceContent {
        let lang = req.language
        let service = try service(req)
        let record = loaded.record
        let officeID = record.$streetOffice.id
        let mayChange = Policy.decide(service.actor, .update, .zoningPlan(streetOfficeID: officeID, adopted: false)) == .allow
        let id = record.id!
        let comments = try await ZoningComment.query(on: req.db).filter(\.$plan.$id == id).sort(\.$createdAt).all()
        let objections = mayChange ? try await ZoningObjection.query(on: req.db).filter(\.$plan.$id == id).sort(\.$createdAt).all() : []
        let others = try await service.plans(streetOfficeID: officeID).filter { $0.id != id }
        let zoneOfCompound = Dictionary(loaded.report.zones.flatMap { z in z.compoundIDs.map { ($0, z.id) } }, uniquingKeysWith: { a, _ in a })
        let title = "\(loaded.problem.compounds.first?.street ?? "") v\(record.version)"
        return WorkspaceContent(
            id: id.uuidString, officeID: officeID.uuidString, officeName: record.$streetOffice.value?.name ?? loaded.problem.compounds.first?.street ?? "",
            version: record.version, revision: record.revision, status: record.status.rawValue,
            statusLabel: lang.strings["status." + record.status.rawValue] ?? record.status.rawValue,
            isDraft: record.status == .draft, mayChange: mayChange, canUndo: loaded.canUndo,
            canRedo: record.status == .draft && !record.redoStack.isEmpty, noticeStart: record.noticeStart, noticeEnd: record.noticeEnd,
            adoptedOn: record.adoptedOn, closedOn: record.closedOn,
            adoptable: record.status == .notice && (record.noticeEnd.map { service.today > $0 } ?? false), basedOn: record.basedOn,
            svg: loaded.map(title: title), summary: Self.summary(loaded), zones: Self.zoneRows(loaded), lots: Self.lotRows(loaded),
            compoundOptions: loaded.problem.compounds.map { Option(value: $0.id, label: "\($0.id) \($0.name) · \(zoneOfCompound[$0.id] ?? "")") },
            zoneOptions: loaded.report.zones.map { Option(value: $0.id, label: $0.id) },
            message: message, messageIsError: isError,
            suggestion: suggestion.isEmpty ? nil : suggestion.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", "),
            comments: comments.map { CommentRow(author: $0.author, body: $0.body, at: $0.createdAt.map(Format.dateTime) ?? "") },
            objections: objections.map { ObjectionRow(name: $0.name, phone: $0.phone, compound: $0.compoundCode ?? "", body: $0.body, at: Format.dateTime($0.createdAt)) },
            otherVersions: others.map { Option(value: $0.id!.uuidString, label: "v\($0.version) · \(lang.strings["status." + $0.status.rawValue] ?? "")") },
            publicURL: "/public/zoning/\(id.uuidString)")
    }

    func workspace(req: Request) async throws -> View {
        let loaded = try await service(req).load(try id(req))
        return try await renderWorkspace(req, loaded, template: "zoning-plan", message: req.query[String.self, at: "msg"])
    }

    private func renderWorkspace(_ req: Request, _ loaded: ZoningPlanService.Loaded, template: String, message: String? = nil,
                                 isError: Bool = false, suggestion: [String: String] = [:]) async throws -> View {
        let lang = req.language
        let content = try await content(req, loaded, message: message, isError: isError, suggestion: suggestion)
        return try await req.renderPage(template, title: "\(lang.strings["zoning"]!) · \(content.officeName) · v\(loaded.record.version)",
                                        nav: "zoning", content: content)
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
            guard isLive else { return req.redirect(to: "/console/zoning/plans/\(loaded.record.id!.uuidString)?msg=\(message.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")") }
            return try await renderWorkspace(req, loaded, template: "zoning-workspace", message: message, suggestion: suggestion).encodeResponse(for: req)
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
        return req.redirect(to: "/console/zoning/plans/\(planID.uuidString)")
    }

    func withdraw(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).withdraw(planID)
        return req.redirect(to: "/console/zoning/plans/\(planID.uuidString)")
    }

    func adopt(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).adopt(planID)
        return req.redirect(to: "/console/zoning/plans/\(planID.uuidString)")
    }

    func retire(req: Request) async throws -> Response {
        let planID = try id(req)
        _ = try await service(req).retire(planID)
        return req.redirect(to: "/console/zoning/plans/\(planID.uuidString)")
    }

    func copy(req: Request) async throws -> Response {
        let loaded = try await service(req).copy(try id(req))
        return req.redirect(to: "/console/zoning/plans/\(loaded.record.id!.uuidString)")
    }

    struct CommentForm: Content {
        var body: String?
    }

    func comment(req: Request) async throws -> Response {
        let planID = try id(req)
        let form = try req.content.decode(CommentForm.self)
        _ = try await service(req).addComment(planID, body: form.body ?? "")
        return req.redirect(to: "/console/zoning/plans/\(planID.uuidString)#comments")
    }

    // MARK: Comparison and exports

    struct CompareSide: Encodable {
        var id: String
        var label: String
        var svg: String
        var summary: Summary
    }

    struct CompareContent: Encodable {
        var a: CompareSide
        var b: CompareSide
        /// Both, for drawing them with one loop.
        var sides: [CompareSide]
        var sameZones: Int
        var changed: [String]
        var onlyInA: [String]
        var onlyInB: [String]
        var officeID: String
    }

    func compare(req: Request) async throws -> View {
        guard let first = req.query[UUID.self, at: "a"], let second = req.query[UUID.self, at: "b"] else {
            throw DomainError.validation([FieldError(field: "a", reason: "choose two versions to compare")])
        }
        let lang = req.language
        let c = try await service(req).compare(first, with: second)
        func side(_ l: ZoningPlanService.Loaded) -> CompareSide {
            let label = "v\(l.record.version) · \(lang.strings["status." + l.record.status.rawValue] ?? "")"
            return CompareSide(id: l.record.id!.uuidString, label: label, svg: l.map(title: label, width: 640), summary: Self.summary(l))
        }
        let a = side(c.a), b = side(c.b)
        let content = CompareContent(a: a, b: b, sides: [a, b], sameZones: c.sameZones, changed: c.changedCompounds,
                                     onlyInA: c.onlyInA, onlyInB: c.onlyInB, officeID: c.a.record.$streetOffice.id.uuidString)
        return try await req.renderPage("zoning-compare", title: lang.strings["compareVersions"]!, nav: "zoning", content: content)
    }

    func geojson(req: Request) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        return Self.download(loaded.record.document, type: HTTPMediaType(type: "application", subType: "geo+json"),
                             name: "zoning-v\(loaded.record.version).geojson")
    }

    func csv(req: Request) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        let table: ZoningPlanService.Loaded.Table = req.url.path.hasSuffix("zones.csv") ? .zones : .compounds
        return Self.download(loaded.csv(table), type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
                             name: "zoning-v\(loaded.record.version)-\(table.rawValue).csv")
    }

    static func download(_ text: String, type: HTTPMediaType, name: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return response
    }

    func notice(req: Request) async throws -> Response {
        let loaded = try await service(req).load(try id(req))
        // The printed notice hangs on a wall: give residents the whole address of the public page.
        let host = req.headers.first(name: .host).map { "\(req.application.yijuConfig.secureCookies ? "https" : "http")://\($0)" } ?? ""
        let html = try await ZoningNotice.render(loaded, language: req.language, publicURL: "\(host)/public/zoning/\(loaded.record.id!.uuidString)",
                                                 on: req.application)
        let response = Response(status: .ok, body: .init(string: html))
        response.headers.contentType = .html
        return response
    }
}

/// The one-page printable notice (公示): title, dates, map, zones and lots, how to object.
enum ZoningNotice {
    struct Context: Encodable {
        var t: [String: String]
        var lang: String
        var officeName: String
        var version: Int
        var status: String
        var statusLabel: String
        var noticeStart: String?
        var noticeEnd: String?
        var adoptedOn: String?
        var svg: String
        var summary: ConsoleZoningController.Summary
        var zones: [ConsoleZoningController.ZoneRow]
        var lots: [ConsoleZoningController.LotRow]
        var publicURL: String
    }

    static func context(_ loaded: ZoningPlanService.Loaded, language: Language, publicURL: String?) -> Context {
        let record = loaded.record
        let name = record.$streetOffice.value?.name ?? loaded.problem.compounds.first?.street ?? ""
        return Context(t: language.strings, lang: language.rawValue, officeName: name, version: record.version,
                       status: record.status.rawValue, statusLabel: language.strings["status." + record.status.rawValue] ?? record.status.rawValue,
                       noticeStart: record.noticeStart, noticeEnd: record.noticeEnd, adoptedOn: record.adoptedOn,
                       svg: loaded.map(title: "\(name) v\(record.version)", width: 700),
                       summary: ConsoleZoningController.summary(loaded), zones: ConsoleZoningController.zoneRows(loaded),
                       lots: ConsoleZoningController.lotRows(loaded), publicURL: publicURL ?? "/public/zoning/\(record.id!.uuidString)")
    }

    static func render(_ loaded: ZoningPlanService.Loaded, language: Language, publicURL: String?, on app: Application) async throws -> String {
        let view = try await app.view.render("zoning-notice", context(loaded, language: language, publicURL: publicURL)).get()
        return String(buffer: view.data)
    }
}
