import Foundation

/// The numbers of renovation's rule set: data the bureau may change, Shiquan's by default.
public struct RenovationRules: Sendable, Codable, Equatable {
    /// Acceptance needs at least this share of the project's households to have answered…
    public var minimumResponseShare = 2.0 / 3.0
    /// …and at least this share of the answers satisfied or basically satisfied.
    public var minimumSatisfiedShare = 0.9
    /// How long the plan is published for objections before approval (一公示), in days.
    public var noticeDays = 7
    /// What the builder's site is held to (文明施工).
    public var site = SiteRules.default

    public init() {}

    public static let `default` = RenovationRules()

    private enum CodingKeys: String, CodingKey { case minimumResponseShare, minimumSatisfiedShare, noticeDays, site }

    /// Versions stored before the site rules existed read with the shipped site rules.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minimumResponseShare = try c.decode(Double.self, forKey: .minimumResponseShare)
        minimumSatisfiedShare = try c.decode(Double.self, forKey: .minimumSatisfiedShare)
        noticeDays = try c.decode(Int.self, forKey: .noticeDays)
        site = try c.decodeIfPresent(SiteRules.self, forKey: .site) ?? .default
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = site.problems().map { FieldError(field: "site." + $0.field, reason: $0.reason) }
        if !(0.5...1).contains(minimumResponseShare) { errors.append(FieldError(field: "minimumResponseShare", reason: "must be between 0.5 and 1")) }
        if !(0.5...1).contains(minimumSatisfiedShare) { errors.append(FieldError(field: "minimumSatisfiedShare", reason: "must be between 0.5 and 1")) }
        if !(1...90).contains(noticeDays) { errors.append(FieldError(field: "noticeDays", reason: "must be 1 to 90 days")) }
        return errors
    }
}

/// One source of a project's money, in fen.
public struct Funding: Sendable, Codable, Equatable {
    public var source: FundingSource
    public var fen: Int
    /// What it is, e.g. "加装电梯每部补贴 20 万元".
    public var note: String?

    public init(source: FundingSource, fen: Int, note: String? = nil) {
        self.source = source
        self.fen = fen
        self.note = note
    }
}

/// A project's scope item: a catalogue item, how much, where, at what cost.
public struct ScopeItem: Sendable, Codable, Equatable {
    public var item: String
    public var quantity: Double
    /// Fen.
    public var cost: Int
    public var note: String?

    public init(item: String, quantity: Double, cost: Int, note: String? = nil) {
        self.item = item
        self.quantity = quantity
        self.cost = cost
        self.note = note
    }
}

/// The checks on a project's plan as a whole: scope from the catalogue, money that adds up.
public enum ProjectPlanRules {
    /// Every problem with a budget, its funding and its scope, each naming its field.
    public static func problems(budget: Int, funding: [Funding], scope: [ScopeItem], catalogue: WorkItemCatalogue) -> [FieldError] {
        var errors: [FieldError] = []
        if budget <= 0 { errors.append(FieldError(field: "budgetFen", reason: "must be more than 0")) }
        for (i, f) in funding.enumerated() where f.fen <= 0 {
            errors.append(FieldError(field: "funding[\(i)].fen", reason: "must be more than 0"))
        }
        if Set(funding.map(\.source)).count != funding.count {
            errors.append(FieldError(field: "funding", reason: "name each source once"))
        }
        let funded = funding.reduce(0) { $0 + max($1.fen, 0) }
        if budget > 0, funded != budget {
            errors.append(FieldError(field: "funding", reason: "the sources add up to \(funded) fen, the budget is \(budget)"))
        }
        for (i, s) in scope.enumerated() {
            if catalogue.item(s.item) == nil { errors.append(FieldError(field: "scope[\(i)].item", reason: "\(s.item) is not in the catalogue")) }
            if !(s.quantity > 0) { errors.append(FieldError(field: "scope[\(i)].quantity", reason: "must be more than 0")) }
            if s.cost < 0 { errors.append(FieldError(field: "scope[\(i)].cost", reason: "must not be negative")) }
        }
        let costed = scope.reduce(0) { $0 + max($1.cost, 0) }
        if budget > 0, costed > budget {
            errors.append(FieldError(field: "scope", reason: "the items cost \(costed) fen, more than the budget of \(budget)"))
        }
        return errors
    }
}

/// What the rules need to know about a project to decide its next step.
public struct ProjectSnapshot: Sendable, Equatable {
    public var status: ProjectStatus
    /// The rounds whose opinions were collected (上) and whose answer was published (下).
    public var collected: Set<ConsultationRound> = []
    public var published: Set<ConsultationRound> = []
    /// Household visits recorded, deliberation meetings held, and whether the plan's notice (一公示) has ended.
    public var visits = 0
    public var meetings = 0
    public var noticeStarted = false
    public var noticeEnded = false
    /// Opinions of rounds 1 and 2 (objections to the notice included) still without an answer.
    public var unansweredOpinions = 0
    /// Works feedback (三上) items still waiting for a published answer.
    public var unansweredFeedback = 0
    /// Whether the last survey round passed.
    public var surveyPassed = false
    /// Whether the completion acceptance check (竣工验收) of the current round was signed.
    public var acceptanceSigned = false

