import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Cases (民呼我为): intake from every channel, routing, the lifecycle steps, the timeline.
/// Both surfaces (API and console) call this; the rules themselves are YijuCore's.
struct CaseService {
    let db: any Database
    /// Nil for the public web form.
    let actor: Actor?
    let now: Date

    init(app: Application, actor: Actor?) {
        self.init(db: app.db, actor: actor, now: app.clock.now())
    }

    init(db: any Database, actor: Actor?, now: Date) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    var actorName: String { actor?.username ?? "public" }

    // MARK: Intake

    struct Intake: Sendable {
        var channel: CaseChannel
        var externalNumber: String?
        var receivedAt: Date?
        var reporterName: String
        var reporterPhone: String
        /// One of: the compound's id, its code, a map point, an address.
        var compoundID: UUID?
        var compoundCode: String?
        var location: GeoPoint?
        var address: String?
        var building: String?
        var unit: String?
        var domain: CaseDomain
        var description: String
        var urgency: CaseUrgency = .normal
        /// Solved on the spot at intake: what was done. Makes the case green and closes it.
        var resolution: String?
        /// Needs several departments from the start: red.
        var severalDepartments = false
    }

    static let maxPointDistance = 300.0

    /// Takes a case in. The same channel and external number twice gives the same case
    /// (`created` false), never two.
    func intake(_ input: Intake) async throws -> (CaseRecord, created: Bool) {
        var errors: [FieldError] = []
        let name = input.reporterName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = Self.normalisedPhone(input.reporterPhone)
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let external = input.externalNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if !(1...40).contains(name.count) { errors.append(FieldError(field: "reporterName", reason: name.isEmpty ? "is required" : "must be at most 40 characters")) }
        if phone == nil { errors.append(FieldError(field: "reporterPhone", reason: "must be a phone number: 7 to 15 digits, optionally with +86, spaces or dashes")) }
        if !(1...4000).contains(description.count) { errors.append(FieldError(field: "description", reason: description.isEmpty ? "is required" : "must be at most 4000 characters")) }
        if input.channel == .hotline, external == nil { errors.append(FieldError(field: "externalNumber", reason: "the hotline's work-order number is required for hotline cases")) }
        if let external, external.count > 64 { errors.append(FieldError(field: "externalNumber", reason: "must be at most 64 characters")) }
        for (value, field) in [(input.building, "building"), (input.unit, "unit")] where (value?.count ?? 0) > 20 {
            errors.append(FieldError(field: field, reason: "must be at most 20 characters"))
        }
        if let resolution = input.resolution, resolution.trimmingCharacters(in: .whitespaces).count > 4000 {
            errors.append(FieldError(field: "resolution", reason: "must be at most 4000 characters"))
        }
        if let received = input.receivedAt, received > now.addingTimeInterval(300) {
            errors.append(FieldError(field: "receivedAt", reason: "is in the future"))
        }
        let compound = try await findCompound(input, errors: &errors)
        guard errors.isEmpty, let compound, let phone else { throw DomainError.validation(errors) }
        if let actor {
            guard CasePolicy.mayTakeIn(actor, channel: input.channel, streetOfficeID: compound.$streetOffice.id) else {
                throw DomainError(.forbidden, code: "forbidden", message: "your role may not take in \(input.channel.rawValue) cases for this compound")
            }
        } else if input.channel != .webForm {
            throw DomainError(.unauthenticated, code: "unauthenticated", message: "only the public web form takes cases without a login")
        }
        if let external, let existing = try await existing(input.channel, external) { return (existing, false) }

        let settings = try await CaseSettings.load(on: db)
        let received = input.receivedAt ?? now
        let area = try await ZoningPlanService.currentAreas(of: [compound.id!], on: db)[compound.id!]?.0.code
        let route = CaseRouter.route(input.domain, RoutingFacts(
            compoundCode: compound.code, compoundName: compound.name, streetOfficeName: compound.streetOffice.name,
            management: compound.management, companyName: compound.loadedCompany?.name, areaCode: area), table: settings.routing)
        var explanation = route.explanation
        var handlerKind = route.handler
        var department: Department?
        if let kind = route.department {
            department = try await Department.query(on: db).filter(\.$kind == kind).sort(\.$name).first()
            if department == nil {
                handlerKind = .streetOffice
                explanation.append("no \(kind.rawValue) department is registered, so the street office handles it")
            }
        }

        // Repeats: the same compound and domain within the window.
        let windowStart = received.addingTimeInterval(-Double(settings.rules.repeatWindowDays) * 86_400)
        let earlier = try await CaseRecord.query(on: db).filter(\.$compound.$id == compound.id!).filter(\.$domain == input.domain)
            .filter(\.$receivedAt >= windowStart).filter(\.$receivedAt <= received).sort(\.$receivedAt, .descending).all()
        let resolution = input.resolution?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        var colour: CaseColour = resolution != nil ? .green : (input.severalDepartments ? .red : .yellow)
        let repeatCount = earlier.count + 1
        let escalate = repeatCount >= settings.rules.repeatEscalation && resolution == nil
        if escalate {
            colour = .red
            explanation.append("\(repeatCount) cases on this compound and domain within \(settings.rules.repeatWindowDays) days: red, and sent to the bureau")
        }

        let record = CaseRecord()
        record.id = UUID()
        record.channel = input.channel
        record.externalNumber = external
        record.receivedAt = received
        record.reporterName = name
        record.reporterPhone = phone
        record.$compound.id = compound.id!
        record.$streetOffice.id = compound.$streetOffice.id
        record.building = input.building?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        record.unit = input.unit?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        record.domain = input.domain
        record.description = description
        record.urgency = input.urgency
        record.colour = colour
        record.designated = false
        record.extensions = 0
        record.reopenCount = 0
        record.repeatOfID = earlier.first?.id
        record.repeatCount = repeatCount
        record.takenByID = actor?.userID
        record.routing = explanation.joined(separator: "\n")
        record.escalatedAt = escalate ? now : nil
        if let resolution {
            record.state = .closed
            record.resolution = resolution
            record.closedAt = now
        } else {
            record.handlerKind = handlerKind
            record.$handlerCompany.id = handlerKind == .company ? compound.$company.id : nil
            record.$handlerDepartment.id = handlerKind == .department ? department?.id : nil
            // Routing is automatic: a case is dispatched the moment it is taken in.
            let snapshot = try CaseMachine.apply(.dispatch(designated: false), to: CaseSnapshot(state: .received, colour: colour, receivedAt: received),
                                                 at: now, rules: settings.rules, calendar: settings.calendar)
            record.state = snapshot.state
            record.dispatchedAt = snapshot.dispatchedAt
            record.dueAt = snapshot.dueAt
        }

        let routed = explanation.joined(separator: "; "), handler = handlerKind
        do {
            try await db.transaction { tx in
                record.number = try await nextNumber(on: tx, day: Calendar.shanghai.day(received))
                try await record.create(on: tx)
                try await event(record, "received", note: description, data: ["channel": input.channel.rawValue, "externalNumber": external ?? ""], on: tx)
                if resolution != nil {
                    try await event(record, "closed", note: resolution!, data: ["colour": "green"], on: tx)
                } else {
                    try await event(record, "dispatched", note: routed,
                                    data: ["handler": handler.rawValue, "dueAt": record.dueAt.map(Self.iso) ?? ""], on: tx)
                }
                if let repeatOf = record.repeatOfID {
                    try await event(record, "repeat", note: "\(repeatCount) in \(settings.rules.repeatWindowDays) days", data: ["repeatOf": repeatOf.uuidString], on: tx)
                }
                if escalate {
                    try await event(record, "escalated", note: "third repeat within the window", data: [:], on: tx)
                    if let company = compound.$company.id, compound.management == .professional {
                        try await CreditEvents.emit(.thirdRepeat, company: company, case: record.id!, key: "thirdRepeat:\(record.id!)", at: now, on: tx)
                    }
                }
            }
        } catch where external != nil {
            // Another request with the same external number won the race: it is the same case.
            if let existing = try await existing(input.channel, external!) { return (existing, false) }
            throw error
        }
        // What the answer shows was loaded on the way in: no second round of queries.
        record.$compound.value = compound
        record.$streetOffice.value = compound.streetOffice
        record.$handlerCompany.value = .some(record.$handlerCompany.id == nil ? nil : compound.loadedCompany)
        record.$handlerDepartment.value = .some(record.$handlerDepartment.id == nil ? nil : department)
        return (record, true)
    }

