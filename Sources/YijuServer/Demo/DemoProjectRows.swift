import Fluent
import Foundation
import YijuCore

/// One project of the demo's renovation history (YijuCore's DemoRenovationHistory) as the
/// renovation service would have left it, built in memory and written as rows: every step is
/// checked by the same rules the service applies — the journal's (`ConsultationJournal.check`),
/// the lifecycle's (`ProjectMachine.apply` on the journal's snapshot of that day), an adopted
/// answer's scope line, the survey's result (`SurveyResult`) and the diary's findings — and the
/// rows are the service's own (`RenovationService.row`, `.entry`, `.benefit`), so a project
/// reads exactly as one an officer recorded. Replaying the history call by call through the
/// service took 27 s of a 45 s first start (debug), each call reading the project file again.
struct DemoProjectRows {
    let spec: DemoRenovationHistory.Project
    /// Who took the steps: the street office's officer where the demo has one, the bureau elsewhere.
    let officer: Actor
    let settings: RenovationSettingsStore.Current
    /// Now, and its day: the last any step may have.
    let now: Date
    var today: String { Calendar.shanghai.day(now) }

    let project = RenovationProject()
    private(set) var links: [RenovationProjectCompound] = []
    private(set) var scope: [RenovationScopeItem] = []
    private(set) var engagements: [RenovationEngagement] = []
    private(set) var records: [ConsultationRecord] = []
    private(set) var rounds: [AcceptanceRound] = []
    private(set) var diary: [SiteDiaryRecord] = []
    private(set) var answers: [HistoricSurveyAnswer] = []
    /// Each compound's renovation state once the history has run.
    private(set) var states: [UUID: RenovationState] = [:]
    /// The steps taken, `step day`, for the project's audit row.
    private(set) var steps: [String] = []
    private var entries: [ConsultationEntry] = []
    private let compounds: [Compound]
    private let projectID = UUID()

    var id: UUID { projectID }
    /// The builder's company (施工单位), whom the diary and the works' cases belong to.
    private(set) var builder: Company?

    /// Builds the project up to its stage; throws the rule's error if the history broke one.
    init(_ spec: DemoRenovationHistory.Project, compounds: [Compound], officer: Actor, settings: RenovationSettingsStore.Current,
         now: Date, contractor: (Int) -> Company?) throws {
        (self.spec, self.compounds, self.officer, self.settings, self.now) = (spec, compounds, officer, settings, now)
        try create(contractor: contractor)
        try run()
    }

    private var noticeDays: Int { settings.settings.rules.noticeDays }

    // MARK: The history, step by step (as the replay through the service took them)

    private mutating func run() throws {
        guard let consultation = spec.consultation else { return }
        try take(.startConsultation, on: consultation)
        try fieldwork()
        for (n, round) in spec.rounds.enumerated() {
            try self.round(ConsultationRound(rawValue: n + 1)!, collect: round.collect, publish: round.publish)
        }
        if let notice = spec.notice {
            try record(.init(kind: .notice, day: notice, body: "最终改造方案公示 7 天：改造内容、预算与资金来源、工期，意见可至社区民生接待室或在网上提出。"))
        }
        guard let approved = spec.approved else { return }
        try take(.approve, on: approved)
        guard let started = spec.worksStarted else { return }
        try take(.startWorks, on: started)
        if let feedback = spec.feedback {
            try round(.works, collect: feedback.day, publish: feedback.publish)
        }
        try keepDiary()
        guard let requested = spec.acceptanceRequested else { return }
        try take(.requestAcceptance, on: requested)
        survey(on: spec.surveyClosed ?? today)
        guard let closed = spec.surveyClosed, let completed = spec.completed else { return }
        check(on: closed, participants: ["社区居委会", "业主委员会", "楼院长", "施工单位", "监理单位"])
        try closeSurvey(on: closed)
        try take(.complete, on: completed)
    }

    private mutating func create(contractor: (Int) -> Company?) throws {
        let coverage = try compounds.map { RenovationService.Coverage(compoundID: try $0.requireID()) }
        let benefit = RenovationService.benefit(coverage, compounds)
        project.id = projectID
        project.code = spec.code
        project.name = spec.name
        project.year = spec.year
        guard let office = compounds.first?.$streetOffice.id else { throw DomainError.notFound("demo compound") }
        project.$streetOffice.id = office
        project.status = .planned
        project.settingsVersion = settings.version
        project.buildings = benefit.buildings
        project.households = benefit.households
        project.budgetFen = spec.budget
        project.funding = spec.funding
        project.plannedStart = spec.worksStarted ?? Calendar.shanghai.day(spec.created, plus: 120)
        project.plannedFinish = spec.completed ?? Calendar.shanghai.day(spec.created, plus: 300)
        project.createdBy = officer.username
        let problems = ProjectPlanRules.problems(budget: spec.budget, funding: spec.funding,
                                                 scope: spec.scope.map { ScopeItem(item: $0.item, quantity: $0.quantity, cost: $0.cost) },
                                                 catalogue: settings.settings.catalogue)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        for compound in compounds {
            let link = RenovationProjectCompound()
            link.$project.id = projectID
            link.$compound.id = try compound.requireID()
            link.priorRenovation = compound.renovation
            links.append(link)
        }
        for (position, line) in spec.scope.enumerated() {
            let row = RenovationScopeItem()
            row.$project.id = projectID
            row.position = position
            row.$compound.id = try line.compound.map { try compounds[$0].requireID() }
            row.item = line.item
            row.quantity = line.quantity
            row.costFen = line.cost
            row.built = false
            scope.append(row)
        }
        for (role, index, lead) in [(ContractorRole.construction, spec.builder, "项目经理 刘建军"), (.supervision, spec.supervisor, "总监 孙立"),
                                    (.design, spec.designer, "设计负责人 周婷")] {
            guard let company = contractor(index) else { continue }
            let row = RenovationEngagement()
            row.$project.id = projectID
            row.$company.id = try company.requireID()
            row.role = role
            row.leadName = lead
            let phone = company.phone ?? "13904510000"
            row.leadPhone = IntakeRules.normalisedPhone(phone) ?? phone
            engagements.append(row)
            if role == .construction { builder = company }
        }
        try setState(.planned)
        steps.append("create \(spec.created)")
    }

