/// The closed vocabularies of renovation (老旧小区改造). Raw values are the wire spellings.

/// Where a renovation project is: planned → consulting → approved → under works →
/// acceptance → completed, or cancelled with a reason.
public enum ProjectStatus: String, CaseIterable, Sendable, Codable {
    /// Listed in a year's batch; nothing asked of the residents yet.
    case planned
    /// 一访一议一公示 and the first two of 三上三下 under way.
    case consulting
    /// Approved after the residents decided; works not begun.
    case approved
    /// 施工中.
    case underWorks
    /// 验收: the completion check and the satisfaction survey.
    case acceptance
    /// Accepted: the registry and zoning have been told.
    case completed
    case cancelled

    /// Still in the programme: not completed nor cancelled.
    public var isOpen: Bool { self != .completed && self != .cancelled }
}

/// The three kinds of work item the renovation programme distinguishes.
public enum WorkItemCategory: String, CaseIterable, Sendable, Codable {
    /// 基础类: water and drainage, power, gas, heating pipes, roofs, insulation, stairwells.
    case basic
    /// 完善类: parking, sheds, greening, drying areas, accessibility, elevators, charging, fitness, security.
    case improvement
    /// 提升类: community service rooms, elderly and child facilities, smart facilities.
    case upgrade
}

/// Where a project's money comes from.
public enum FundingSource: String, CaseIterable, Sendable, Codable {
    /// 向上争取: central or provincial subsidy.
    case higherSubsidy
    /// 财政配套: the district's budget.
    case districtBudget
    /// 社会资本: social financing (a pipeline company, an elevator operator …).
    case socialFinancing
    /// 居民出资: the households' own contributions.
    case residents
}

/// The companies a project engages, each in the registry with its kind.
public enum ContractorRole: String, CaseIterable, Sendable, Codable {
    /// 设计单位.
    case design
    /// 施工单位: the contractor whose staff keep the site diary and take the works' cases.
    case construction
    /// 监理单位.
    case supervision

    /// The kind of company that may take this part.
    public var companyKind: CompanyKind {
        switch self {
        case .design: .design
        case .construction: .construction
        case .supervision: .supervision
        }
    }
}

/// The three rounds of 三上三下, in their order.
public enum ConsultationRound: Int, CaseIterable, Sendable, Codable, Comparable {
    /// Opinions collected (一上) → the draft plan published (一下).
    case opinions = 1
    /// Comments on the draft through meetings (二上) → the final plan published (二下).
    case comments = 2
    /// Feedback during works (三上) → rectifications published (三下).
    case works = 3

    public static func < (a: ConsultationRound, b: ConsultationRound) -> Bool { a.rawValue < b.rawValue }
}

/// A household's verdict in the acceptance survey (满意度测评).
public enum SurveyVerdict: String, CaseIterable, Sendable, Codable {
    case satisfied, basicallySatisfied, dissatisfied

    /// Satisfied and basically satisfied count for acceptance.
    public var counts: Bool { self != .dissatisfied }
}

extension Labels {
    public static func zh(_ status: ProjectStatus) -> String {
        switch status {
        case .planned: "计划"
        case .consulting: "征求意见"
        case .approved: "已立项"
        case .underWorks: "施工中"
        case .acceptance: "验收中"
        case .completed: "已竣工"
        case .cancelled: "已取消"
        }
    }

    public static func en(_ status: ProjectStatus) -> String {
        switch status {
        case .planned: "Planned"
        case .consulting: "Consulting"
        case .approved: "Approved"
        case .underWorks: "Under works"
        case .acceptance: "Acceptance"
        case .completed: "Completed"
        case .cancelled: "Cancelled"
        }
    }

    public static func zh(_ category: WorkItemCategory) -> String {
        switch category {
        case .basic: "基础类"
        case .improvement: "完善类"
        case .upgrade: "提升类"
        }
    }

    public static func en(_ category: WorkItemCategory) -> String {
        switch category {
        case .basic: "Basic"
        case .improvement: "Improvement"
        case .upgrade: "Upgrade"
        }
    }

    public static func zh(_ source: FundingSource) -> String {
        switch source {
        case .higherSubsidy: "向上争取资金"
        case .districtBudget: "区级财政配套"
        case .socialFinancing: "社会资本"
        case .residents: "居民出资"
        }
    }

    public static func en(_ source: FundingSource) -> String {
        switch source {
        case .higherSubsidy: "Central or provincial subsidy"
        case .districtBudget: "District budget"
        case .socialFinancing: "Social financing"
        case .residents: "Residents' contributions"
        }
    }

    public static func zh(_ role: ContractorRole) -> String {
        switch role {
        case .design: "设计单位"
        case .construction: "施工单位"
        case .supervision: "监理单位"
        }
    }

    public static func en(_ role: ContractorRole) -> String {
        switch role {
        case .design: "Designer"
        case .construction: "Contractor"
        case .supervision: "Supervisor"
        }
    }

    public static func zh(_ verdict: SurveyVerdict) -> String {
        switch verdict {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }

    public static func en(_ verdict: SurveyVerdict) -> String {
        switch verdict {
        case .satisfied: "Satisfied"
        case .basicallySatisfied: "Basically satisfied"
        case .dissatisfied: "Dissatisfied"
        }
    }
}

/// The five disclosures Shiquan requires of every project (五公开), each published as
/// documents on the project's public page.
public enum DisclosureKind: String, CaseIterable, Sendable, Codable {
    /// 入户资料: the household visits' records and the residents' requests.
    case visits
    /// 项目手续: approvals, permits and the plan's sign-offs.
    case approvals
    /// 招标资料: the tender for the works and its result.
    case tendering
    /// 工程材料: the materials used and their certificates.
    case materials
    /// 验收清单: the acceptance list and its result.
    case acceptance
}
