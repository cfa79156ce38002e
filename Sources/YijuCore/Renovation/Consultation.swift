import Foundation

/// The residents' say in a project (一访一议一公示, 三上三下) as an append-only journal: visits,
/// meetings, opinions and their answers, each round's collection and publication, and the
/// plan's public notice. Nothing is edited or deleted; a correction is a new entry that
/// supersedes an earlier one. The journal tells the lifecycle what the residents have done.

/// 议事会 or 恳谈会: both count as the deliberation (一议).
public enum MeetingKind: String, CaseIterable, Sendable, Codable {
    case deliberation, consultation
}

/// How an opinion reached the project.
public enum OpinionChannel: String, CaseIterable, Sendable, Codable {
    /// Said during a household visit.
    case visit
    /// Said at a meeting.
    case meeting
    /// Brought to the reception room (民生接待室).
    case receptionRoom
    case hotline
    /// An objection during the plan's public notice (一公示).
    case notice
    case other
}

/// What was done with an opinion: it changed a scope item, or the answer says why not.
public enum AnswerOutcome: String, CaseIterable, Sendable, Codable {
    case adopted, declined
}

public enum ConsultationEntryKind: String, CaseIterable, Sendable, Codable {
    case visit, meeting, opinion, answer, collection, publication, notice
}

/// What the journal's rules need of one entry, in the order it was recorded.
public struct ConsultationEntry: Sendable, Equatable {
    public var id: UUID
    public var kind: ConsultationEntryKind
    public var round: ConsultationRound?
    public var day: String
    public var channel: OpinionChannel?
    /// An answer's opinion.
    public var answers: UUID?
    /// The earlier entry this one corrects.
    public var supersedes: UUID?

    public init(id: UUID = UUID(), kind: ConsultationEntryKind, round: ConsultationRound? = nil, day: String,
                channel: OpinionChannel? = nil, answers: UUID? = nil, supersedes: UUID? = nil) {
        self.id = id
        self.kind = kind
        self.round = round
        self.day = day
        self.channel = channel
        self.answers = answers
        self.supersedes = supersedes
    }
}

/// An opinion's standing: unanswered, answered (not yet published), or answered and published.
public enum OpinionStanding: String, Sendable, Equatable {
    case unanswered, answered, published
}

/// The journal read as a whole: what counts (entries not superseded), each opinion's answer
/// and standing, the notice's window, and the checks on a new entry.
public struct ConsultationJournal: Sendable {
    public let entries: [ConsultationEntry]
    public let noticeDays: Int

    public init(entries: [ConsultationEntry], noticeDays: Int) {
        self.entries = entries
        self.noticeDays = noticeDays
    }

    /// Entries no later entry supersedes.
    public var live: [ConsultationEntry] {
        let superseded = Set(entries.compactMap(\.supersedes))
        return entries.filter { !superseded.contains($0.id) }
    }

    public func live(_ kind: ConsultationEntryKind, round: ConsultationRound? = nil) -> [ConsultationEntry] {
        live.filter { $0.kind == kind && (round == nil || $0.round == round) }
    }

    /// The latest answer to an opinion.
    public func answer(to opinion: UUID) -> ConsultationEntry? {
        entries.last { $0.kind == .answer && $0.answers == opinion }
    }

    /// Published once a publication of the opinion's round was recorded after its answer;
    /// an objection to the notice is settled by its answer alone (the objector is answered).
    public func standing(of opinion: ConsultationEntry) -> OpinionStanding {
        guard let answer = answer(to: opinion.id), let answerAt = position(answer.id) else { return .unanswered }
        if opinion.channel == .notice { return .published }
        let published = entries.enumerated().contains { $0.offset > answerAt && $0.element.kind == .publication && $0.element.round == opinion.round }
        return published ? .published : .answered
    }

    private func position(_ id: UUID) -> Int? { entries.firstIndex { $0.id == id } }

    public var notice: ConsultationEntry? { live(.notice).first }

    /// The last day of the notice: it runs `noticeDays` calendar days from its first.
    public var noticeLastDay: String? {
        notice.map { Calendar.shanghai.day($0.day, plus: noticeDays - 1) }
    }