    public init(status: ProjectStatus) { self.status = status }
}

/// A step an official takes on a project.
public enum ProjectAction: Sendable, Equatable {
    /// Opens the consultation: visits, meetings, the rounds.
    case startConsultation
    /// 一上 / 二上 / 三上: what the residents said in this round was collected.
    case collect(ConsultationRound)
    /// 一下 / 二下 / 三下: the round's answer was published.
    case publish(ConsultationRound)
    case approve
    case startWorks
    case requestAcceptance
    /// A failed survey sends the project back to rectification.
    case reopenWorks
    case complete
    case cancel(reason: String)

    public var name: String {
        switch self {
        case .startConsultation: "startConsultation"
        case .collect: "collect"
        case .publish: "publish"
        case .approve: "approve"
        case .startWorks: "startWorks"
        case .requestAcceptance: "requestAcceptance"
        case .reopenWorks: "reopenWorks"
        case .complete: "complete"
        case .cancel: "cancel"
        }
    }
}

/// A project's lifecycle (旧改): the residents decide before approval (一访一议一公示 and the
/// first two rounds of 三上三下), the third round runs through the works, and acceptance needs
/// every piece of works feedback answered and a passing survey. Pure: the same snapshot and
/// action always give the same answer.
public enum ProjectMachine {
    public static func apply(_ action: ProjectAction, to snapshot: ProjectSnapshot) throws(DomainError) -> ProjectSnapshot {
        var p = snapshot
        func require(_ states: Set<ProjectStatus>) throws(DomainError) {
            guard states.contains(p.status) else {
                let allowed = states.map(\.rawValue).sorted().joined(separator: " or ")
                throw DomainError(.conflict, code: "invalid_transition", message: "cannot \(action.name) a project that is \(p.status.rawValue); it must be \(allowed)")
            }
        }
        switch action {
        case .startConsultation:
            try require([.planned])
            p.status = .consulting

        case .collect(let round):
            // Rounds one and two run before approval, round three during the works.
            try require(round == .works ? [.underWorks, .acceptance] : [.consulting])
            if let earlier = ConsultationRound(rawValue: round.rawValue - 1), !p.published.contains(earlier) {
                throw DomainError(.conflict, code: "round_out_of_order", message: "round \(earlier.rawValue) must be published before round \(round.rawValue) collects")
            }
            p.collected.insert(round)

        case .publish(let round):
            try require(round == .works ? [.underWorks, .acceptance] : [.consulting])
            guard p.collected.contains(round) else {
                throw DomainError(.conflict, code: "round_out_of_order", message: "round \(round.rawValue) publishes after its opinions were collected")
            }
            p.published.insert(round)

        case .approve:
            try require([.consulting])
            var missing: [String] = []
            if p.visits == 0 { missing.append("household visits (一访)") }
            if p.meetings == 0 { missing.append("a deliberation meeting (一议)") }
            if !p.published.contains(.opinions) { missing.append("round 1 published") }
            if !p.published.contains(.comments) { missing.append("round 2 published") }
            if !p.noticeEnded { missing.append("the plan's public notice ended (一公示)") }
            if p.unansweredOpinions > 0 { missing.append("answers to \(p.unansweredOpinions) opinion(s)") }
            guard missing.isEmpty else {
                throw DomainError(.conflict, code: "consultation_incomplete", message: "not approved before the residents decided: " + missing.joined(separator: ", "))
            }
            p.status = .approved

        case .startWorks:
            try require([.approved])
            p.status = .underWorks

        case .requestAcceptance:
            try require([.underWorks])
            guard p.unansweredFeedback == 0 else {
                throw DomainError(.conflict, code: "feedback_unanswered",
                                  message: "\(p.unansweredFeedback) piece(s) of works feedback (三上) have no published answer (三下) yet")
            }
            p.status = .acceptance

        case .reopenWorks:
            try require([.acceptance])
            p.status = .underWorks
            p.surveyPassed = false
            p.acceptanceSigned = false

        case .complete:
            try require([.acceptance])
            guard p.surveyPassed else {
                throw DomainError(.conflict, code: "survey_not_passed", message: "a project is completed only after its satisfaction survey passes")
            }
            guard p.acceptanceSigned else {
                throw DomainError(.conflict, code: "acceptance_not_signed",
                                  message: "a project is completed only after the completion acceptance check (竣工验收) was signed")
            }
            p.status = .completed

        case .cancel(let reason):
            guard p.status.isOpen else {
                throw DomainError(.conflict, code: "invalid_transition", message: "a \(p.status.rawValue) project cannot be cancelled")
            }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw DomainError.validation([FieldError(field: "reason", reason: "say why the project is cancelled")])
            }
            p.status = .cancelled
        }
        return p
    }
}
