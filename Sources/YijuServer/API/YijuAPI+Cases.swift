import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Cases through the API.
extension YijuAPI {
    func caseService() throws -> CaseService {
        CaseService(app: app, actor: try RequestActor.require())
    }

    private func caseID(_ raw: String) throws -> UUID { try pathID(raw, "case") }

    func createCase(_ input: Operations.createCase.Input) async throws -> Operations.createCase.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        var location: GeoPoint?
        if let position = body.location {
            guard position.count == 2 else { throw DomainError.validation([FieldError(field: "location", reason: "must be [longitude, latitude]")]) }
            location = GeoPoint(lon: position[0], lat: position[1])
        }
        var intake = CaseIntake(
            channel: CaseChannel(rawValue: body.channel.rawValue)!, externalNumber: body.externalNumber, receivedAt: body.receivedAt,
            reporterName: body.reporterName, reporterPhone: body.reporterPhone,
            compoundID: try body.compoundId.map { try queryID($0, "compoundId") }, compoundCode: body.compoundCode,
            location: location, address: body.address, building: body.building, unit: body.unit,
            domain: CaseDomain(rawValue: body.domain.rawValue)!, description: body.description, resolution: body.resolution,
            severalDepartments: body.severalDepartments ?? false)
        intake.urgency = body.urgency.flatMap { CaseUrgency(rawValue: $0.rawValue) } ?? .normal
        let service = try caseService()
        let (record, created) = try await service.intake(intake)
        let wire = try Components.Schemas.Case(record, actor: service.actor)
        return created ? .created(.init(body: .json(wire))) : .ok(.init(body: .json(wire)))
    }

    func listCases(_ input: Operations.listCases.Input) async throws -> Operations.listCases.Output {
        let q = input.query
        let filter = CaseService.Filter(
            streetOfficeID: try q.streetOfficeId.map { try queryID($0, "streetOfficeId") },
            communityID: try q.communityId.map { try queryID($0, "communityId") },
            colour: q.colour.flatMap { CaseColour(rawValue: $0.rawValue) }, state: q.state.flatMap { CaseState(rawValue: $0.rawValue) },
            domain: q.domain.flatMap { CaseDomain(rawValue: $0.rawValue) }, overdue: q.overdue, repeats: q._repeat, open: q.open,
            escalated: q.escalated, unanswered: q.unanswered, missedCheckIn: q.missedCheckIn,
            from: q.from, to: q.to, q: q.q, limit: q.limit ?? 50, offset: q.offset ?? 0)
        let service = try caseService()
        let page = try await service.ledger(filter)
        return .ok(.init(body: .json(.init(items: try page.items.map { try .init($0, actor: service.actor) },
                                           total: page.total, limit: filter.limit, offset: filter.offset))))
    }

    func getCase(_ input: Operations.getCase.Input) async throws -> Operations.getCase.Output {
        let service = try caseService()
        return .ok(.init(body: .json(try await .init(try await service.load(try caseID(input.path.id)), service: service))))
    }

    func takeCaseStep(_ input: Operations.takeCaseStep.Input) async throws -> Operations.takeCaseStep.Output {
        guard case .json(let step) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try caseService()
        func uuid(_ raw: String?, _ field: String) throws -> UUID? {
            guard let raw else { return nil }
            guard let id = UUID(uuidString: raw) else { throw DomainError.validation([FieldError(field: field, reason: "\(raw) is not a UUID")]) }
            return id
        }
        let request = CaseService.StepRequest(
            kind: step.kind.rawValue, text: step.text ?? "", workingDays: step.workingDays, approve: step.approve,
            departments: try (step.departmentIds ?? []).compactMap { try uuid($0, "departmentIds") },
            department: try uuid(step.departmentId, "departmentId"), checkInBy: step.checkInBy,
            satisfaction: step.satisfaction.flatMap { Satisfaction(rawValue: $0.rawValue) },
            handler: step.handler.flatMap { HandlerKind(rawValue: $0.rawValue) },
            companyID: try uuid(step.companyId, "companyId"), departmentID: try uuid(step.departmentId, "departmentId"))
        let loaded = try await service.take(try caseID(input.path.id), request)
        return .ok(.init(body: .json(try await .init(loaded, service: service))))
    }

    func revealCasePhone(_ input: Operations.revealCasePhone.Input) async throws -> Operations.revealCasePhone.Output {
        .ok(.init(body: .json(.init(phone: try await caseService().revealPhone(try caseID(input.path.id))))))
    }

    func addCasePhoto(_ input: Operations.addCasePhoto.Input) async throws -> Operations.addCasePhoto.Output {
        let id = try caseID(input.path.id)
        let (type, body): (String, HTTPBody) = switch input.body {
        case .jpeg(let b): ("image/jpeg", b)
        case .png(let b): ("image/png", b)
        case .image_webp(let b): ("image/webp", b)
        }
        let data = try await Data(collecting: body, upTo: CasePhotos.maxBytes + 1)
        let photo = try await CasePhotos(service: try caseService()).add(to: id, declaredType: type, data: data)
        return .created(.init(body: .json(.init(id: try photo.requireID().uuidString, contentType: photo.contentType, size: photo.size))))
    }

    func getCasePhoto(_ input: Operations.getCasePhoto.Input) async throws -> Operations.getCasePhoto.Output {
        let photo = try await CasePhotos(service: try caseService()).photo(try caseID(input.path.id), try pathID(input.path.photoId, "photo"))
        let body = HTTPBody(photo.data)
        switch photo.contentType {
        case "image/png": return .ok(.init(body: .png(body)))
        case "image/webp": return .ok(.init(body: .image_webp(body)))
        default: return .ok(.init(body: .jpeg(body)))
        }
    }

    func getCaseSettings(_ input: Operations.getCaseSettings.Input) async throws -> Operations.getCaseSettings.Output {
        _ = try RequestActor.require()
        return .ok(.init(body: .json(.init(try await CaseSettings.load(on: app.db)))))
    }

    func updateCaseSettings(_ input: Operations.updateCaseSettings.Input) async throws -> Operations.updateCaseSettings.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let settings = CaseSettingsService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
        var targets: [CaseDomain: RouteTarget] = [:]
        var duringWorks: [CaseDomain: Bool] = [:]
        var errors: [FieldError] = []
        for (i, entry) in body.routing.enumerated() {
            guard let target = RouteTarget(key: entry.target) else {
                errors.append(FieldError(field: "routing[\(i)].target", reason: "must be \"manager\" or \"department:<kind>\" with a known kind"))
                continue
            }
            let domain = CaseDomain(rawValue: entry.domain.rawValue)!
            targets[domain] = target
            duringWorks[domain] = entry.duringWorks
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        let r = body.rules
        var rules = CaseRules()
        rules.yellowWorkingDays = r.yellowWorkingDays
        rules.redWorkingDays = r.redWorkingDays
        rules.acceptWorkingDays = r.acceptWorkingDays
        rules.returnWorkingDays = r.returnWorkingDays
        rules.maxExtensions = r.maxExtensions
        rules.maxExtensionWorkingDays = r.maxExtensionWorkingDays
        rules.orderWorkingDays = r.orderWorkingDays
        rules.repeatWindowDays = r.repeatWindowDays
        rules.repeatEscalation = r.repeatEscalation
        rules.whistleCheckInHours = r.whistleCheckInHours
        try await settings.update(rules: rules, routing: targets, duringWorks: duringWorks)
        return .ok(.init(body: .json(.init(try await CaseSettings.load(on: app.db)))))
    }

    func getCalendarYear(_ input: Operations.getCalendarYear.Input) async throws -> Operations.getCalendarYear.Output {
        _ = try RequestActor.require()
        let days = try await CalendarDay.query(on: app.db).filter(\.$year == input.path.year).sort(\.$day).all()
        return .ok(.init(body: .json(.init(year: input.path.year, days: days.map(Components.Schemas.CalendarDayEntry.init)))))
    }

    func replaceCalendarYear(_ input: Operations.replaceCalendarYear.Input) async throws -> Operations.replaceCalendarYear.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        guard body.year == input.path.year else {
            throw DomainError.validation([FieldError(field: "year", reason: "must be \(input.path.year), the year in the path")])
        }
        let settings = CaseSettingsService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
        try await settings.replaceYear(body.year, days: body.days.map {
            .init(day: $0.day, kind: CalendarDay.Kind(rawValue: $0.kind.rawValue)!, name: $0.name ?? "")
        })
        let days = try await CalendarDay.query(on: app.db).filter(\.$year == body.year).sort(\.$day).all()
        return .ok(.init(body: .json(.init(year: body.year, days: days.map(Components.Schemas.CalendarDayEntry.init)))))
    }

    func listCreditEvents(_ input: Operations.listCreditEvents.Input) async throws -> Operations.listCreditEvents.Output {
        let actor = try RequestActor.require()
        guard let query = CaseCreditEvent.query(on: app.db).sort(\.$at)
            .scoped(to: Policy.caseCreditEventScope(actor), by: CaseCreditEvent.scopeColumns) else { throw DomainError.forbidden }
        if let raw = input.query.companyId { query.filter(\.$company.$id == (try queryID(raw, "companyId"))) }
        return .ok(.init(body: .json(try await query.all().map {
            .init(id: try $0.requireID().uuidString, companyId: $0.$company.id.uuidString, caseId: $0.$caseRecord.id.uuidString,
                  kind: .init(rawValue: $0.kind.rawValue)!, at: $0.at)
        })))
    }
}