    public func noticeRunning(on today: String) -> Bool {
        guard let notice, let last = noticeLastDay else { return false }
        return notice.day <= today && today <= last
    }

    /// The rounds whose opinions went up (上): rounds 1 and 2 by their collection, round 3
    /// (feedback during works) as soon as any feedback came.
    public var collectedRounds: Set<ConsultationRound> {
        var rounds = Set(live(.collection).compactMap(\.round))
        if !live(.opinion, round: .works).isEmpty { rounds.insert(.works) }
        return rounds
    }

    /// The rounds whose answer came down (下): a publication was recorded.
    public var publishedRounds: Set<ConsultationRound> { Set(live(.publication).compactMap(\.round)) }

    /// What the lifecycle needs: counts, rounds collected and published, answers outstanding.
    public func apply(to snapshot: inout ProjectSnapshot, today: String) {
        snapshot.visits = live(.visit).count
        snapshot.meetings = live(.meeting).count
        snapshot.collected = collectedRounds
        snapshot.published = publishedRounds
        snapshot.noticeStarted = notice != nil
        snapshot.noticeEnded = noticeLastDay.map { today > $0 } ?? false
        let opinions = live(.opinion)
        snapshot.unansweredOpinions = opinions.filter { $0.round != .works && answer(to: $0.id) == nil }.count
        snapshot.unansweredFeedback = opinions.filter { $0.round == .works && standing(of: $0) != .published }.count
    }

    // MARK: Checks on a new entry

    /// Refuses an entry the project's status or the journal does not allow, naming the rule.
    /// `status` is the project's; `today` dates the notice's window.
    public func check(_ new: ConsultationEntry, status: ProjectStatus, today: String) throws(DomainError) {
        if let target = new.supersedes {
            guard let earlier = live.first(where: { $0.id == target }), earlier.kind == new.kind,
                  [.visit, .meeting, .opinion].contains(earlier.kind) else {
                throw DomainError.validation([FieldError(field: "supersedes", reason: "names no visit, meeting or opinion of this kind that still stands")])
            }
            if earlier.kind == .opinion {
                guard answer(to: target) == nil else {
                    throw DomainError(.conflict, code: "opinion_answered", message: "an answered opinion stands; record a new opinion instead")
                }
                guard new.round == earlier.round, (new.channel == .notice) == (earlier.channel == .notice) else {
                    throw DomainError.validation([FieldError(field: "round", reason: "a correction keeps the round of the opinion it corrects")])
                }
            }
        }
        switch new.kind {
        case .visit, .meeting:
            try Self.requireStatus(status, [.consulting], "\(new.kind.rawValue)s are recorded while the project is consulting")
        case .opinion:
            try checkOpinion(new, status: status, today: today)
        case .answer:
            guard let target = new.answers, let opinion = live(.opinion).first(where: { $0.id == target }) else {
                throw DomainError.validation([FieldError(field: "opinion", reason: "names no opinion of this project that still stands")])
            }
            if new.day < opinion.day {
                throw DomainError.validation([FieldError(field: "day", reason: "is before the opinion it answers (\(opinion.day))")])
            }
            if standing(of: opinion) == .published {
                throw DomainError(.conflict, code: "answer_published", message: "the answer to this opinion has been published; a later opinion can reopen it")
            }
            try Self.requireStatus(status, opinion.round == .works ? [.underWorks, .acceptance] : [.consulting],
                                   "round \(opinion.round?.rawValue ?? 0)'s opinions are answered while the round runs")
        case .collection, .publication:
            guard let round = new.round else { throw DomainError.validation([FieldError(field: "round", reason: "must be 1, 2 or 3")]) }
            try checkRoundStep(new.kind, round, day: new.day, status: status)
        case .notice:
            try Self.requireStatus(status, [.consulting], "the plan is published for notice while the project is consulting")
            guard let final = live(.publication, round: .comments).first else {
                throw DomainError(.conflict, code: "round_out_of_order", message: "the notice publishes the final plan: round 2 must be published first")
            }
            if new.day < final.day {
                throw DomainError.validation([FieldError(field: "day", reason: "the notice starts on or after the final plan's publication (\(final.day))")])
            }
            guard notice == nil else { throw DomainError(.conflict, code: "notice_published", message: "the plan's notice has been published") }
        }
    }

