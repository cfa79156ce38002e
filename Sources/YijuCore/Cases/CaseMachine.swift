import Foundation

/// A department the street office summoned onto a case (街道吹哨、部门报到).
public struct Summons: Sendable, Equatable, Codable {
    public var departmentID: UUID
    public var checkInBy: Date
    public var checkedInAt: Date?
    public var reportedAt: Date?

    public init(departmentID: UUID, checkInBy: Date, checkedInAt: Date? = nil, reportedAt: Date? = nil) {
        self.departmentID = departmentID
        self.checkInBy = checkInBy
        self.checkedInAt = checkedInAt
        self.reportedAt = reportedAt
    }
}

/// What the rules need to know about a case to decide the next step.
public struct CaseSnapshot: Sendable, Equatable {
    public var state: CaseState
    public var colour: CaseColour
    public var receivedAt: Date
    public var dispatchedAt: Date?
    public var dueAt: Date?
    /// The street office designated the handler after a return: it cannot be returned again.
    public var designated = false
    public var extensions = 0
    /// Working days asked for and not yet decided.
    public var pendingExtension: Int?
    public var summons: [Summons] = []
    public var reopenCount = 0

    public init(state: CaseState, colour: CaseColour, receivedAt: Date) {
        self.state = state
        self.colour = colour
        self.receivedAt = receivedAt
    }
}

/// One step a person takes on a case. Who may take which step is the server's policy;
/// whether the step is allowed now is decided here.
public enum CaseAction: Sendable, Equatable {
    case dispatch(designated: Bool)
    case accept
    /// 退单: "this is not ours", with the reason.
    case giveBack(reason: String)
    case requestExtension(workingDays: Int, reason: String)
    case decideExtension(approve: Bool, reason: String)
    case whistle(departments: [UUID], checkInBy: Date)
    case checkIn(department: UUID)
    case report(department: UUID, text: String)
    case reply(text: String)
    case followUp(Satisfaction, note: String)
    case close(note: String)

    public var name: String {
        switch self {
        case .dispatch: "dispatch"
        case .accept: "accept"
        case .giveBack: "return"
        case .requestExtension: "requestExtension"
        case .decideExtension: "decideExtension"
        case .whistle: "whistle"
        case .checkIn: "checkIn"
        case .report: "report"
        case .reply: "reply"
        case .followUp: "followUp"
        case .close: "close"
        }
    }
}