extension Components.Schemas.Case {
    /// Expects compound, street office and handler eager-loaded. The phone is masked unless
    /// the actor took the call or handles the case.
    init(_ c: CaseRecord, actor: Actor?) throws {
        let scope = CaseService.scope(c, [])
        let phone = actor.map { CasePolicy.maySeePhone($0, scope) } == true ? c.reporterPhone : CasePolicy.mask(c.reporterPhone)
        self.init(
            id: try c.requireID().uuidString, number: c.number, channel: .init(rawValue: c.channel.rawValue)!, externalNumber: c.externalNumber,
            receivedAt: c.receivedAt, reporterName: c.reporterName, reporterPhone: phone,
            compoundId: c.$compound.id.uuidString, compoundCode: c.compound.code, compoundName: c.compound.name,
            streetOfficeId: c.$streetOffice.id.uuidString, streetOfficeName: c.streetOffice.name, building: c.building, unit: c.unit,
            domain: .init(rawValue: c.domain.rawValue)!, description: c.description, urgency: .init(rawValue: c.urgency.rawValue)!,
            colour: .init(rawValue: c.colour.rawValue)!, state: .init(rawValue: c.state.rawValue)!,
            handler: c.handlerKind.flatMap { .init(rawValue: $0.rawValue) },
            handlerName: c.loadedCompany?.name ?? c.loadedDepartment?.name ?? (c.handlerKind == .streetOffice ? c.streetOffice.name : nil),
            handlerCompanyId: c.$handlerCompany.id?.uuidString, handlerDepartmentId: c.$handlerDepartment.id?.uuidString,
            dispatchedAt: c.dispatchedAt, dueAt: c.dueAt, repliedAt: c.repliedAt,
            satisfaction: c.satisfaction.flatMap { .init(rawValue: $0.rawValue) }, closedAt: c.closedAt, resolution: c.resolution,
            repeatCount: c.repeatCount, repeatOf: c.repeatOfID?.uuidString, reopenCount: c.reopenCount, extensions: c.extensions,
            pendingExtension: c.pendingExtension, overdue: c.overdueAt != nil, unanswered: c.unansweredAt != nil, escalated: c.escalatedAt != nil)
    }
}

