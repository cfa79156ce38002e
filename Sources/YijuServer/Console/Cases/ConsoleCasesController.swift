import Fluent
import Vapor
import YijuCore

/// Cases in the console: the intake form, the colour ledger (every role sees its own
/// inbox through the same page), the case page with its timeline and the steps the user
/// may take, and the bureau's case settings.
struct ConsoleCasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.cases.routeComponents, use: ledger)
        routes.get(ConsolePath.newCase.routeComponents, use: intakeForm)
        routes.post(ConsolePath.cases.routeComponents, use: intake)
        routes.get(ConsolePath.compoundSuggestions.routeComponents, use: suggestions)
        routes.get(ConsolePath.caseFigures.routeComponents, use: figures)
        routes.get(ConsolePath.casesExport(.csv).routeComponents, use: { try await export($0, .csv) })
        routes.get(ConsolePath.casesExport(.xlsx).routeComponents, use: { try await export($0, .xlsx) })
        routes.get(ConsolePath.caseRecord(.key).routeComponents, use: show)
        routes.post(ConsolePath.caseRecord(.key, .steps).routeComponents, use: step)
        routes.post(ConsolePath.caseRecord(.key, .phone).routeComponents, use: phone)
        routes.on(.POST, ConsolePath.caseRecord(.key, .photos).routeComponents, body: .collect(maxSize: "6mb"), use: addPhoto)
        routes.get(ConsolePath.casePhoto(.key, photo: .key).routeComponents, use: photo)
        routes.get(ConsolePath.caseSettings.routeComponents, use: settings)
        routes.post(ConsolePath.caseSettings.routeComponents, use: saveSettings)
        routes.post(ConsolePath.caseCalendar.routeComponents, use: saveCalendar)
    }

    private func service(_ req: Request) throws -> CaseService {
        CaseService(app: req.application, actor: try req.consoleUser.actor)
    }

    // MARK: The ledger

    func ledger(req: Request) async throws -> View {
        let q = req.query
        func flag(_ key: String) -> Bool? { q[String.self, at: key].flatMap { $0 == "1" ? true : $0 == "0" ? false : nil } }
        let offset = max(0, q[Int.self, at: "offset"] ?? 0)
        let filter = CaseService.Filter(
            colour: q[String.self, at: "colour"].flatMap(CaseColour.init), state: q[String.self, at: "state"].flatMap(CaseState.init),
            domain: q[String.self, at: "domain"].flatMap(CaseDomain.init), overdue: flag("overdue"), repeats: flag("repeat"), open: flag("open"),
            escalated: flag("escalated"), unanswered: flag("unanswered"), missedCheckIn: flag("missedCheckIn"),
            q: q[String.self, at: "q"], limit: LedgerPage.pageSize, offset: offset)
        let service = try service(req)
        let actor = try service.requireActor()
        let page = try await service.ledger(filter)
        var filters: [String: String] = [:]
        for key in LedgerPage.filterKeys { filters[key] = q[String.self, at: key] ?? "" }
        let attention = CasePolicy.watchesAttention(actor) ? try await service.attention().map { ($0.key, $0.count) } : nil
        let content = try LedgerPage(items: page.items, total: page.total, offset: offset, filters: filters, attention: attention,
                                     actor: actor, now: req.application.clock.now(), req.language)
        return try await req.renderPage("cases", title: req.language.strings["cases"]!, nav: .cases, content: content)
    }

    // MARK: Intake

    func intakeForm(req: Request) async throws -> View {
        try await renderIntake(req, values: [:], errors: [])
    }

    private func renderIntake(_ req: Request, values: [String: String], errors: [FieldError]) async throws -> View {
        let content = IntakePage(actor: try req.consoleUser.actor, values: values, errors: errors, req.language)
        return try await req.renderPage("case-new", title: req.language.strings["newCase"]!, nav: .cases, content: content)
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
            let (code, address) = try await CompoundBox.read(form.compound, on: req.db)
            var input = CaseIntake(
                channel: channel, externalNumber: form.externalNumber, reporterName: form.reporterName ?? "", reporterPhone: form.reporterPhone ?? "",
                compoundCode: code, address: address, building: form.building, unit: form.unit, domain: domain,
                description: form.description ?? "", resolution: form.resolution, severalDepartments: form.severalDepartments != nil)
            input.urgency = form.urgent != nil ? .urgent : .normal
            let (record, _) = try await service(req).intake(input)
            return req.redirect(to: ConsolePath.caseRecord(.value(try record.requireID())).path)
        } catch let error as DomainError where error.kind == .invalid {
            return try await unprocessable(try await renderIntake(req, values: values, errors: error.fields), for: req)
        }
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

    func show(req: Request) async throws -> View {
        try await render(req, id: try idParameter(req), revealedPhone: nil, message: req.query[String.self, at: "msg"])
    }

    private func render(_ req: Request, id: UUID, revealedPhone: String?, message: String?) async throws -> View {
        let service = try service(req)
        let actor = try service.requireActor()
        let loaded = try await service.load(id)
        let steps = try await service.availableSteps(loaded)
        let photos = try await CasePhoto.query(on: req.db).filter(\.$caseRecord.$id == id).field(\.$id).all().compactMap(\.id)
        let companies = steps[.dispatch] == true ? try await Company.properties(on: req.db).sort(\.$name).all() : []
        let content = try CasePage(loaded, steps: steps, photos: photos, departments: try await Department.query(on: req.db).sort(\.$name).all(),
                                   companies: companies, actor: actor, revealedPhone: revealedPhone, message: message, req.language)
        return try await req.renderPage("case", title: "\(req.language.strings["case"]!) \(loaded.record.number)", nav: .cases, content: content)
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
        return req.redirect(to: ConsolePath.caseRecord(.value(id)).path)
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
        return req.redirect(to: ConsolePath.caseRecord(.value(id)).path)
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
        let content = CaseFiguresPage(report, grouping: grouping, from: fromDay, to: toDay, lang)
        return try await req.renderPage("case-figures", title: lang.strings["caseFigures"]!, nav: .cases, content: content)
    }

    func export(_ req: Request, _ format: ConsolePath.CasesExport) async throws -> Response {
        let q = req.query
        let filter = CaseService.Filter(colour: q[String.self, at: "colour"].flatMap(CaseColour.init), state: q[String.self, at: "state"].flatMap(CaseState.init),
                                        domain: q[String.self, at: "domain"].flatMap(CaseDomain.init), open: q[String.self, at: "open"] == "1" ? true : nil)
        let export = try await CaseLedgerExport(service: try service(req), filter: filter, language: req.language,
                                                format: format == .xlsx ? .xlsx : .csv).checked()
        return format == .xlsx
            ? downloadStream(export.stream, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: "cases.xlsx")
            : downloadStream(export.stream, type: "text/csv; charset=utf-8", name: "cases.csv")
    }

    // MARK: Settings (bureau admin)

    func settings(req: Request) async throws -> View {
        try await renderSettings(req, errors: [], saved: req.query[String.self, at: "saved"] != nil)
    }

    private func renderSettings(_ req: Request, errors: [FieldError], saved: Bool) async throws -> View {
        try Policy.require(try req.consoleUser.actor, .update, .caseSettings, notFound: "case settings")
        let lang = req.language
        let settings = try await CaseSettings.load(on: req.db)
        let year = req.query[Int.self, at: "year"] ?? Calendar.shanghai.component(.year, from: req.application.clock.now())
        let days = try await CalendarDay.query(on: req.db).filter(\.$year == year).sort(\.$day).all()
        let content = CaseSettingsPage(settings, year: year, days: days, errors: errors, saved: saved, lang)
        return try await req.renderPage("case-settings", title: lang.strings["caseSettings"]!, nav: .cases, content: content)
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
        var duringWorks: [CaseDomain: Bool] = [:]
        for domain in CaseDomain.allCases {
            if let raw = form["route." + domain.rawValue] {
                guard let target = RouteTarget(key: raw) else { errors.append(FieldError(field: "route." + domain.rawValue, reason: "unknown target")); continue }
                targets[domain] = target
                // The form shows a checkbox beside each target: absent means unticked.
                duringWorks[domain] = form["works." + domain.rawValue] != nil
            }
        }
        do {
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            try await CaseSettingsService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
                .update(rules: rules, routing: targets, duringWorks: duringWorks)
            return req.redirect(to: ConsolePath.caseSettings.with(["saved": "1"]))
        } catch let error as DomainError where error.kind == .invalid {
            return try await unprocessable(try await renderSettings(req, errors: error.fields, saved: false), for: req)
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
            return req.redirect(to: ConsolePath.caseSettings.with(["saved": "1", "year": String(form.year)]))
        } catch let error as DomainError where error.kind == .invalid {
            return try await unprocessable(try await renderSettings(req, errors: error.fields, saved: false), for: req)
        }
    }
}
