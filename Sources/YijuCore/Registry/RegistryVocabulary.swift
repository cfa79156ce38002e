/// The closed vocabularies of the registry (台账). Raw values are the wire and CSV
/// spellings, so they never change once published.

/// The four kinds of compound the zoning format and the registry distinguish.
public enum CompoundKind: String, CaseIterable, Sendable, Codable {
    /// 小区: a residential estate.
    case estate
    /// 单体楼: a compound of one building.
    case singleBuilding
    /// 自管院: a yard looked after by the street office itself.
    case selfManagedYard
    /// 产权单位家属区: family housing of a work unit.
    case employerQuarters
}

/// Who looks after a compound today.
public enum ManagementMode: String, CaseIterable, Sendable, Codable {
    /// A property company under contract.
    case professional
    /// 政府兜底: no company; the government pays for basic service.
    case governmentFallback
    /// Looked after by the street office or the owners themselves.
    case selfManaged
    /// 弃管: nobody manages it.
    case abandoned

    /// Compounds that still need a company; zoning starts from these.
    public var needsCompany: Bool { self == .governmentFallback || self == .abandoned }
}

/// Where a compound stands in the renovation programme (老旧小区改造).
public enum RenovationState: String, CaseIterable, Sendable, Codable {
    case none, planned, underWorks, completed
}

/// Hard boundaries for zoning: a zone never straddles one.
public enum BarrierKind: String, CaseIterable, Sendable, Codable {
    case river, railway, arterial
}

/// The departments a street office summons with the whistle (吹哨).
public enum DepartmentKind: String, CaseIterable, Sendable, Codable {
    /// 住建: housing and construction.
    case housing
    /// 城管: city management.
    case cityManagement
    /// 综合执法: comprehensive law enforcement.
    case lawEnforcement
    /// 公安: police.
    case police
    /// 消防: fire and rescue.
    case fire
    /// 供电: power supply.
    case power
    /// 供水: water supply.
    case water
    /// 供热: heating.
    case heating
    /// 燃气: gas.
    case gas
}

/// Localised labels for the vocabularies, Simplified Chinese first.
public enum Labels {
    public static func zh(_ kind: CompoundKind) -> String {
        switch kind {
        case .estate: "小区"
        case .singleBuilding: "单体楼"
        case .selfManagedYard: "自管院"
        case .employerQuarters: "产权单位家属区"
        }
    }

    public static func en(_ kind: CompoundKind) -> String {
        switch kind {
        case .estate: "Estate"
        case .singleBuilding: "Single building"
        case .selfManagedYard: "Self-managed yard"
        case .employerQuarters: "Employer quarters"
        }
    }

    public static func zh(_ mode: ManagementMode) -> String {
        switch mode {
        case .professional: "专业物业"
        case .governmentFallback: "政府兜底"
        case .selfManaged: "自管"
        case .abandoned: "弃管"
        }
    }

    public static func en(_ mode: ManagementMode) -> String {
        switch mode {
        case .professional: "Professional"
        case .governmentFallback: "Government fallback"
        case .selfManaged: "Self-managed"
        case .abandoned: "Abandoned"
        }
    }

    public static func zh(_ state: RenovationState) -> String {
        switch state {
        case .none: "未改造"
        case .planned: "计划改造"
        case .underWorks: "改造施工中"
        case .completed: "改造完成"
        }
    }

    public static func en(_ state: RenovationState) -> String {
        switch state {
        case .none: "Not renovated"
        case .planned: "Planned"
        case .underWorks: "Under works"
        case .completed: "Completed"
        }
    }

    public static func zh(_ kind: BarrierKind) -> String {
        switch kind {
        case .river: "河流"
        case .railway: "铁路"
        case .arterial: "主干道"
        }
    }

    public static func en(_ kind: BarrierKind) -> String {
        switch kind {
        case .river: "River"
        case .railway: "Railway"
        case .arterial: "Arterial road"
        }
    }

    public static func zh(_ kind: DepartmentKind) -> String {
        switch kind {
        case .housing: "住建"
        case .cityManagement: "城管"
        case .lawEnforcement: "综合执法"
        case .police: "公安"
        case .fire: "消防"
        case .power: "供电"
        case .water: "供水"
        case .heating: "供热"
        case .gas: "燃气"
        }
    }

    public static func en(_ kind: DepartmentKind) -> String {
        switch kind {
        case .housing: "Housing"
        case .cityManagement: "City management"
        case .lawEnforcement: "Law enforcement"
        case .police: "Police"
        case .fire: "Fire"
        case .power: "Power"
        case .water: "Water"
        case .heating: "Heating"
        case .gas: "Gas"
        }
    }
}

/// What a company in the registry does. Property companies (物业) manage compounds, bid in
/// tenders and are graded; the others take part in renovation projects (参建单位).
public enum CompanyKind: String, CaseIterable, Sendable, Codable {
    /// 物业服务企业.
    case property
    /// 施工单位.
    case construction
    /// 设计单位.
    case design
    /// 监理单位.
    case supervision

    public var zh: String {
        switch self {
        case .property: "物业服务企业"
        case .construction: "施工单位"
        case .design: "设计单位"
        case .supervision: "监理单位"
        }
    }

    public var en: String {
        switch self {
        case .property: "Property company"
        case .construction: "Construction company"
        case .design: "Design institute"
        case .supervision: "Supervision company"
        }
    }

    /// Whether it is a contractor (参建单位) rather than a property company.
    public var isContractor: Bool { self != .property }
}