extension Components.Schemas.CaseDetail {
    init(_ loaded: CaseService.Loaded, service: CaseService) async throws {
        let photos = try await CasePhoto.query(on: service.db).filter(\.$caseRecord.$id == loaded.record.requireID()).field(\.$id)
            .field(\.$contentType).field(\.$size).all()
        let steps = try await service.availableSteps(loaded)
        self.init(
            _case: try .init(loaded.record, actor: service.actor),
            availableSteps: CaseStepKind.allCases.compactMap { kind in
                steps[kind].map { .init(kind: .init(rawValue: kind.rawValue)!, ready: $0) }
            },
            routing: loaded.record.routing.split(separator: "\n").map(String.init),
            timeline: loaded.events.map { e in
                .init(at: e.at, actor: e.actorName, kind: e.kind, note: e.note,
                      data: (try? JSONDecoder().decode([String: String].self, from: Data(e.data.utf8))).map { .init(additionalProperties: $0) })
            },
            summons: loaded.summons.map { s in
                .init(departmentId: s.$department.id.uuidString, departmentName: s.$department.value?.name ?? "", checkInBy: s.checkInBy,
                      checkedInAt: s.checkedInAt, reportedAt: s.reportedAt, missed: s.missedAt != nil)
            },
            orders: try loaded.orders.map { .init(id: try $0.requireID().uuidString, issuedAt: $0.issuedAt, dueAt: $0.dueAt, metAt: $0.metAt, escalatedAt: $0.escalatedAt) },
            photos: try photos.map { .init(id: try $0.requireID().uuidString, contentType: $0.contentType, size: $0.size) })
    }
}

extension Components.Schemas.CaseSettings {
    init(_ s: CaseSettings) {
        let r = s.rules
        self.init(rules: .init(yellowWorkingDays: r.yellowWorkingDays, redWorkingDays: r.redWorkingDays, acceptWorkingDays: r.acceptWorkingDays,
                               returnWorkingDays: r.returnWorkingDays, maxExtensions: r.maxExtensions, maxExtensionWorkingDays: r.maxExtensionWorkingDays,
                               orderWorkingDays: r.orderWorkingDays, repeatWindowDays: r.repeatWindowDays, repeatEscalation: r.repeatEscalation,
                               whistleCheckInHours: r.whistleCheckInHours),
                  routing: CaseDomain.allCases.map {
                      .init(domain: .init(rawValue: $0.rawValue)!, target: s.routing.target($0).key, duringWorks: s.routing.duringWorks.contains($0))
                  })
    }
}

