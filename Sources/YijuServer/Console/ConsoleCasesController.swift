import Fluent
import Vapor
import YijuCore

/// Cases in the console: the intake form, the colour ledger (every role sees its own
/// inbox through the same page), the case page with its timeline and the steps the user
/// may take, and the bureau's case settings.
struct ConsoleCasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.get(use: ledger)
        cases.get("new", use: intakeForm)
        cases.post(use: intake)
        cases.get("compound-suggestions", use: suggestions)
        cases.get("figures", use: figures)
        cases.get("export.csv", use: export)
        cases.get("export.xlsx", use: export)
        cases.get(":id", use: show)
        cases.post(":id", "steps", use: step)
        cases.post(":id", "phone", use: phone)
        cases.on(.POST, ":id", "photos", body: .collect(maxSize: "6mb"), use: addPhoto)
        cases.get(":id", "photos", ":photo", use: photo)
        routes.get("case-settings", use: settings)
        routes.post("case-settings", use: saveSettings)
        routes.post("case-settings", "calendar", use: saveCalendar)
    }

    private func service(_ req: Request) throws -> CaseService {
        CaseService(app: req.application, actor: try req.consoleUser.actor)
    }

    // MARK: The ledger

    struct Row: Encodable {
        var id: String
        var number: String
        var colour: String
        var colourLabel: String
        var received: String
        var compound: String
        var domain: String
        var handler: String
        var state: String
        var stateLabel: String
        var due: String
        var overdue: Bool
        var repeatCount: Int
        var escalated: Bool
        var unanswered: Bool
    }

    struct LedgerContent: Encodable {
        var rows: [Row]
        var total: Int
        var filters: [String: String]
        var colours: [Option]
        var states: [Option]
        var domains: [Option]
        var mayTakeIn: Bool
        /// The bureau's and the street office's "needs attention" counts, each a link to its ledger.
        var attention: [Attention]?
        var prev: String?
        var next: String?
    }

    struct Attention: Encodable {
        var label: String
        var count: Int
        var link: String
    }

    static func row(_ c: CaseRecord, _ lang: Language, now: Date) -> Row {
        Row(id: c.id!.uuidString, number: c.number, colour: c.colour.rawValue, colourLabel: lang.label(c.colour),
            received: Format.dateTime(c.receivedAt), compound: "\(c.compound.code) \(c.compound.name)", domain: lang.label(c.domain),
            handler: c.loadedCompany?.name ?? c.loadedDepartment?.name ?? (c.handlerKind == .streetOffice ? c.streetOffice.name : "—"),
            state: c.state.rawValue, stateLabel: lang.label(c.state), due: c.dueAt.map(Format.dateTime) ?? "",
            overdue: c.overdueAt != nil || (c.state.isOpen && c.state != .replied && c.state != .followedUp && (c.dueAt.map { $0 < now } ?? false)),
            repeatCount: c.repeatCount, escalated: c.escalatedAt != nil, unanswered: c.unansweredAt != nil)
    }

    func ledger(req: Request) async throws -> View {
        let lang = req.language
        let q = req.query
        func flag(_ key: String) -> Bool? { q[String.self, at: key].flatMap { $0 == "1" ? true : $0 == "0" ? false : nil } }
        let offset = max(0, q[Int.self, at: "offset"] ?? 0)
        let filter = CaseService.Filter(
            colour: q[String.self, at: "colour"].flatMap(CaseColour.init), state: q[String.self, at: "state"].flatMap(CaseState.init),
            domain: q[String.self, at: "domain"].flatMap(CaseDomain.init), overdue: flag("overdue"), repeats: flag("repeat"), open: flag("open"),
            escalated: flag("escalated"), unanswered: flag("unanswered"), missedCheckIn: flag("missedCheckIn"),
            q: q[String.self, at: "q"], limit: 50, offset: offset)
        let service = try service(req)
        let page = try await service.ledger(filter)
        let now = req.application.clock.now()
        var filters: [String: String] = [:]
        for key in ["colour", "state", "domain", "overdue", "repeat", "open", "escalated", "unanswered", "missedCheckIn", "q"] { filters[key] = q[String.self, at: key] ?? "" }
        func link(_ newOffset: Int) -> String {
            var items = filters.filter { !$0.value.isEmpty }.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            items.append("offset=\(newOffset)")
            return "/console/cases?" + items.sorted().joined(separator: "&")
        }
        let actor = service.actor!
        var attention: [Attention]?
        if CasePolicy.watchesAttention(actor) {
            attention = try await service.attention().map {
                Attention(label: lang.strings[$0.key] ?? $0.key, count: $0.count, link: "/console/cases?open=1&\($0.key)=1")
            }
        }
        let content = LedgerContent(
            rows: page.items.map { Self.row($0, lang, now: now) }, total: page.total, filters: filters,
            colours: CaseColour.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["colour"] == $0.rawValue) },
            states: CaseState.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["state"] == $0.rawValue) },
            domains: CaseDomain.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["domain"] == $0.rawValue) },
            mayTakeIn: !CasePolicy.intakeChannels(actor).isEmpty, attention: attention,
            prev: offset > 0 ? link(max(0, offset - 50)) : nil, next: offset + 50 < page.total ? link(offset + 50) : nil)
        return try await req.renderPage("cases", title: lang.strings["cases"]!, nav: "cases", content: content)
    }

    // MARK: Intake

    struct IntakeContent: Encodable {
        var channels: [Option]
        var domains: [Option]
        var values: [String: String]
        var errors: [FieldError]
    }

    func intakeForm(req: Request) async throws -> View {
        try await renderIntake(req, values: [:], errors: [])
    }

    private func renderIntake(_ req: Request, values: [String: String], errors: [FieldError]) async throws -> View {
        let lang = req.language
        let actor = try req.consoleUser.actor
        let channels = CasePolicy.intakeChannels(actor)
        let content = IntakeContent(
            channels: channels.map { Option(value: $0.rawValue, label: lang.label($0), selected: values["channel"] == $0.rawValue) },
            domains: CaseDomain.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: values["domain"] == $0.rawValue) },
            values: values, errors: errors)
        return try await req.renderPage("case-new", title: lang.strings["newCase"]!, nav: "cases", content: content)
    }

    struct IntakeForm: Content {
        var channel: String?
        var externalNumber: String?
        var reporterName: String?
        var reporterPhone: String?
        var compound: String?
        var building: String?
        var unit: String?
        var domain: String?
        var description: String?
        var urgent: String?
        var severalDepartments: String?
        var resolution: String?
    }

    func intake(req: Request) async throws -> Response {
        let form = try req.content.decode(IntakeForm.self)
        var values: [String: String] = [:]
        for (key, value) in [("channel", form.channel), ("externalNumber", form.externalNumber), ("reporterName", form.reporterName),
                             ("reporterPhone", form.reporterPhone), ("compound", form.compound), ("building", form.building),
                             ("unit", form.unit), ("domain", form.domain), ("description", form.description), ("resolution", form.resolution)] {
            values[key] = value ?? ""
        }
        do {
            guard let channel = CaseChannel(rawValue: form.channel ?? "") else { throw DomainError.validation([FieldError(field: "channel", reason: "choose a channel")]) }
            guard let domain = CaseDomain(rawValue: form.domain ?? "") else { throw DomainError.validation([FieldError(field: "domain", reason: "choose a domain")]) }
            let (code, address) = try await Self.compound(form.compound, on: req.db)
            var input = CaseIntake(
                channel: channel, externalNumber: form.externalNumber, reporterName: form.reporterName ?? "", reporterPhone: form.reporterPhone ?? "",
                compoundCode: code, address: address, building: form.building, unit: form.unit, domain: domain,
                description: form.description ?? "", resolution: form.resolution, severalDepartments: form.severalDepartments != nil)
            input.urgency = form.urgent != nil ? .urgent : .normal
            let (record, _) = try await service(req).intake(input)
            return req.redirect(to: "/console/cases/\(record.id!.uuidString)")
        } catch let error as DomainError where error.kind == .invalid {
            let response = try await renderIntake(req, values: values, errors: error.fields).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    /// The compound box holds "CODE name" from the suggestions, or just a code, or an address.
    static func compound(_ typed: String?, on db: any Database) async throws -> (code: String?, address: String?) {
        let text = (typed ?? "").trimmingCharacters(in: .whitespaces)
        let code = text.split(separator: " ").first.map(String.init) ?? ""
        let isCode = try await Compound.query(on: db).filter(\.$code == code).count() == 1
        return isCode ? (code, nil) : (nil, text)
    }

    /// Compounds matching what the operator typed, as "CODE name · street" for the form's list.
    func suggestions(req: Request) async throws -> [String] {
        let actor = try req.consoleUser.actor
        let text = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        guard text.count >= 1 else { return [] }
        let query = Compound.query(on: req.db).with(\.$streetOffice)
            .group(.or) { $0.filter(\.$code ~~ text).filter(\.$name ~~ text).filter(\.$address ~~ text) }
        if case .streetOffice(let office) = Policy.registryScope(actor) { query.filter(\.$streetOffice.$id == office) }
        return try await query.sort(\.$code).limit(12).all().map { "\($0.code) \($0.name) · \($0.streetOffice.name)" }
    }

    // MARK: The case page

    struct CaseContent: Encodable {
        var id: String
        var facts: [Fact]
        var colour: String
        var state: String
        var stateLabel: String
        var routing: [String]
        var timeline: [TimelineRow]
        var summons: [SummonsRow]
        var orders: [OrderRow]
        var photos: [String]
        var phone: String
        var mayRevealPhone: Bool
        var steps: [String: Bool]
        var departments: [Option]
        var companies: [Option]
        var satisfactions: [Option]
        var pendingExtension: Int?
        var message: String?
    }

    struct Fact: Encodable {
        var label: String
        var value: String
    }

    struct TimelineRow: Encodable {
        var at: String
        var actor: String
        var kind: String
        var note: String
    }

    struct SummonsRow: Encodable {
        var department: String
        var checkInBy: String
        var checkedIn: String
        var reported: String
        var missed: Bool
    }

    struct OrderRow: Encodable {
        var issued: String
        var due: String
        var met: String
        var escalated: String
    }

    func show(req: Request) async throws -> View {
        try await render(req, id: try idParameter(req), revealedPhone: nil, message: req.query[String.self, at: "msg"])
    }

    private func render(_ req: Request, id: UUID, revealedPhone: String?, message: String?) async throws -> View {
        let lang = req.language
        let t = lang.strings
        let service = try service(req)
        let actor = service.actor!
        let loaded = try await service.load(id)
        let c = loaded.record
        let scope = loaded.scope
        let handler = c.loadedCompany?.name ?? c.loadedDepartment?.name ?? (c.handlerKind == .streetOffice ? c.streetOffice.name : "—")
        let place = "\(c.compound.code) \(c.compound.name)" + [c.building, c.unit].compactMap { $0 }.map { " \($0)" }.joined()
        var flags: [String] = []
        if c.repeatCount > 1 { flags.append("\(t["repeat"]!) ×\(c.repeatCount)") }
        if c.reopenCount > 0 { flags.append("\(t["reopened"]!) ×\(c.reopenCount)") }
        if c.unansweredAt != nil { flags.append(t["unanswered"]!) }
        if c.overdueAt != nil { flags.append(t["overdue"]!) }
        if c.escalatedAt != nil { flags.append(t["escalated"]!) }
        if c.urgency == .urgent { flags.append(t["urgent"]!) }
        if let s = c.satisfaction { flags.append(lang.label(s)) }
        var facts: [Fact] = [
            Fact(label: t["caseNumber"]!, value: c.number + (c.externalNumber.map { " · \($0)" } ?? "")),
            Fact(label: t["channel"]!, value: lang.label(c.channel)),
            Fact(label: t["received"]!, value: Format.dateTime(c.receivedAt)),
            Fact(label: t["compound"]!, value: place),
            Fact(label: t["streetOffice"]!, value: c.streetOffice.name),
            Fact(label: t["domain"]!, value: lang.label(c.domain)),
            Fact(label: t["reporter"]!, value: c.reporterName),
            Fact(label: t["handler"]!, value: handler),
            Fact(label: t["due"]!, value: c.dueAt.map(Format.dateTime) ?? "—"),
            Fact(label: t["flags"]!, value: flags.joined(separator: " · ")),
            Fact(label: t["description"]!, value: c.description),
        ]
        if let resolution = c.resolution { facts.append(Fact(label: t["resolution"]!, value: resolution)) }
        // The steps offered are those the rules allow this user now; false ones wait (a reply
        // waits for the summoned departments' reports) and are named instead of hidden.
        var steps: [String: Bool] = [:]
        for (kind, ready) in try await service.availableSteps(loaded) { steps[kind.rawValue] = ready }
        let departments = try await Department.query(on: req.db).sort(\.$name).all()
        let companies = steps["dispatch"] == true ? try await Company.query(on: req.db).sort(\.$name).all() : []
        let photos = try await CasePhoto.query(on: req.db).filter(\.$caseRecord.$id == id).field(\.$id).all()
        let content = CaseContent(
            id: id.uuidString, facts: facts, colour: c.colour.rawValue, state: c.state.rawValue, stateLabel: lang.label(c.state),
            routing: c.routing.split(separator: "\n").map(String.init),
            timeline: loaded.events.map { TimelineRow(at: Format.dateTime($0.at), actor: $0.actorName, kind: t["event." + $0.kind] ?? $0.kind, note: $0.note) },
            summons: loaded.summons.map {
                SummonsRow(department: $0.$department.value?.name ?? "", checkInBy: Format.dateTime($0.checkInBy),
                           checkedIn: $0.checkedInAt.map(Format.dateTime) ?? "", reported: $0.reportedAt.map(Format.dateTime) ?? "", missed: $0.missedAt != nil)
            },
            orders: loaded.orders.map {
                OrderRow(issued: Format.dateTime($0.issuedAt), due: Format.dateTime($0.dueAt), met: $0.metAt.map(Format.dateTime) ?? "",
                         escalated: $0.escalatedAt.map(Format.dateTime) ?? "")
            },
            photos: photos.map { "/console/cases/\(id.uuidString)/photos/\($0.id!.uuidString)" },
            phone: revealedPhone ?? (CasePolicy.maySeePhone(actor, scope) ? c.reporterPhone : CasePolicy.mask(c.reporterPhone)),
            mayRevealPhone: revealedPhone == nil && !CasePolicy.maySeePhone(actor, scope) && CasePolicy.mayRevealPhone(actor, scope),
            steps: steps,
            departments: departments.filter { d in !loaded.summons.contains { $0.$department.id == d.id } }
                .map { Option(value: $0.id!.uuidString, label: $0.name, selected: false) },
            companies: companies.map { Option(value: $0.id!.uuidString, label: $0.name, selected: false) },
            satisfactions: Satisfaction.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: false) },
            pendingExtension: c.pendingExtension, message: message)
        return try await req.renderPage("case", title: "\(t["case"]!) \(c.number)", nav: "cases", content: content)
    }

    struct StepForm: Content {
        var kind: String
        var text: String?
        var workingDays: String?
        var approve: String?
        var departments: [String]?
        var satisfaction: String?
        var handler: String?
        var companyId: String?
        var departmentId: String?
    }

    func step(req: Request) async throws -> Response {
        let id = try idParameter(req)
        let form = try req.content.decode(StepForm.self)
        var request = CaseService.StepRequest(kind: form.kind, text: form.text ?? "")
        if let raw = form.workingDays {
            guard let days = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.validation([FieldError(field: "workingDays", reason: "must be a whole number")])
            }
            request.workingDays = days
        }
        request.approve = form.approve.map { $0 == "yes" }
        request.departments = (form.departments ?? []).compactMap { UUID(uuidString: $0) }
        request.satisfaction = form.satisfaction.flatMap(Satisfaction.init)
        request.handler = form.handler.flatMap(HandlerKind.init)
        request.companyID = form.companyId.flatMap { UUID(uuidString: $0) }
        request.departmentID = form.departmentId.flatMap { UUID(uuidString: $0) }
        try await service(req).take(id, request)
        return req.redirect(to: "/console/cases/\(id.uuidString)")
    }

    func phone(req: Request) async throws -> View {
        let id = try idParameter(req)
        let phone = try await service(req).revealPhone(id)
        return try await render(req, id: id, revealedPhone: phone, message: nil)
    }

    func addPhoto(req: Request) async throws -> Response {
        let id = try idParameter(req)
        struct Upload: Content { var photo: File }
        let upload = try req.content.decode(Upload.self)
        let data = Data(buffer: upload.photo.data)
        let declared = upload.photo.contentType.map { "\($0.type)/\($0.subType)" } ?? CasePhotos.sniff(data) ?? "application/octet-stream"
        _ = try await CasePhotos(service: try service(req)).add(to: id, declaredType: declared, data: data)
        return req.redirect(to: "/console/cases/\(id.uuidString)")
    }

    func photo(req: Request) async throws -> Response {
        let id = try idParameter(req)
        guard let photoID = req.parameters.get("photo", as: UUID.self) else { throw DomainError.notFound("photo") }
        let photo = try await CasePhotos(service: try service(req)).photo(id, photoID)
        let response = Response(status: .ok, body: .init(data: photo.data))
        response.headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        return response
    }

    // MARK: Figures and export

    struct FigureRow: Encodable {
        var name: String
        var total: Int
        var previous: Int
        var change: String
        var down: Bool
        var responseRate: String
        var resolutionRate: String
        var satisfactionRate: String
        var onTimeRate: String
        var overdue: Int
        var repeats: Int
        var perThousand: String
    }

    struct FiguresContent: Encodable {
        var from: String
        var to: String
        var groupBy: String
        var groupings: [Option]
        var rows: [FigureRow]
        var total: FigureRow
    }

    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func figureRow(_ r: CaseFigures.Row, name: String) -> FigureRow {
        FigureRow(name: name, total: r.current.total, previous: r.previous.total,
                  change: r.change.map { String(format: "%+.1f%%", $0 * 100) } ?? "—", down: (r.change ?? 0) < 0,
                  responseRate: percent(r.current.responseRate), resolutionRate: percent(r.current.resolutionRate),
                  satisfactionRate: percent(r.current.satisfactionRate), onTimeRate: percent(r.current.onTimeRate),
                  overdue: r.current.overdue, repeats: r.current.repeats, perThousand: r.perThousandHouseholds.map { String(format: "%.1f", $0) } ?? "—")
    }

    /// Any period (default: the last twelve months) against the same period a year earlier.
    func figures(req: Request) async throws -> View {
        let lang = req.language
        let actor = try req.consoleUser.actor
        let today = Calendar.shanghai.day(req.application.clock.now())
        let toDay = req.query[String.self, at: "to"].flatMap { Calendar.shanghai.start(of: $0) != nil ? $0 : nil } ?? Calendar.shanghai.day(today, plus: 1)
        let fromDay = req.query[String.self, at: "from"].flatMap { Calendar.shanghai.start(of: $0) != nil ? $0 : nil } ?? Calendar.shanghai.day(today, plus: -364)
        let grouping = req.query[String.self, at: "groupBy"].flatMap(CaseFigures.Grouping.init) ?? .streetOffice
        let report = try await CaseFigures(db: req.db, actor: actor).report(grouping, from: Calendar.shanghai.start(of: fromDay)!,
                                                                             to: Calendar.shanghai.start(of: toDay)!)
        let content = FiguresContent(
            from: fromDay, to: toDay, groupBy: grouping.rawValue,
            groupings: CaseFigures.Grouping.allCases.map { Option(value: $0.rawValue, label: lang.strings["by." + $0.rawValue] ?? $0.rawValue, selected: $0 == grouping) },
            rows: report.rows.map { row in
                Self.figureRow(row, name: grouping == .domain ? (CaseDomain(rawValue: row.key).map { lang.label($0) } ?? row.name) : row.name)
            },
            total: Self.figureRow(report.total, name: lang.strings["total"]!))
        return try await req.renderPage("case-figures", title: lang.strings["caseFigures"]!, nav: "cases", content: content)
    }

    func export(req: Request) async throws -> Response {
        let q = req.query
        let filter = CaseService.Filter(colour: q[String.self, at: "colour"].flatMap(CaseColour.init), state: q[String.self, at: "state"].flatMap(CaseState.init),
                                        domain: q[String.self, at: "domain"].flatMap(CaseDomain.init), open: q[String.self, at: "open"] == "1" ? true : nil)
        let export = CaseLedgerExport(service: try service(req))
        if req.url.path.hasSuffix(".xlsx") {
            let response = Response(status: .ok, body: .init(data: try await export.xlsx(filter, language: req.language)))
            response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"cases.xlsx\"")
            return response
        }
        let csv = try await export.csv(filter, language: req.language)
        return ConsoleZoningController.download(csv, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]), name: "cases.csv")
    }

    // MARK: Settings (bureau admin)

    struct SettingsContent: Encodable {
        var rules: [RuleField]
        var routing: [RoutingRow]
        var year: Int
        var calendarText: String
        var errors: [FieldError]
        var saved: Bool
    }

    struct RuleField: Encodable {
        var key: String
        var label: String
        var value: Int
    }

    struct RoutingRow: Encodable {
        var domain: String
        var label: String
        var options: [Option]
    }

    func settings(req: Request) async throws -> View {
        try await renderSettings(req, errors: [], saved: req.query[String.self, at: "saved"] != nil)
    }

    private func renderSettings(_ req: Request, errors: [FieldError], saved: Bool) async throws -> View {
        try Policy.require(try req.consoleUser.actor, .update, .caseSettings, notFound: "case settings")
        let lang = req.language
        let settings = try await CaseSettings.load(on: req.db)
        let r = settings.rules
        let year = req.query[Int.self, at: "year"] ?? Calendar.shanghai.component(.year, from: req.application.clock.now())
        let days = try await CalendarDay.query(on: req.db).filter(\.$year == year).sort(\.$day).all()
        let targets = [RouteTarget.manager] + DepartmentKind.allCases.map { RouteTarget.department($0) }
        let content = SettingsContent(
            rules: [("yellowWorkingDays", r.yellowWorkingDays), ("redWorkingDays", r.redWorkingDays), ("acceptWorkingDays", r.acceptWorkingDays),
                    ("returnWorkingDays", r.returnWorkingDays), ("maxExtensions", r.maxExtensions), ("maxExtensionWorkingDays", r.maxExtensionWorkingDays),
                    ("orderWorkingDays", r.orderWorkingDays), ("repeatWindowDays", r.repeatWindowDays), ("repeatEscalation", r.repeatEscalation),
                    ("whistleCheckInHours", r.whistleCheckInHours)]
                .map { RuleField(key: $0.0, label: lang.strings["rule." + $0.0] ?? $0.0, value: $0.1) },
            routing: CaseDomain.allCases.map { domain in
                RoutingRow(domain: domain.rawValue, label: lang.label(domain), options: targets.map { target in
                    let label = switch target {
                    case .manager: lang.strings["routeManager"]!
                    case .department(let kind): lang.label(kind)
                    }
                    return Option(value: target.key, label: label, selected: settings.routing.target(domain) == target)
                })
            },
            year: year, calendarText: days.map { "\($0.day) \($0.kind.rawValue) \($0.name)" }.joined(separator: "\n"), errors: errors, saved: saved)
        return try await req.renderPage("case-settings", title: lang.strings["caseSettings"]!, nav: "cases", content: content)
    }

    func saveSettings(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        var rules = CaseRules()
        var errors: [FieldError] = []
        func int(_ key: String) -> Int {
            guard let v = Int(form[key]?.trimmingCharacters(in: .whitespaces) ?? "") else {
                errors.append(FieldError(field: key, reason: "must be a whole number"))
                return 0
            }
            return v
        }
        rules.yellowWorkingDays = int("yellowWorkingDays")
        rules.redWorkingDays = int("redWorkingDays")
        rules.acceptWorkingDays = int("acceptWorkingDays")
        rules.returnWorkingDays = int("returnWorkingDays")
        rules.maxExtensions = int("maxExtensions")
        rules.maxExtensionWorkingDays = int("maxExtensionWorkingDays")
        rules.orderWorkingDays = int("orderWorkingDays")
        rules.repeatWindowDays = int("repeatWindowDays")
        rules.repeatEscalation = int("repeatEscalation")
        rules.whistleCheckInHours = int("whistleCheckInHours")
        var targets: [CaseDomain: RouteTarget] = [:]
        for domain in CaseDomain.allCases {
            if let raw = form["route." + domain.rawValue] {
                guard let target = RouteTarget(key: raw) else { errors.append(FieldError(field: "route." + domain.rawValue, reason: "unknown target")); continue }
                targets[domain] = target
            }
        }
        do {
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            try await CaseSettingsService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now()).update(rules: rules, routing: targets)
            return req.redirect(to: "/console/case-settings?saved=1")
        } catch let error as DomainError where error.kind == .invalid {
            let response = try await renderSettings(req, errors: error.fields, saved: false).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct CalendarForm: Content {
        var year: Int
        var days: String
    }

    /// One line per day: "2025-10-01 holiday 国庆节" or "2025-09-28 workday 调休".
    func saveCalendar(req: Request) async throws -> Response {
        let form = try req.content.decode(CalendarForm.self)
        var days: [CaseSettingsService.Day] = []
        var errors: [FieldError] = []
        for (i, line) in form.days.split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count >= 2, let kind = CalendarDay.Kind(rawValue: parts[1]) else {
                if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    errors.append(FieldError(field: "days", reason: "write \"yyyy-MM-dd holiday|workday name\"", line: i + 1))
                }
                continue
            }
            days.append(.init(day: parts[0], kind: kind, name: parts.count > 2 ? parts[2] : ""))
        }
        do {
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            try await CaseSettingsService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now()).replaceYear(form.year, days: days)
            return req.redirect(to: "/console/case-settings?saved=1&year=\(form.year)")
        } catch let error as DomainError where error.kind == .invalid {
            let response = try await renderSettings(req, errors: error.fields, saved: false).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
