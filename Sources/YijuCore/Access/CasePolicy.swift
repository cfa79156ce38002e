import Foundation

/// A case as authorisation sees it: its street office, its handler and its summoned departments.
public struct CaseScope: Sendable, Hashable {
    public var streetOfficeID: UUID
    public var handler: HandlerKind?
    public var handlerCompanyID: UUID?
    public var handlerDepartmentID: UUID?
    public var summoned: Set<UUID>
    /// The operator who took the case in.
    public var takenBy: UUID?

    public init(streetOfficeID: UUID, handler: HandlerKind?, handlerCompanyID: UUID?, handlerDepartmentID: UUID?,
                summoned: Set<UUID> = [], takenBy: UUID? = nil) {
        self.streetOfficeID = streetOfficeID
        self.handler = handler
        self.handlerCompanyID = handlerCompanyID
        self.handlerDepartmentID = handlerDepartmentID
        self.summoned = summoned
        self.takenBy = takenBy
    }
}

/// Who may see a case and take which step on it.
public enum CasePolicy {
    static func ownStreetOffice(_ actor: Actor, _ scope: CaseScope) -> Bool {
        (actor.role == .streetOfficer || actor.role == .gridWorker) && actor.streetOfficeID == scope.streetOfficeID
    }

    /// The party the case is assigned to.
    public static func isHandler(_ actor: Actor, _ scope: CaseScope) -> Bool {
        switch scope.handler {
        case .company: Policy.isStaff(actor, of: scope.handlerCompanyID)
        case .department: actor.role == .departmentOfficer && actor.departmentID != nil && actor.departmentID == scope.handlerDepartmentID
        case .streetOffice: actor.role == .streetOfficer && actor.streetOfficeID == scope.streetOfficeID
        case nil: false
        }
    }

    public static func mayRead(_ actor: Actor, _ scope: CaseScope) -> Bool {
        switch actor.role {
        case .bureauAdmin, .hotlineOperator: true
        case .streetOfficer, .gridWorker: ownStreetOffice(actor, scope)
        case .companyStaff, .contractorStaff, .departmentOfficer:
            isHandler(actor, scope) || (actor.departmentID.map { scope.summoned.contains($0) } ?? false)
        }
    }

    /// May this actor take the step? (Whether the step is allowed now is CaseMachine's question.)
    public static func may(_ actor: Actor, _ action: CaseAction, _ scope: CaseScope) -> Bool {
        if actor.role == .bureauAdmin { return true }
        let officer = actor.role == .streetOfficer && actor.streetOfficeID == scope.streetOfficeID
        switch action {
        case .dispatch, .decideExtension, .whistle, .close: return officer
        case .accept, .giveBack, .requestExtension, .reply: return isHandler(actor, scope)
        case .checkIn(let department), .report(let department, _):
            return actor.role == .departmentOfficer && actor.departmentID == department && scope.summoned.contains(department)
        case .followUp: return officer || actor.role == .hotlineOperator
        }
    }

    /// Who takes cases in, and from which channels.
    public static func mayTakeIn(_ actor: Actor, channel: CaseChannel, streetOfficeID: UUID) -> Bool {
        switch actor.role {
        case .bureauAdmin: true
        case .hotlineOperator: channel != .gridPatrol
        case .streetOfficer: actor.streetOfficeID == streetOfficeID && channel != .api
        case .gridWorker: actor.streetOfficeID == streetOfficeID && channel == .gridPatrol
        case .companyStaff, .contractorStaff, .departmentOfficer: false
        }
    }

    /// The full phone number: the operator who took the call and the case's handler.
    public static func maySeePhone(_ actor: Actor, _ scope: CaseScope) -> Bool {
        scope.takenBy == actor.userID || isHandler(actor, scope)
    }

    /// Who may ask for the full number, the asking logged on the case: those who see it,
    /// and the bureau.
    public static func mayRevealPhone(_ actor: Actor, _ scope: CaseScope) -> Bool {
        maySeePhone(actor, scope) || actor.role == .bureauAdmin
    }

    /// The cases an actor's ledger shows. A department's are those it handles or was
    /// summoned to (`mayRead`); its scope names the department, the summoned cases are the
    /// server's to add.
    public static func ledgerScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin, .hotlineOperator: .district
        case .streetOfficer, .gridWorker: actor.streetOfficeID.map(Scope.streetOffice) ?? .nothing
        case .companyStaff, .contractorStaff: actor.companyID.map(Scope.company) ?? .nothing
        case .departmentOfficer: actor.departmentID.map(Scope.department) ?? .nothing
        }
    }

    /// Whether the actor chases what needs attention (escalated, overdue, unanswered,
    /// missed check-ins): the bureau, and a street office in its own scope.
    public static func watchesAttention(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || actor.role == .streetOfficer
    }

    /// The channels an actor takes cases in from, most used first: a grid worker's patrol,
    /// a street office's reception desk first, the hotline's work orders first. Empty for
    /// the roles that take no cases in.
    public static func intakeChannels(_ actor: Actor) -> [CaseChannel] {
        let preferred: [CaseChannel] = switch actor.role {
        case .gridWorker: [.gridPatrol]
        case .streetOfficer: [.reception, .gridPatrol, .petition, .media, .hotline, .webForm]
        default: [.hotline, .petition, .media, .reception, .webForm, .gridPatrol]
        }
        // Any street office of their own will do: the channel is the question here.
        return preferred.filter { mayTakeIn(actor, channel: $0, streetOfficeID: actor.streetOfficeID ?? UUID()) }
    }

    /// 138****1234: the first three and last four digits of a mobile number; shorter numbers keep their last two.
    /// A reporter's name where the number may not be revealed: the surname and an
    /// asterisk for each character after it (张女士 → 张**).
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }

    public static func mask(_ phone: String) -> String {
        let digits = Array(phone)
        guard digits.count >= 7 else { return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2)) }
        return String(digits.prefix(3)) + String(repeating: "*", count: digits.count - 7) + String(digits.suffix(4))
    }
}