extension Components.Schemas.CalendarDayEntry {
    init(_ d: CalendarDay) {
        self.init(day: d.day, kind: .init(rawValue: d.kind.rawValue)!, name: d.name)
    }
}

extension YijuAPI {
    func getCaseFigures(_ input: Operations.getCaseFigures.Input) async throws -> Operations.getCaseFigures.Output {
        let figures = CaseFigures(db: app.db, actor: try RequestActor.require())
        let report = try await figures.report(CaseFigures.Grouping(rawValue: input.query.groupBy.rawValue)!, from: input.query.from, to: input.query.to)
        return .ok(.init(body: .json(.init(from: report.from, to: report.to, rows: report.rows.map(Components.Schemas.CaseFiguresRow.init),
                                           total: .init(report.total)))))
    }

    func exportCases(_ input: Operations.exportCases.Input) async throws -> Operations.exportCases.Output {
        let q = input.query
        let filter = CaseService.Filter(colour: q.colour.flatMap { CaseColour(rawValue: $0.rawValue) }, state: q.state.flatMap { CaseState(rawValue: $0.rawValue) },
                                        domain: q.domain.flatMap { CaseDomain(rawValue: $0.rawValue) }, open: q.open, from: q.from, to: q.to)
        let export = try await CaseLedgerExport(service: try caseService(), filter: filter, language: .zh, format: q.format == .xlsx ? .xlsx : .csv).checked()
        // Streamed as read (CaseLedgerExport); the transport asks for each chunk once the last was sent.
        let body = HTTPBody(export.stream, length: .unknown, iterationBehavior: .single)
        return .ok(.init(body: q.format == .xlsx ? .application_vnd_period_openxmlformats_hyphen_officedocument_period_spreadsheetml_period_sheet(body) : .csv(body)))
    }
}

extension Components.Schemas.CaseFiguresRow {
    init(_ row: CaseFigures.Row) {
        self.init(key: row.key, name: row.name, households: row.households, perThousandHouseholds: row.perThousandHouseholds,
                  change: row.change, current: .init(row.current), previous: .init(row.previous))
    }
}

extension Components.Schemas.CaseCounts {
    init(_ c: CaseFigures.Counts) {
        self.init(total: c.total, dispatched: c.dispatched, acceptedInTime: c.acceptedInTime, resolved: c.resolved, followedUp: c.followedUp,
                  satisfied: c.satisfied, replied: c.replied, onTime: c.onTime, overdue: c.overdue, repeats: c.repeats, green: c.green,
                  responseRate: c.responseRate, resolutionRate: c.resolutionRate, satisfactionRate: c.satisfactionRate, onTimeRate: c.onTimeRate)
    }
}

/// The public case form and lookup (no token).
extension YijuAPI {
    func filePublicCase(_ input: Operations.filePublicCase.Input) async throws -> Operations.filePublicCase.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let filing = PublicCases.Filing(reporterName: body.reporterName, reporterPhone: body.reporterPhone, compoundCode: body.compoundCode,
                                        address: body.address, building: body.building, unit: body.unit,
                                        domain: CaseDomain(rawValue: body.domain.rawValue)!, description: body.description)
        let publicCases = PublicCases(app: app)
        let record = try await publicCases.file(filing, source: RequestSource.address ?? "unknown")
        let (found, events) = try await publicCases.lookup(number: record.number, phoneLast4: String(record.reporterPhone.suffix(4)))
        return .created(.init(body: .json(.init(found, events))))
    }

    func lookUpPublicCase(_ input: Operations.lookUpPublicCase.Input) async throws -> Operations.lookUpPublicCase.Output {
        let (record, events) = try await PublicCases(app: app).lookup(number: input.path.number, phoneLast4: input.query.phone4)
        return .ok(.init(body: .json(.init(record, events))))
    }
}

extension Components.Schemas.PublicCase {
    init(_ c: CaseRecord, _ events: [CaseEvent]) {
        self.init(number: c.number, receivedAt: c.receivedAt, compoundName: c.compound.name, domain: .init(rawValue: c.domain.rawValue)!,
                  colour: .init(rawValue: c.colour.rawValue)!, state: .init(rawValue: c.state.rawValue)!,
                  handlerName: c.loadedCompany?.name ?? c.loadedDepartment?.name ?? (c.handlerKind == .streetOffice ? c.streetOffice.name : nil),
                  dueAt: c.dueAt,
                  steps: events.map { .init(at: $0.at, kind: $0.kind, note: ["replied", "closed"].contains($0.kind) ? $0.note : "") })
    }
}