    /// 一访一议: a visit a day to a household of each compound, then the deliberation meeting.
    private mutating func fieldwork() throws {
        for (k, day) in spec.visits.enumerated() {
            let compound = compounds[k % compounds.count]
            try record(.init(kind: .visit, day: day, body: ["希望加装电梯，老人上下楼难", "楼道灯常坏，屋顶漏水", "缺停车位，车停到消防通道上"][k % 3],
                             household: .init(compoundID: try compound.requireID(), building: 1 + k % max(1, compound.buildings), unit: "1",
                                              room: "\(3 + k)01"),
                             person: "社区网格员", items: [["elevator"], ["stairwellLighting", "roofWaterproofing"], ["parkingSpaces"]][k % 3]))
        }
        if let meeting = spec.meeting {
            try record(.init(kind: .meeting, day: meeting, body: "居民议事会讨论改造内容和资金分摊", meetingKind: .deliberation,
                             attendees: 20 + compounds.count * 6, decisions: "同意改造清单；加装电梯按楼层分摊"))
        }
    }

    /// A round of 三上三下: its opinions, collected, each answered, then published.
    /// `collect` is round 3's day of feedback.
    private mutating func round(_ round: ConsultationRound, collect: String, publish: String) throws {
        let opinions = spec.opinions.filter { $0.round == round.rawValue }
        var recorded: [(UUID, DemoRenovationHistory.Opinion)] = []
        for o in opinions {
            let day = round == .works ? collect : Calendar.shanghai.day(collect, plus: -1)
            let id = try record(.init(kind: .opinion, day: day, body: o.text, round: round, channel: o.channel, person: o.person, items: o.items))
            recorded.append((id, o))
        }
        // Round 3 collects as feedback arrives: only its rectifications are published.
        if round != .works {
            try record(.init(kind: .collection, day: collect, body: "第\(round.rawValue)轮意见汇总：\(opinions.count) 条", round: round))
        }
        for (opinion, o) in recorded {
            try record(.init(kind: .answer, day: collect, body: o.answer, opinionID: opinion, outcome: o.adopted ? .adopted : .declined,
                             item: o.adopted ? o.items.first : nil))
        }
        let what = [ConsultationRound.opinions: "改造方案初稿", .comments: "最终改造方案", .works: "整改情况"][round]!
        try record(.init(kind: .publication, day: publish, body: "公布\(what)及意见采纳情况", round: round))
    }

    /// The builder's diary for the recent working days, by a member of its staff.
    private mutating func keepDiary() throws {
        guard !spec.diaryDays.isEmpty, let builder else { return }
        for (k, day) in spec.diaryDays.enumerated() {
            let entry = RenovationService.tidied(DiaryEntry(
                day: day, weather: ["晴", "多云", "阴"][k % 3], workDone: ["屋面防水层铺设", "雨污管线开挖更换", "外墙保温板安装", "停车位铺装"][k % 4],
                workers: 18 + k % 7, machines: k % 2 == 0 ? ["挖掘机"] : ["高空作业车"],
                noise: [NoiseReading(time: "10:00", decibels: 62 + Double(k % 5), place: "1号楼东侧")],
                dustSuppressed: true, wasteCleared: k % 5 != 3))
            let problems = DiaryRules.problems(entry, worksStarted: project.actualStart, today: day)
            guard problems.isEmpty, DiaryRules.open.contains(project.status) else { throw DomainError.validation(problems) }
            let record = SiteDiaryRecord()
            record.$project.id = projectID
            record.$company.id = try builder.requireID()
            record.day = day
            try record.set(entry)
            record.findings = try RenovationService.json(DiaryRules.findings(entry, rules: settings.settings.rules.site))
            record.recordedBy = "施工员"
            diary.append(record)
        }
    }