    /// The case this channel and external number already made, with what the answer shows;
    /// one the caller may not read is not revealed.
    private func existing(_ channel: CaseChannel, _ external: String) async throws -> CaseRecord? {
        guard let record = try await CaseRecord.query(on: db).filter(\.$channel == channel).filter(\.$externalNumber == external)
            .with(\.$compound).with(\.$streetOffice).with(\.$handlerCompany).with(\.$handlerDepartment).first() else { return nil }
        if let actor, !CasePolicy.mayRead(actor, Self.scope(record, [])) { throw DomainError.notFound("case") }
        return record
    }

    /// The compound from its id or code, or the nearest within 300 m of a map point, or the
    /// one whose address or name contains the given address.
    private func findCompound(_ input: Intake, errors: inout [FieldError]) async throws -> Compound? {
        let query = Compound.query(on: db).with(\.$streetOffice).with(\.$company)
        if let id = input.compoundID {
            if let c = try await query.filter(\.$id == id).first() { return c }
            errors.append(FieldError(field: "compoundId", reason: "no compound has id \(id)"))
            return nil
        }
        if let code = input.compoundCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            if let c = try await query.filter(\.$code == code).first() { return c }
            errors.append(FieldError(field: "compoundCode", reason: "no compound has code \(code)"))
            return nil
        }
        if let point = input.location {
            let problems = GeoRules.check(lon: point.lon, lat: point.lat, fieldPrefix: "location.")
            guard problems.isEmpty else {
                errors += problems
                return nil
            }
            let box = 0.01
            let near = try await query.filter(\.$lon >= point.lon - box).filter(\.$lon <= point.lon + box)
                .filter(\.$lat >= point.lat - box).filter(\.$lat <= point.lat + box).all()
            if let best = near.min(by: { $0.location.distance(to: point) < $1.location.distance(to: point) }),
               best.location.distance(to: point) <= Self.maxPointDistance { return best }
            errors.append(FieldError(field: "location", reason: "no compound within \(Int(Self.maxPointDistance)) m of this point"))
            return nil
        }
        if let address = input.address?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            let matches = try await query.group(.or) { $0.filter(\.$address ~~ address).filter(\.$name ~~ address) }.limit(2).all()
            if matches.count == 1 { return matches[0] }
            errors.append(FieldError(field: "address", reason: matches.isEmpty ? "no compound matches \(address)" : "\(address) matches several compounds; pick one"))
            return nil
        }
        errors.append(FieldError(field: "compoundId", reason: "give the compound (id or code), a map point or an address"))
        return nil
    }

    /// Digits only, a leading +86 or 86 dropped; nil when it is not a phone number.
    static func normalisedPhone(_ raw: String) -> String? {
        var digits = raw.filter { !$0.isWhitespace && $0 != "-" && $0 != "(" && $0 != ")" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("+") { return nil }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        return (7...15).contains(digits.count) ? digits : nil
    }

    /// YJ20251122-0042: the day's next number, claimed by one statement so concurrent intakes never share one.
    private func nextNumber(on tx: any Database, day: String) async throws -> String {
        guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
        struct Row: Decodable { var next_value: Int }
        let row = try await sql.raw("""
            INSERT INTO case_counters (day, next_value) VALUES (\(bind: day), 1)
            ON CONFLICT (day) DO UPDATE SET next_value = case_counters.next_value + 1
            RETURNING next_value
            """).first(decoding: Row.self)
        guard let value = row?.next_value else { throw DomainError.internalError }
        return "YJ" + day.replacingOccurrences(of: "-", with: "") + "-" + String(format: "%04d", value)
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    func event(_ record: CaseRecord, _ kind: String, note: String, data: [String: String], on tx: any Database) async throws {
        let event = CaseEvent()
        event.$caseRecord.id = try record.requireID()
        // The unique (case, sequence) pair also stops two writers appending the same step.
        event.sequence = (try await CaseEvent.query(on: tx).filter(\.$caseRecord.$id == record.requireID()).max(\.$sequence) ?? 0) + 1
        event.at = now
        event.actorID = actor?.userID
        event.actorName = actorName
        event.kind = kind
        event.note = note
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        event.data = String(decoding: try encoder.encode(data), as: UTF8.self)
        try await event.create(on: tx)
    }
}

/// Credit events for the ledger of the companies issue: each recorded exactly once.
enum CreditEvents {
    static func emit(_ kind: CreditEventRecord.Kind, company: UUID, case caseID: UUID, key: String, at: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        // ON CONFLICT DO NOTHING: processing the same case step twice leaves one event.
        try await sql.raw("""
            INSERT INTO case_credit_events (id, company_id, case_id, kind, source_key, at)
            VALUES (\(bind: UUID()), \(bind: company), \(bind: caseID), \(bind: kind.rawValue), \(bind: key), \(bind: at))
            ON CONFLICT (source_key) DO NOTHING
            """).run()
    }
}
