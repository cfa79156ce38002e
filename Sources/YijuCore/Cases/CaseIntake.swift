import Foundation

/// A case as it arrives from any channel (民呼我为), before anything is checked.
public struct CaseIntake: Sendable, Equatable {
    public var channel: CaseChannel
    public var externalNumber: String?
    public var receivedAt: Date?
    public var reporterName: String
    public var reporterPhone: String
    /// One of: the compound's id, its code, a map point, an address.
    public var compoundID: UUID?
    public var compoundCode: String?
    public var location: GeoPoint?
    public var address: String?
    public var building: String?
    public var unit: String?
    public var domain: CaseDomain
    public var description: String
    public var urgency: CaseUrgency
    /// Solved on the spot at intake (即接即办): what was done. Makes the case green and closes it.
    public var resolution: String?
    /// Needs several departments from the start: red.
    public var severalDepartments: Bool

    public init(channel: CaseChannel, externalNumber: String? = nil, receivedAt: Date? = nil, reporterName: String, reporterPhone: String,
                compoundID: UUID? = nil, compoundCode: String? = nil, location: GeoPoint? = nil, address: String? = nil,
                building: String? = nil, unit: String? = nil, domain: CaseDomain, description: String, urgency: CaseUrgency = .normal,
                resolution: String? = nil, severalDepartments: Bool = false) {
        self.channel = channel
        self.externalNumber = externalNumber
        self.receivedAt = receivedAt
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.compoundID = compoundID
        self.compoundCode = compoundCode
        self.location = location
        self.address = address
        self.building = building
        self.unit = unit
        self.domain = domain
        self.description = description
        self.urgency = urgency
        self.resolution = resolution
        self.severalDepartments = severalDepartments
    }
}

/// An intake whose fields were checked and tidied without the database; the server adds
/// what only the database can tell (the compound, an earlier case with the same external
/// number, the earlier cases that make this one a repeat).
public struct CheckedIntake: Sendable {
    /// The intake with its optional fields trimmed, empty ones dropped.
    public var input: CaseIntake
    public var name: String
    /// Digits only (see `IntakeRules.normalisedPhone`); empty when it was not a phone number.
    public var phone: String
    public var description: String
    public var external: String?
    public var resolution: String?
    /// Field errors found so far; the server adds the compound's and answers with all of them.
    public var errors: [FieldError]
    /// Nil for the public web form.
    public var actor: Actor?
    public var now: Date

    public var received: Date { input.receivedAt ?? now }
}

/// An earlier case on the same compound and domain: what makes a new one a repeat (重复件).
public struct EarlierCase: Sendable, Equatable {
    public let id: UUID
    public let receivedAt: Date

    public init(id: UUID, receivedAt: Date) {
        self.id = id
        self.receivedAt = receivedAt
    }
}

/// What intake decides for a new case: where it goes and why, its colour, whether it is a
/// repeat and is escalated, the lifecycle's first step, and the first events of its timeline.
public struct IntakeDecision: Sendable, Equatable {
    /// One event of the new case's timeline.
    public struct Event: Sendable, Equatable {
        public var kind: String
        public var note: String
        public var data: [String: String]
    }

    public var colour: CaseColour
    public var state: CaseState
    /// Who handles it; nil when it was solved on the spot.
    public var handler: HandlerKind?
    /// The department that handles it, when one does.
    public var department: DepartmentKind?
    public var dispatchedAt: Date?
    public var dueAt: Date?
    public var closedAt: Date?
    public var resolution: String?
    /// The latest earlier case on the same compound and domain within the repeat window.
    public var repeatOf: UUID?
    /// The window's cases on this compound and domain, this one included.
    public var repeatCount: Int
    public var escalatedAt: Date?
    /// Why it went where it went, one reason per line.
    public var routing: [String]
    public var events: [Event]
    /// Handled by the compound's renovation builder (`RoutingFacts.works`), not its manager.
    public var toBuilder = false

    /// Escalated as a repeat and handled by the compound's company: the company's credit
    /// answers for it. Repeated heating or gas complaints are the departments', not the
    /// property manager's.
    public var chargesCompany: Bool { escalatedAt != nil && handler == .company }
}

/// Intake's rules: the checks on what was typed, and the decision for a new case.
public enum IntakeRules {
    /// A map point finds the nearest compound within this many metres.
    public static let maxPointDistance = 300.0

    /// Checks and tidies the fields; every problem is listed with its field.
    public static func check(_ input: CaseIntake, actor: Actor?, now: Date) -> CheckedIntake {
        var errors: [FieldError] = []
        let name = input.reporterName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = normalisedPhone(input.reporterPhone)
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
        let resolution = input.resolution?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let resolution, resolution.count > 4000 {
            errors.append(FieldError(field: "resolution", reason: "must be at most 4000 characters"))
        }
        // Five minutes of grace for the other system's clock.
        if let received = input.receivedAt, received > now.addingTimeInterval(300) {
            errors.append(FieldError(field: "receivedAt", reason: "is in the future"))
        }
        var tidied = input
        tidied.building = input.building?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.unit = input.unit?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.compoundCode = input.compoundCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.address = input.address?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        return CheckedIntake(input: tidied, name: name, phone: phone ?? "", description: description, external: external,
                             resolution: resolution, errors: errors, actor: actor, now: now)
    }