    private func checkOpinion(_ new: ConsultationEntry, status: ProjectStatus, today: String) throws(DomainError) {
        guard let round = new.round else { throw DomainError.validation([FieldError(field: "round", reason: "must be 1, 2 or 3")]) }
        if new.channel == .notice {
            guard round == .comments, status == .consulting, noticeRunning(on: today) else {
                throw DomainError(.conflict, code: "notice_not_running", message: "objections are taken in round 2 while the plan's notice runs"
                                  + (noticeLastDay.map { " (it ran to \($0))" } ?? ""))
            }
            return
        }
        switch round {
        case .opinions, .comments:
            try Self.requireStatus(status, [.consulting], "round \(round.rawValue)'s opinions are taken while the project is consulting")
            if let earlier = ConsultationRound(rawValue: round.rawValue - 1), live(.publication, round: earlier).isEmpty {
                throw DomainError(.conflict, code: "round_out_of_order", message: "round \(earlier.rawValue) must be published before round \(round.rawValue) takes opinions")
            }
            if !live(.collection, round: round).isEmpty {
                throw DomainError(.conflict, code: "round_closed", message: "round \(round.rawValue)'s opinions were collected; later ones go to the next round or the notice")
            }
        case .works:
            try Self.requireStatus(status, [.underWorks], "works feedback (round 3) is taken while the works are under way")
        }
    }

    private func checkRoundStep(_ kind: ConsultationEntryKind, _ round: ConsultationRound, day: String, status: ProjectStatus) throws(DomainError) {
        var snapshot = ProjectSnapshot(status: status)
        apply(to: &snapshot, today: "")
        if round == .works {
            guard kind == .publication else {
                throw DomainError(.conflict, code: "round_out_of_order", message: "round 3 collects as feedback arrives; only its rectifications are published")
            }
            _ = try ProjectMachine.apply(.publish(.works), to: snapshot)
            let unanswered = live(.opinion, round: .works).filter { answer(to: $0.id) == nil }.count
            let waiting = live(.opinion, round: .works).filter { standing(of: $0) == .answered }.count
            guard unanswered == 0, waiting > 0 else {
                throw DomainError(.conflict, code: unanswered > 0 ? "opinions_unanswered" : "nothing_to_publish",
                                  message: unanswered > 0 ? "\(unanswered) piece(s) of works feedback have no answer yet"
                                                          : "every answer to the works feedback has been published")
            }
            return
        }
        if kind == .collection {
            _ = try ProjectMachine.apply(.collect(round), to: snapshot)
            guard live(.collection, round: round).isEmpty else {
                throw DomainError(.conflict, code: "round_closed", message: "round \(round.rawValue)'s opinions were collected")
            }
            guard !live(.opinion, round: round).isEmpty else {
                throw DomainError(.conflict, code: "no_opinions", message: "round \(round.rawValue) has no opinions recorded: record what the residents said first")
            }
        } else {
            _ = try ProjectMachine.apply(.publish(round), to: snapshot)
            guard live(.publication, round: round).isEmpty else {
                throw DomainError(.conflict, code: "round_published", message: "round \(round.rawValue) has been published")
            }
            let unanswered = live(.opinion, round: round).filter { answer(to: $0.id) == nil }.count
            guard unanswered == 0 else {
                throw DomainError(.conflict, code: "opinions_unanswered",
                                  message: "\(unanswered) opinion(s) of round \(round.rawValue) have no answer yet: each is adopted into the scope or answered why not")
            }
            if let collected = live(.collection, round: round).first, day < collected.day {
                throw DomainError.validation([FieldError(field: "day", reason: "is before round \(round.rawValue)'s collection (\(collected.day))")])
            }
        }
    }

    private static func requireStatus(_ status: ProjectStatus, _ allowed: Set<ProjectStatus>, _ rule: String) throws(DomainError) {
        guard allowed.contains(status) else {
            throw DomainError(.conflict, code: "invalid_transition", message: "\(rule); this project is \(status.rawValue)")
        }
    }
}
