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

/// The routing table the bureau admin edits: one target per domain, and the domains that,
/// while a compound's renovation works are on, go to the project's builder instead
/// ("即接即办": a pipe the works burst is the builder's to fix the same day).
public struct RoutingTable: Sendable, Equatable {
    public var targets: [CaseDomain: RouteTarget]
    public var duringWorks: Set<CaseDomain>

    public init(targets: [CaseDomain: RouteTarget], duringWorks: Set<CaseDomain> = []) {
        self.targets = targets
        self.duringWorks = duringWorks
    }

    /// Construction quality, water, heating and safety: what renovation works disturb.
    public static let worksDomains: Set<CaseDomain> = [.constructionQuality, .water, .heating, .safety]

    /// Utilities to their departments; building, title and fund questions to housing;
    /// illegal construction to law enforcement; safety to the fire service; the rest to
    /// whoever manages the compound.
    public static let `default` = RoutingTable(targets: [
        .water: .department(.water), .electricity: .department(.power), .gas: .department(.gas), .heating: .department(.heating),
        .constructionQuality: .department(.housing), .propertyRights: .department(.housing), .maintenanceFund: .department(.housing),
        .illegalConstruction: .department(.lawEnforcement), .safety: .department(.fire),
        .propertyService: .manager, .sanitation: .manager, .parking: .manager, .other: .manager,
    ], duringWorks: worksDomains)

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
    /// The renovation works on it now, when a project is under works with a builder engaged.
    public var works: WorksFacts?

    public init(compoundCode: String, compoundName: String, streetOfficeName: String, management: ManagementMode,
                companyName: String?, areaCode: String?, works: WorksFacts? = nil) {
        self.compoundCode = compoundCode
        self.compoundName = compoundName
        self.streetOfficeName = streetOfficeName
        self.management = management
        self.companyName = companyName
        self.areaCode = areaCode
        self.works = works
    }
}

/// A compound's renovation works as routing names them: the project and its builder's lead.
public struct WorksFacts: Sendable, Equatable {
    public var projectCode: String
    public var builderName: String
    public var leadName: String
    public var leadPhone: String

    public init(projectCode: String, builderName: String, leadName: String, leadPhone: String) {
        self.projectCode = projectCode
        self.builderName = builderName
        self.leadName = leadName
        self.leadPhone = leadPhone
    }
}

/// The handler a case goes to and why, in words the case page shows.
public struct Route: Sendable, Equatable {
    public var handler: HandlerKind
    public var department: DepartmentKind?
    public var explanation: [String]
    /// A company handler that is the works' builder, not the compound's manager.
    public var toBuilder = false
}

/// Routing explains itself in Chinese, the language of the case page and of the people who
/// read it (street officers, departments, property managers); the API carries the same text.
public enum CaseRouter {
    public static func route(_ domain: CaseDomain, _ facts: RoutingFacts, table: RoutingTable) -> Route {
        var why = ["\(facts.compoundCode) \(facts.compoundName) 属\(facts.streetOfficeName)"
            + (facts.areaCode.map { "，管理片区 \($0)" } ?? "")]
        let kind = Labels.zh(domain)
        if let works = facts.works, table.duringWorks.contains(domain) {
            why.append("小区正在改造施工（项目 \(works.projectCode)），按分派表施工期间\(kind)类诉求由施工单位即接即办")
            why.append("\(works.builderName)，负责人 \(works.leadName) \(works.leadPhone)")
            return Route(handler: .company, department: nil, explanation: why, toBuilder: true)
        }
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