    /// The survey's answers in the open round: the first `surveyShare` of the project's
    /// households, mostly satisfied, each a household of the project's buildings, once.
    private mutating func survey(on day: String) {
        guard let round = rounds.last, let roundID = round.id else { return }
        let wanted = Int((Double(round.households ?? project.households) * spec.surveyShare).rounded(.up))
        // Mid-morning of the day, and never after now (today's answers came in before the demo's start).
        let answeredAt = min(Calendar.shanghai.start(of: day).map { $0.addingTimeInterval(10 * 3_600) } ?? now, now)
        var perCompound = compounds.map(Self.households)
        var k = 0
        while answers.count < wanted, perCompound.contains(where: { !$0.isEmpty }) {
            let c = k % compounds.count
            k += 1
            guard !perCompound[c].isEmpty, let compoundID = compounds[c].id else { continue }
            let h = perCompound[c].removeFirst()
            let dissatisfied = Double(answers.count % 100) < spec.dissatisfiedShare * 100
            answers.append(HistoricSurveyAnswer(roundID: roundID, compoundID: compoundID, building: h.building, unit: h.unit, room: h.room,
                                                verdict: dissatisfied ? .dissatisfied : answers.count % 5 == 0 ? .basicallySatisfied : .satisfied,
                                                recordedBy: "测评员", createdAt: answeredAt))
        }
    }

    /// A compound's households as the survey addresses them: spread over its buildings, three
    /// units a building, two doors a floor.
    static func households(_ c: Compound) -> [(building: Int, unit: String, room: String)] {
        let buildings = max(1, c.buildings)
        var out: [(Int, String, String)] = []
        for b in 1...buildings {
            let here = c.households / buildings + (b <= c.households % buildings ? 1 : 0)
            for j in 0..<here {
                out.append((b, String(j % 3 + 1), "\((j / 3) / 2 + 1)0\((j / 3) % 2 + 1)"))
            }
        }
        return out
    }

    /// The completion check (竣工验收) of the open round.
    private mutating func check(on day: String, participants: [String]) {
        guard let round = rounds.last else { return }
        round.checkDay = day
        round.participants = participants.joined(separator: "\n")
        round.checkedBy = officer.username
    }

    /// Closes the open round's survey with its result; a failure sends the works back to rectification.
    private mutating func closeSurvey(on day: String) throws {
        guard let round = rounds.last else { return }
        let result = SurveyResult(households: round.households ?? project.households, verdicts: answers.map(\.verdict), rules: settings.settings.rules)
        round.closedOn = day
        round.passed = result.passes
        round.explanation = result.explanation
        round.closedBy = officer.username
        steps.append("closeSurvey \(day)")
        if !result.passes {
            project.status = try ProjectMachine.apply(.reopenWorks, to: snapshot(on: day)).status
        }
    }

    // MARK: The service's rules, in memory

    /// What the rules know of the project on `day`: its status, its journal, its last round.
    private func snapshot(on day: String) -> ProjectSnapshot {
        var snapshot = ProjectSnapshot(status: project.status)
        ConsultationJournal(entries: entries, noticeDays: noticeDays).apply(to: &snapshot, today: day)
        snapshot.surveyPassed = rounds.last?.passed == true
        snapshot.acceptanceSigned = rounds.last?.checkDay != nil
        return snapshot
    }

    /// A step of the lifecycle (`RenovationService.take`): allowed by the machine on that day,
    /// with what it does to the registry and the acceptance rounds.
    private mutating func take(_ transition: ProjectTransition, on day: String) throws {
        guard day <= today else { throw DomainError.validation([FieldError(field: "day", reason: "cannot be in the future")]) }
        project.status = try ProjectMachine.apply(transition.action(reason: nil), to: snapshot(on: day)).status
        switch transition {
        case .startWorks:
            project.actualStart = day
            try setState(.underWorks)
        case .complete:
            project.actualFinish = day
            try setState(.completed)
            for line in scope { line.built = true }
        case .requestAcceptance:
            let round = AcceptanceRound()
            round.id = UUID()
            round.$project.id = projectID
            round.number = rounds.count + 1
            round.openedOn = day
            round.households = project.households
            rounds.append(round)
        case .startConsultation, .approve, .reopenWorks, .cancel:
            break
        }
        steps.append("\(transition.rawValue) \(day)")
    }

    /// An entry of the journal (`RenovationService.append`), checked by the journal's rules
    /// on its day; an adopted answer names a line of the scope.
    @discardableResult
    private mutating func record(_ draft: RenovationService.Draft) throws -> UUID {
        let id = UUID()
        let entry = RenovationService.entry(draft, id: id)
        try ConsultationJournal(entries: entries, noticeDays: noticeDays).check(entry, status: project.status, today: draft.day)
        if draft.kind == .answer, draft.outcome == .adopted, !scope.contains(where: { $0.item == draft.item }) {
            throw DomainError.validation([FieldError(field: "item", reason: "\(draft.item ?? "") is not in the project's scope")])
        }
        entries.append(entry)
        records.append(RenovationService.row(draft, id: id, project: projectID, sequence: records.count + 1, by: officer.username))
        return id
    }

    private mutating func setState(_ state: RenovationState) throws {
        for compound in compounds { states[try compound.requireID()] = state }
    }
}