    /// Digits only, a leading +86 or 86 dropped; nil when it is not a phone number.
    public static func normalisedPhone(_ raw: String) -> String? {
        var digits = raw.filter { !$0.isWhitespace && $0 != "-" && $0 != "(" && $0 != ")" }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("+") { return nil }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        return (7...15).contains(digits.count) ? digits : nil
    }

    /// Whether the caller may take this case in for a compound of `streetOfficeID`; the
    /// error to answer when not. Only the public web form takes cases without a login.
    public static func admission(_ intake: CheckedIntake, streetOfficeID: UUID) -> DomainError? {
        if let actor = intake.actor {
            guard CasePolicy.mayTakeIn(actor, channel: intake.input.channel, streetOfficeID: streetOfficeID) else {
                return DomainError(.forbidden, code: "forbidden", message: "your role may not take in \(intake.input.channel.rawValue) cases for this compound")
            }
            return nil
        }
        guard intake.input.channel == .webForm else {
            return DomainError(.unauthenticated, code: "unauthenticated", message: "only the public web form takes cases without a login")
        }
        return nil
    }

    /// Routing, colour, repeats, escalation, the lifecycle's first step and the first events.
    ///
    /// - `facts` and `table`: where the case goes (compound → company or street office; by
    ///   domain → department); `registered`: the department kinds the district has — a case
    ///   for one it has not goes to the street office.
    /// - `earlier`: cases on the same compound and domain; those within the repeat window
    ///   before this one make it a repeat, and the rule set's count of them makes it red and
    ///   sends it to the bureau.
    /// - Not solved on the spot, it is dispatched at once (routing is automatic), with the
    ///   colour's working days on `calendar`.
    public static func decide(_ intake: CheckedIntake, facts: RoutingFacts, table: RoutingTable, registered: Set<DepartmentKind>,
                              earlier: [EarlierCase], rules: CaseRules, calendar: WorkingCalendar) throws(DomainError) -> IntakeDecision {
        let input = intake.input, received = intake.received, now = intake.now
        let route = CaseRouter.route(input.domain, facts, table: table)
        var explanation = route.explanation
        var handler = route.handler
        var department = route.department
        if let kind = route.department, !registered.contains(kind) {
            handler = .streetOffice
            department = nil
            explanation.append(CaseRouter.noDepartment(kind))
        }

        let windowStart = received.addingTimeInterval(-Double(rules.repeatWindowDays) * 86_400)
        let inWindow = earlier.filter { $0.receivedAt >= windowStart && $0.receivedAt <= received }
        let latest = inWindow.max { $0.receivedAt < $1.receivedAt }
        let repeatCount = inWindow.count + 1
        var colour: CaseColour = intake.resolution != nil ? .green : (input.severalDepartments ? .red : .yellow)
        let escalate = repeatCount >= rules.repeatEscalation && intake.resolution == nil
        if escalate {
            colour = .red
            explanation.append(CaseRouter.repeatEscalation(count: repeatCount, windowDays: rules.repeatWindowDays))
        }

        var decision = IntakeDecision(colour: colour, state: .received, handler: nil, department: nil, repeatOf: latest?.id,
                                      repeatCount: repeatCount, escalatedAt: escalate ? now : nil, routing: explanation, events: [])
        if let resolution = intake.resolution {
            decision.state = .closed
            decision.resolution = resolution
            decision.closedAt = now
        } else {
            decision.handler = handler
            decision.department = handler == .department ? department : nil
            decision.toBuilder = route.toBuilder
            let snapshot = try CaseMachine.apply(.dispatch(designated: false), to: CaseSnapshot(state: .received, colour: colour, receivedAt: received),
                                                 at: now, rules: rules, calendar: calendar)
            decision.state = snapshot.state
            decision.dispatchedAt = snapshot.dispatchedAt
            decision.dueAt = snapshot.dueAt
        }

        decision.events = [.init(kind: "received", note: intake.description,
                                 data: ["channel": input.channel.rawValue, "externalNumber": intake.external ?? ""])]
        if let resolution = intake.resolution {
            decision.events.append(.init(kind: "closed", note: resolution, data: ["colour": "green"]))
        } else {
            decision.events.append(.init(kind: "dispatched", note: explanation.joined(separator: "；"),
                                         data: ["handler": handler.rawValue, "dueAt": decision.dueAt.map { $0.formatted(.iso8601) } ?? ""]))
        }
        if let repeatOf = latest?.id {
            decision.events.append(.init(kind: "repeat", note: "\(repeatCount) in \(rules.repeatWindowDays) days", data: ["repeatOf": repeatOf.uuidString]))
        }
        if escalate {
            decision.events.append(.init(kind: "escalated", note: "third repeat within the window", data: [:]))
        }
        return decision
    }
}
