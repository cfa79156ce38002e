/// Where a case came from (DOMAIN: the channels of 民呼我为).
public enum CaseChannel: String, CaseIterable, Sendable, Codable {
    /// 12345 hotline; carries the hotline's own work-order number.
    case hotline
    /// 信访.
    case petition
    /// 两媒: newspaper and TV leads.
    case media
    /// 民生接待室.
    case reception
    /// 网格员 patrol, 未诉先办: found before anyone complained.
    case gridPatrol
    /// The public web form.
    case webForm
    /// Another system through the API.
    case api
}

/// What a case is about: Songbei's nine housing domains, and the four more that
/// Shuangcheng's complaints add.
public enum CaseDomain: String, CaseIterable, Sendable, Codable {
    case water, electricity, gas, heating, constructionQuality, propertyRights, safety, maintenanceFund, propertyService
    case sanitation, parking, illegalConstruction, other
}

/// 三色台账: green was solved at intake, yellow has one handler and 2 working days, red
/// needs several departments and has 7.
public enum CaseColour: String, CaseIterable, Sendable, Codable, Comparable {
    case green, yellow, red

    public static func < (a: CaseColour, b: CaseColour) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public enum CaseUrgency: String, CaseIterable, Sendable, Codable {
    case normal, urgent
}

/// Where a case is in its life. `returned` waits for the street office to dispatch again.
public enum CaseState: String, CaseIterable, Sendable, Codable {
    case received, dispatched, accepted, returned, replied, followedUp, closed

    public var isOpen: Bool { self != .closed }
}

/// A resident's verdict on the reply (回访).
public enum Satisfaction: String, CaseIterable, Sendable, Codable {
    case satisfied, basicallySatisfied, dissatisfied

    public var counts: Bool { self != .dissatisfied }
}

/// Who handles a case: the compound's company, a department, or the street office itself.
public enum HandlerKind: String, CaseIterable, Sendable, Codable {
    case company, department, streetOffice
}

extension Labels {
    public static func zh(_ channel: CaseChannel) -> String {
        switch channel {
        case .hotline: "12345热线"
        case .petition: "信访"
        case .media: "两媒"
        case .reception: "民生接待室"
        case .gridPatrol: "网格巡查"
        case .webForm: "网上受理"
        case .api: "系统对接"
        }
    }

    public static func en(_ channel: CaseChannel) -> String {
        switch channel {
        case .hotline: "12345 hotline"
        case .petition: "Petition"
        case .media: "Media"
        case .reception: "Reception desk"
        case .gridPatrol: "Grid patrol"
        case .webForm: "Web form"
        case .api: "Other system"
        }
    }

    public static func zh(_ domain: CaseDomain) -> String {
        switch domain {
        case .water: "供水"
        case .electricity: "供电"
        case .gas: "燃气"
        case .heating: "供热"
        case .constructionQuality: "工程质量"
        case .propertyRights: "房产权属"
        case .safety: "安全隐患"
        case .maintenanceFund: "维修资金"
        case .propertyService: "物业服务"
        case .sanitation: "环境卫生"
        case .parking: "停车"
        case .illegalConstruction: "违章建筑"
        case .other: "其他"
        }
    }

    public static func en(_ domain: CaseDomain) -> String {
        switch domain {
        case .water: "Water"
        case .electricity: "Electricity"
        case .gas: "Gas"
        case .heating: "Heating"
        case .constructionQuality: "Construction quality"
        case .propertyRights: "Property rights"
        case .safety: "Safety"
        case .maintenanceFund: "Maintenance fund"
        case .propertyService: "Property service"
        case .sanitation: "Sanitation"
        case .parking: "Parking"
        case .illegalConstruction: "Illegal construction"
        case .other: "Other"
        }
    }

    public static func zh(_ colour: CaseColour) -> String {
        switch colour {
        case .green: "绿色（即接即办）"
        case .yellow: "黄色（2个工作日）"
        case .red: "红色（多部门，7个工作日）"
        }
    }

    public static func en(_ colour: CaseColour) -> String {
        switch colour {
        case .green: "Green (solved at intake)"
        case .yellow: "Yellow (one handler)"
        case .red: "Red (several departments)"
        }
    }

    public static func zh(_ state: CaseState) -> String {
        switch state {
        case .received: "已受理"
        case .dispatched: "已派单"
        case .accepted: "已签收"
        case .returned: "已退单"
        case .replied: "已答复"
        case .followedUp: "已回访"
        case .closed: "已销号"
        }
    }

    public static func en(_ state: CaseState) -> String {
        switch state {
        case .received: "Received"
        case .dispatched: "Dispatched"
        case .accepted: "Accepted"
        case .returned: "Returned"
        case .replied: "Replied"
        case .followedUp: "Followed up"
        case .closed: "Closed"
        }
    }

    public static func zh(_ s: Satisfaction) -> String {
        switch s {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }

    public static func en(_ s: Satisfaction) -> String {
        switch s {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .dissatisfied: "Dissatisfied"
        }
    }
}
