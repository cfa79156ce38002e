import Foundation

/// What a checklist is about (考评内容). `construction` (文明施工) checklists inspect a
/// renovation project's site, and only they do.
public enum ChecklistCategory: String, CaseIterable, Codable, Sendable {
    case cleaning, security, greening, facilities, snowClearing, disclosure, construction, other
}

/// One line of an inspection checklist. Its weight (1…the rule set's maximum) decides both
/// its share of the inspection's score and what failing it costs in credit.
public struct ChecklistItem: Codable, Sendable, Equatable {
    public var title: String
    public var weight: Int

    public init(title: String, weight: Int) {
        self.title = title
        self.weight = weight
    }
}

/// An inspection checklist template (考评细则): data the bureau edits.
public struct Checklist: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var category: ChecklistCategory
    public var items: [ChecklistItem]

    public init(code: String, name: String, category: ChecklistCategory, items: [ChecklistItem]) {
        self.code = code
        self.name = name
        self.category = category
        self.items = items
    }

    public static let maxItems = 60

    /// Everything wrong with it, each naming its field; empty when it can be used.
    public func problems(maxWeight: Int) -> [FieldError] {
        var problems: [FieldError] = []
        if code.range(of: #"^[a-z][a-z0-9-]{1,39}$"#, options: .regularExpression) == nil {
            problems.append(FieldError(field: "code", reason: "must be 2 to 40 lowercase letters, digits or dashes, starting with a letter"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 60 {
            problems.append(FieldError(field: "name", reason: "must be 1 to 60 characters"))
        }
        if items.isEmpty || items.count > Self.maxItems {
            problems.append(FieldError(field: "items", reason: "must have 1 to \(Self.maxItems) items"))
        }
        var seen: Set<String> = []
        for (i, item) in items.enumerated() {
            let title = item.title.trimmingCharacters(in: .whitespaces)
            if title.isEmpty || title.count > 200 {
                problems.append(FieldError(field: "items[\(i)].title", reason: "must be 1 to 200 characters"))
            } else if !seen.insert(title).inserted {
                problems.append(FieldError(field: "items[\(i)].title", reason: "appears twice"))
            }
            if !(1...maxWeight).contains(item.weight) {
                problems.append(FieldError(field: "items[\(i)].weight", reason: "must be 1 to \(maxWeight)"))
            }
        }
        return problems
    }

    /// The templates a new deployment starts with, after the Harbin and Beijing
    /// property-service assessment schemes: the items residents notice first weigh most.
    public static let defaults: [Checklist] = [
        Checklist(code: "cleaning", name: "清洁卫生", category: .cleaning, items: [
            ChecklistItem(title: "楼道、楼梯扶手每日清扫，无杂物堆放", weight: 3),
            ChecklistItem(title: "垃圾日产日清，垃圾桶站周边无散落、无异味", weight: 5),
            ChecklistItem(title: "道路、广场无积水、无明显垃圾", weight: 3),
            ChecklistItem(title: "化粪池、排水管道定期清掏，无堵塞外溢", weight: 4),
            ChecklistItem(title: "小广告、乱涂乱画及时清除", weight: 1),
        ]),
        Checklist(code: "security", name: "秩序维护", category: .security, items: [
            ChecklistItem(title: "出入口有人值守，外来人员车辆登记", weight: 3),
            ChecklistItem(title: "按规定路线和频次巡逻并有记录", weight: 2),
            ChecklistItem(title: "消防通道畅通，无占用堵塞", weight: 5),
            ChecklistItem(title: "机动车、非机动车停放有序", weight: 2),
            ChecklistItem(title: "飞线充电、楼道停放电动车及时劝阻上报", weight: 4),
        ]),
        Checklist(code: "greening", name: "绿化养护", category: .greening, items: [
            ChecklistItem(title: "绿地无黄土裸露、无杂草垃圾", weight: 2),
            ChecklistItem(title: "树木按季修剪，无枯枝危枝", weight: 3),
            ChecklistItem(title: "绿地无侵占、毁绿种菜", weight: 2),
        ]),
        Checklist(code: "facilities", name: "设施设备", category: .facilities, items: [
            ChecklistItem(title: "楼道照明完好", weight: 2),
            ChecklistItem(title: "单元门、门禁、对讲完好可用", weight: 2),
            ChecklistItem(title: "消防设施完好、在有效期内", weight: 5),
            ChecklistItem(title: "屋面、外墙无渗漏脱落隐患", weight: 4),
            ChecklistItem(title: "设施设备台账和维修记录完整", weight: 1),
        ]),
        Checklist(code: "snow", name: "冬季除雪", category: .snowClearing, items: [
            ChecklistItem(title: "雪停后 24 小时内主要道路和出入口清雪完毕", weight: 5),
            ChecklistItem(title: "单元门口、台阶防滑处理", weight: 4),
            ChecklistItem(title: "清出的冰雪集中堆放，不堵塞消防通道", weight: 3),
        ]),
        Checklist(code: "disclosure", name: "收费与服务公示", category: .disclosure, items: [
            ChecklistItem(title: "收费标准、服务内容和标准在显著位置公示", weight: 3),
            ChecklistItem(title: "项目负责人及联系电话公示", weight: 2),
            ChecklistItem(title: "公共收益收支按季度公示", weight: 3),
            ChecklistItem(title: "维修资金使用情况公示", weight: 2),
        ]),
        civilisedConstruction,
    ]

    /// The site inspection of renovation works (为民施工不扰民): its findings are orders on the builder.
    public static let civilisedConstruction = Checklist(code: "civilised-construction", name: "文明施工", category: .construction, items: [
        ChecklistItem(title: "施工区域围挡封闭，出入口设工程公示牌（参建单位、负责人及电话）", weight: 3),
        ChecklistItem(title: "裸露土方和物料苫盖，施工洒水降尘", weight: 4),
        ChecklistItem(title: "建筑垃圾当日清运，不占用消防通道和居民通道", weight: 4),
        ChecklistItem(title: "夜间（22:00—次日6:00）及考试期间无噪声扰民作业", weight: 5),
        ChecklistItem(title: "施工区与居民通行区隔离，设置安全警示标志", weight: 4),
        ChecklistItem(title: "临时用电、动火作业规范，配备消防器材", weight: 5),
        ChecklistItem(title: "停水、停电、停气、停暖提前公告，按时恢复", weight: 3),
        ChecklistItem(title: "施工日志按日填写，真实完整", weight: 2),
    ])
}

/// One checklist item as the inspector found it.
public struct ItemVerdict: Sendable, Equatable {
    public var passed: Bool
    /// What was wrong (required when the item failed).
    public var finding: String?
    /// A rectification order's deadline, when the inspector raises one for a failed item.
    public var rectifyBy: String?

    public init(passed: Bool, finding: String? = nil, rectifyBy: String? = nil) {
        self.passed = passed
        self.finding = finding
        self.rectifyBy = rectifyBy
    }
}

public enum InspectionScoring {
    /// The score out of 100 in tenths: the passed items' share of the total weight.
    public static func score(_ items: [ChecklistItem], _ verdicts: [ItemVerdict]) -> Tenths {
        let total = items.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return 0 }
        let passed = zip(items, verdicts).reduce(0) { $0 + ($1.1.passed ? $1.0.weight : 0) }
        return (passed * 1000 + total / 2) / total
    }

    /// Everything wrong with a filled-in checklist: one verdict per item, a finding for
    /// each failed item, and a rectification deadline only on a failed item, after the
    /// inspection's day and at most 90 days later.
    public static func problems(_ items: [ChecklistItem], _ verdicts: [ItemVerdict], day: String) -> [FieldError] {
        guard verdicts.count == items.count else {
            return [FieldError(field: "items", reason: "needs one verdict per checklist item (\(items.count)), got \(verdicts.count)")]
        }
        var problems: [FieldError] = []
        let calendar = Calendar.shanghai
        let latest = calendar.start(of: day).flatMap { calendar.date(byAdding: .day, value: 90, to: $0) }.map(calendar.day)
        for (i, verdict) in verdicts.enumerated() {
            let finding = verdict.finding?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if !verdict.passed, finding.isEmpty {
                problems.append(FieldError(field: "items[\(i)].finding", reason: "a failed item needs a finding"))
            }
            if finding.count > 1000 { problems.append(FieldError(field: "items[\(i)].finding", reason: "must be at most 1000 characters")) }
            guard let by = verdict.rectifyBy else { continue }
            if verdict.passed {
                problems.append(FieldError(field: "items[\(i)].rectifyBy", reason: "only a failed item can get a rectification order"))
            } else if !calendar.isDay(by) {
                problems.append(FieldError(field: "items[\(i)].rectifyBy", reason: "must be a date like 2025-11-22"))
            } else if by <= day || latest.map({ by > $0 }) ?? false {
                problems.append(FieldError(field: "items[\(i)].rectifyBy", reason: "must be after the inspection day and within 90 days"))
            }
        }
        return problems
    }
}

/// 回头看: compounds whose cases concentrate enough to be inspected again.
public enum LookBack {
    public struct Candidate: Sendable, Equatable {
        public var compoundID: UUID
        public var cases: Int
        public var households: Int
        /// The last inspection of the compound, if any (yyyy-MM-dd).
        public var lastInspection: String?

        public init(compoundID: UUID, cases: Int, households: Int, lastInspection: String?) {
            self.compoundID = compoundID
            self.cases = cases
            self.households = households
            self.lastInspection = lastInspection
        }

        /// Cases per 100 households in the window: what makes a small compound's cases concentrated.
        public var perHundredHouseholds: Double { households > 0 ? Double(cases) * 100 / Double(households) : Double(cases) }
    }

    /// The compounds with at least `minimum` cases since `since`, most concentrated first;
    /// `due` is true for those not inspected since the window opened.
    public static func rank(_ candidates: [Candidate], minimum: Int, since: String) -> [(candidate: Candidate, due: Bool)] {
        candidates.filter { $0.cases >= minimum }
            .sorted { ($0.perHundredHouseholds, $0.cases, $1.compoundID.uuidString) > ($1.perHundredHouseholds, $1.cases, $0.compoundID.uuidString) }
            .map { ($0, $0.lastInspection.map { $0 < since } ?? true) }
    }
}
