import Foundation

/// Where a domain goes: to a department, or to whoever manages the compound (its
/// company when professionally managed, otherwise its street office).
public enum RouteTarget: Sendable, Hashable, Codable {
    case department(DepartmentKind)
    case manager

    public var key: String {
        switch self {
        case .department(let kind): "department:\(kind.rawValue)"
        case .manager: "manager"
        }
    }

    public init?(key: String) {
        if key == "manager" { self = .manager; return }
        guard key.hasPrefix("department:"), let kind = DepartmentKind(rawValue: String(key.dropFirst("department:".count))) else { return nil }
        self = .department(kind)
    }
}

/// The routing table the bureau admin edits: one target per domain.
public struct RoutingTable: Sendable, Equatable {
    public var targets: [CaseDomain: RouteTarget]

    public init(targets: [CaseDomain: RouteTarget]) { self.targets = targets }

    /// Utilities to their departments; building, title and fund questions to housing;
    /// illegal construction to law enforcement; safety to the fire service; the rest to
    /// whoever manages the compound.
    public static let `default` = RoutingTable(targets: [
        .water: .department(.water), .electricity: .department(.power), .gas: .department(.gas), .heating: .department(.heating),
        .constructionQuality: .department(.housing), .propertyRights: .department(.housing), .maintenanceFund: .department(.housing),
        .illegalConstruction: .department(.lawEnforcement), .safety: .department(.fire),
        .propertyService: .manager, .sanitation: .manager, .parking: .manager, .other: .manager,
    ])

    public func target(_ domain: CaseDomain) -> RouteTarget { targets[domain] ?? .manager }
}

/// What routing needs to know about the compound a case is on.
public struct RoutingFacts: Sendable {
    public var compoundCode: String
    public var compoundName: String
    public var streetOfficeName: String
    public var management: ManagementMode
    public var companyName: String?
    /// The management area it is in, from an adopted zoning plan.
    public var areaCode: String?

    public init(compoundCode: String, compoundName: String, streetOfficeName: String, management: ManagementMode,
                companyName: String?, areaCode: String?) {
        self.compoundCode = compoundCode
        self.compoundName = compoundName
        self.streetOfficeName = streetOfficeName
        self.management = management
        self.companyName = companyName
        self.areaCode = areaCode
    }
}

/// The handler a case goes to and why, in words the case page shows.
public struct Route: Sendable, Equatable {
    public var handler: HandlerKind
    public var department: DepartmentKind?
    public var explanation: [String]
}

/// Routing explains itself in Chinese, the language of the case page and of the people who
/// read it (street officers, departments, property managers); the API carries the same text.
public enum CaseRouter {
    public static func route(_ domain: CaseDomain, _ facts: RoutingFacts, table: RoutingTable) -> Route {
        var why = ["\(facts.compoundCode) \(facts.compoundName) 属\(facts.streetOfficeName)"
            + (facts.areaCode.map { "，管理片区 \($0)" } ?? "")]
        let kind = Labels.zh(domain)
        switch table.target(domain) {
        case .department(let department):
            why.append("按分派表，\(kind)类诉求由\(Labels.zh(department))部门办理")
            return Route(handler: .department, department: department, explanation: why)
        case .manager:
            why.append("按分派表，\(kind)类诉求由小区管理方办理")
            if facts.management == .professional, let company = facts.companyName {
                why.append("小区由\(company)专业化管理")
                return Route(handler: .company, department: nil, explanation: why)
            }
            why.append("小区没有物业企业（\(Labels.zh(facts.management))），由街道办理")
            return Route(handler: .streetOffice, department: nil, explanation: why)
        }
    }

    /// When routing names a department of a kind the district has not registered.
    public static func noDepartment(_ kind: DepartmentKind) -> String {
        "未登记\(Labels.zh(kind))部门，由街道办理"
    }

    /// The third (or later) case on one compound and domain within the window.
    public static func repeatEscalation(count: Int, windowDays: Int) -> String {
        "本小区同类诉求\(windowDays)天内第\(count)件：转为红色，报区住建局"
    }
}

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
        case .company: actor.role == .companyStaff && actor.companyID != nil && actor.companyID == scope.handlerCompanyID
        case .department: actor.role == .departmentOfficer && actor.departmentID != nil && actor.departmentID == scope.handlerDepartmentID
        case .streetOffice: actor.role == .streetOfficer && actor.streetOfficeID == scope.streetOfficeID
        case nil: false
        }
    }

    public static func mayRead(_ actor: Actor, _ scope: CaseScope) -> Bool {
        switch actor.role {
        case .bureauAdmin, .hotlineOperator: true
        case .streetOfficer, .gridWorker: ownStreetOffice(actor, scope)
        case .companyStaff, .departmentOfficer:
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
        case .companyStaff, .departmentOfficer: false
        }
    }

    /// The full phone number: the operator who took the call and the case's handler.
    public static func maySeePhone(_ actor: Actor, _ scope: CaseScope) -> Bool {
        scope.takenBy == actor.userID || isHandler(actor, scope)
    }

    /// 138****1234: the first three and last four digits of a mobile number; shorter numbers keep their last two.
    public static func mask(_ phone: String) -> String {
        let digits = Array(phone)
        guard digits.count >= 7 else { return String(repeating: "*", count: max(0, digits.count - 2)) + String(digits.suffix(2)) }
        return String(digits.prefix(3)) + String(repeating: "*", count: digits.count - 7) + String(digits.suffix(4))
    }
}