/// The case lifecycle: received → dispatched → accepted → replied → followed up → closed,
/// with returns, extensions, the whistle and reopening. Pure: the same snapshot, action,
/// moment, rules and calendar always give the same answer.
public enum CaseMachine {
    public static func apply(_ action: CaseAction, to snapshot: CaseSnapshot, at now: Date, rules: CaseRules,
                             calendar: WorkingCalendar) throws(DomainError) -> CaseSnapshot {
        var c = snapshot
        func require(_ states: Set<CaseState>) throws(DomainError) {
            guard states.contains(c.state) else {
                let allowed = states.map(\.rawValue).sorted().joined(separator: " or ")
                throw DomainError(.conflict, code: "invalid_transition",
                                  message: "cannot \(action.name) a case that is \(c.state.rawValue); it must be \(allowed)")
            }
        }
        func text(_ value: String, _ field: String) throws(DomainError) {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw DomainError.validation([FieldError(field: field, reason: "is required")]) }
            guard trimmed.count <= 4000 else { throw DomainError.validation([FieldError(field: field, reason: "must be at most 4000 characters")]) }
        }
        switch action {
        case .dispatch(let designated):
            try require([.received, .returned])
            c.state = .dispatched
            c.dispatchedAt = now
            c.designated = designated
            c.dueAt = calendar.deadline(from: now, workingDays: rules.workingDays(for: c.colour))

        case .accept:
            try require([.dispatched])
            c.state = .accepted

        case .giveBack(let reason):
            try require([.dispatched, .accepted])
            try text(reason, "reason")
            guard !c.designated else {
                throw DomainError(.conflict, code: "designated_handler", message: "the street office designated this handler after a return; it cannot be returned again")
            }
            if let dispatched = c.dispatchedAt, now >= calendar.deadline(from: dispatched, workingDays: rules.returnWorkingDays) {
                throw DomainError(.conflict, code: "return_too_late",
                                  message: "a case can be returned only within \(rules.returnWorkingDays) working day(s) of dispatch")
            }
            c.state = .returned
            c.dueAt = nil

        case .requestExtension(let days, let reason):
            try require([.dispatched, .accepted])
            try text(reason, "reason")
            guard c.extensions < rules.maxExtensions else {
                throw DomainError(.conflict, code: "extension_limit", message: "a case may be extended at most \(rules.maxExtensions) time(s)")
            }
            guard c.pendingExtension == nil else {
                throw DomainError(.conflict, code: "extension_pending", message: "an extension is already waiting for the street office's decision")
            }
            guard (1...rules.maxExtensionWorkingDays).contains(days) else {
                throw DomainError.validation([FieldError(field: "workingDays", reason: "must be between 1 and \(rules.maxExtensionWorkingDays)")])
            }
            c.pendingExtension = days

        case .decideExtension(let approve, let reason):
            guard let days = c.pendingExtension else {
                throw DomainError(.conflict, code: "no_extension_pending", message: "no extension is waiting for a decision")
            }
            if !approve { try text(reason, "reason") }
            c.pendingExtension = nil
            if approve {
                c.extensions += 1
                c.dueAt = calendar.deadline(from: (c.dueAt ?? now).addingTimeInterval(-1), workingDays: days)
            }

        case .whistle(let departments, let checkInBy):
            try require([.dispatched, .accepted])
            guard !departments.isEmpty else { throw DomainError.validation([FieldError(field: "departments", reason: "name at least one department")]) }
            let already = Set(c.summons.map(\.departmentID))
            guard departments.allSatisfy({ !already.contains($0) }), Set(departments).count == departments.count else {
                throw DomainError.validation([FieldError(field: "departments", reason: "a department is summoned once per case")])
            }
            guard checkInBy > now else { throw DomainError.validation([FieldError(field: "checkInBy", reason: "must be in the future")]) }
            c.summons += departments.map { Summons(departmentID: $0, checkInBy: checkInBy) }
            // Several parties make it red, with red's time limit counted from dispatch.
            if c.colour != .red {
                c.colour = .red
                if let dispatched = c.dispatchedAt {
                    let red = calendar.deadline(from: dispatched, workingDays: rules.redWorkingDays)
                    c.dueAt = max(c.dueAt ?? red, red)
                }
            }

        case .checkIn(let department):
            guard let i = c.summons.firstIndex(where: { $0.departmentID == department }) else {
                throw DomainError(.conflict, code: "not_summoned", message: "this department was not summoned onto the case")
            }
            guard c.summons[i].checkedInAt == nil else {
                throw DomainError(.conflict, code: "already_checked_in", message: "this department has already checked in")
            }
            guard c.state.isOpen, c.state != .replied, c.state != .followedUp else {
                throw DomainError(.conflict, code: "invalid_transition", message: "the case is \(c.state.rawValue); check-in is over")
            }
            c.summons[i].checkedInAt = now

        case .report(let department, let body):
            try text(body, "text")
            guard let i = c.summons.firstIndex(where: { $0.departmentID == department }) else {
                throw DomainError(.conflict, code: "not_summoned", message: "this department was not summoned onto the case")
            }
            guard c.summons[i].checkedInAt != nil else {
                throw DomainError(.conflict, code: "not_checked_in", message: "check in (报到) before reporting what was done")
            }
            guard c.summons[i].reportedAt == nil else {
                throw DomainError(.conflict, code: "already_reported", message: "this department has already reported")
            }
            c.summons[i].reportedAt = now

        case .reply(let body):
            try require([.accepted])
            try text(body, "text")
            let waiting = c.summons.filter { $0.reportedAt == nil }.count
            guard waiting == 0 else {
                throw DomainError(.conflict, code: "summons_open",
                                  message: "\(waiting) summoned department(s) have not reported yet; the case can be replied to when every one has")
            }
            if c.pendingExtension != nil { c.pendingExtension = nil }
            c.state = .replied

        case .followUp(let satisfaction, _):
            try require([.replied])
            if satisfaction.counts {
                c.state = .followedUp
            } else {
                // A dissatisfied resident reopens the case to the same handler with a fresh time limit.
                c.state = .accepted
                c.reopenCount += 1
                c.dueAt = calendar.deadline(from: now, workingDays: rules.workingDays(for: c.colour == .green ? .yellow : c.colour))
            }

        case .close:
            try require([.followedUp])
            c.state = .closed
        }
        return c
    }
}
