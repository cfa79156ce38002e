import Fluent
import Foundation
import Vapor
import YijuCore

/// Replays the demo's renovation history (YijuCore's DemoRenovationHistory) through the
/// renovation service, each step on the day it happened and by whom it would have been
/// taken — the street office's officer where the demo has one, the bureau elsewhere, the
/// builder's staff for the site diary, residents for the objections — so the projects carry
/// the same journal, audit and registry changes as live ones. Only the surveys' answers,
/// hundreds a project, are written as rows in one go (as the case history is), each a
/// household of the project's buildings, once; closing the survey then computes the result
/// by the rules like any other.
enum DemoRenovationLoader {
    struct Summary: Sendable {
        var projects = 0, surveyResponses = 0, worksCases = 0
    }

    static func load(into app: Application, district: DemoDistrict, seed: UInt64, now: Date) async throws -> Summary {
        let db = app.db
        let today = Calendar.shanghai.day(now)
        let history = DemoRenovationHistory.generate(district, today: today, seed: seed)
        guard let admin = try await DemoLoader.bureauAdmin(on: db) else { return Summary() }
        let offices = try await StreetOffice.query(on: db).all()
        let officers = try await User.query(on: db).filter(\.$role == .streetOfficer).all()
        let compounds = Dictionary(try await Compound.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let contractors = Dictionary(try await Company.query(on: db).all().map { ($0.registrationNumber, $0) }, uniquingKeysWith: { a, _ in a })
        var summary = Summary()
        for spec in history.projects {
            guard let office = offices.first(where: { $0.code == district.streetOffices[spec.streetOffice].code }) else { continue }
            let officer = officers.first { $0.$streetOffice.id == office.id }?.actor ?? admin.actor
            let replay = Replay(db: db, spec: spec, district: district, actor: officer, now: now,
                                compounds: try spec.compounds.map { i in
                                    guard let c = compounds[district.compounds[i].record.code] else { throw DomainError.notFound("demo compound") }
                                    return c
                                },
                                contractor: { i in contractors[district.contractors[i].company.registrationNumber] })
            let outcome = try await replay.run()
            summary.projects += 1
            summary.surveyResponses += outcome.responses
            summary.worksCases += outcome.cases
        }
        try await clearStatesWithoutProjects(on: db, now: now)
        try await drawGrid(on: db, history: history, district: district, compounds: compounds, now: now)
        return summary
    }

    /// 七政's renovation grid (改造网格) over the compounds of its live projects, with its
    /// officer, its grid worker, the builder's staff and two residents on the roster.
    static func drawGrid(on db: any Database, history: DemoRenovationHistory, district: DemoDistrict,
                         compounds: [String: Compound], now: Date) async throws {
        guard let officer = try await User.query(on: db).filter(\.$username == "qizheng").first(),
              let office = officer.$streetOffice.id else { return }
        let live = history.projects.filter { p in
            district.streetOffices[p.streetOffice].code == DemoRenovationHistory.streetOfficeOfToday && p.stage != .completed
        }
        let ids = live.flatMap(\.compounds).compactMap { compounds[district.compounds[$0].record.code]?.id }
        guard !ids.isEmpty else { return }
        let year = Calendar.shanghai.day(now).prefix(4)
        let draft = GridDraft(code: "WG-QZ-\(year)-01", name: "七政街道\(year)年改造第一网格", members: [
            GridMember(side: .streetOffice, name: "", phone: "045188880001", username: "qizheng"),
            GridMember(side: .community, name: "", phone: "13904510002", username: "wangge"),
            GridMember(side: .company, name: "", phone: "13904510003", username: "shigong"),
            GridMember(side: .ownersCommittee, name: "张建国", phone: "13804510004"),
            GridMember(side: .residents, name: "李桂芝", phone: "13904510005"),
        ], compoundIDs: ids, projectIDs: [])
        _ = try await RenovationService(db: db, actor: officer.actor, now: now).createGrid(draft, streetOfficeID: office)
    }

    /// The registry's generated compounds say some are planned or under works; after the
    /// history only its projects' compounds are. The others had no project: back to none.
    /// (Compounds generated as completed stay so: renovated before the records begin.)
    static func clearStatesWithoutProjects(on db: any Database, now: Date) async throws {
        let covered = try await RenovationProjectCompound.query(on: db).all().map(\.$compound.id)
        let stray = try await Compound.query(on: db).filter(\.$renovation ~~ [.planned, .underWorks]).filter(\.$id !~ covered).all()
        guard !stray.isEmpty else { return }
        try await db.transaction { tx in
            for compound in stray {
                compound.renovation = RenovationState.none
                try await compound.update(on: tx)
            }
            try await AuditLog.record(on: tx, actor: nil, action: .update, entityType: "demoRenovationHistory", entityID: nil,
                                      after: ["compoundsWithoutProject": String(stray.count), "renovation": "none"], at: now)
        }
    }
}

/// One project of the history, step by step.
private struct Replay {
    let db: any Database
    let spec: DemoRenovationHistory.Project
    let district: DemoDistrict
    let actor: Actor
    let now: Date
    let compounds: [Compound]
    let contractor: (Int) -> Company?

    /// The service as of `day` (mid-morning there, never past now).
    func service(_ day: String, as who: Actor? = nil) -> RenovationService {
        let morning = Calendar.shanghai.start(of: day).map { $0.addingTimeInterval(10 * 3_600) } ?? now
        return RenovationService(db: db, actor: who ?? actor, now: min(morning, now))
    }

    func run() async throws -> (responses: Int, cases: Int) {
        let id = try await create()
        guard let consultation = spec.consultation else { return (0, 0) }
        let s = service(consultation)
        _ = try await s.take(.startConsultation, on: id, reason: nil, day: consultation)
        try await fieldwork(id)
        for (n, round) in spec.rounds.enumerated() {
            try await self.round(ConsultationRound(rawValue: n + 1)!, collect: round.collect, publish: round.publish, on: id)
        }
        if let notice = spec.notice {
            try await record(.init(kind: .notice, day: notice, body: "最终改造方案公示 7 天：改造内容、预算与资金来源、工期，意见可至社区民生接待室或在网上提出。"), on: id)
        }
        for (k, text) in spec.objections.enumerated() {
            _ = try await PublicRenovation(db: db, now: now).object(id, name: ["王女士", "赵先生"][k % 2], phone: "1390451\(String(format: "%04d", 1_000 + k))",
                                                                     compoundCode: compounds.first?.code, body: text, source: "demo-\(spec.code)-\(k)")
        }
        guard let approved = spec.approved else { return (0, 0) }
        _ = try await service(approved).take(.approve, on: id, reason: nil, day: approved)
        guard let started = spec.worksStarted else { return (0, 0) }
        _ = try await service(started).take(.startWorks, on: id, reason: nil, day: started)
        if let feedback = spec.feedback {
            try await round(.works, collect: feedback.day, publish: feedback.publish, on: id)
        }
        try await diary(id)
        var cases = 0
        if spec.stage == .underWorks { cases = try await worksCases() }
        guard let requested = spec.acceptanceRequested else { return (0, cases) }
        _ = try await service(requested).take(.requestAcceptance, on: id, reason: nil, day: requested)
        let responses = try await survey(id, day: spec.surveyClosed ?? Calendar.shanghai.day(now))
        guard let closed = spec.surveyClosed, let completed = spec.completed else { return (responses, cases) }
        _ = try await service(closed).recordCheck(id, day: closed, participants: ["社区居委会", "业主委员会", "楼院长", "施工单位", "监理单位"], punchList: [])
        _ = try await service(closed).closeSurvey(id, day: closed)
        _ = try await service(completed).take(.complete, on: id, reason: nil, day: completed)
        return (responses, cases)
    }

    private func create() async throws -> UUID {
        let s = service(spec.created)
        let plan = RenovationService.Plan(
            name: spec.name, budget: spec.budget, funding: spec.funding,
            scope: try spec.scope.map { line in
                .init(compoundID: try line.compound.map { try compounds[$0].requireID() }, item: ScopeItem(item: line.item, quantity: line.quantity, cost: line.cost))
            },
            households: nil, plannedStart: spec.worksStarted ?? Calendar.shanghai.day(spec.created, plus: 120),
            plannedFinish: spec.completed ?? Calendar.shanghai.day(spec.created, plus: 300))
        let file = try await s.create(.init(code: spec.code, year: spec.year, coverage: try compounds.map { .init(compoundID: try $0.requireID()) }, plan: plan))
        let id = try file.project.requireID()
        var engagements: [Engagement] = []
        for (role, index, lead) in [(ContractorRole.construction, spec.builder, "项目经理 刘建军"), (.supervision, spec.supervisor, "总监 孙立"),
                                    (.design, spec.designer, "设计负责人 周婷")] {
            if let company = contractor(index) {
                engagements.append(Engagement(role: role, companyID: try company.requireID(), leadName: lead, leadPhone: company.phone ?? "13904510000"))
            }
        }
        _ = try await s.saveEngagements(id, engagements)
        return id
    }

    /// Appends an entry to the journal, whose rules check it; the demo's drafts are well formed,
    /// so the field checks and the project file an officer's form is read against are skipped.
    @discardableResult
    private func record(_ draft: RenovationService.Draft, on id: UUID) async throws -> ConsultationRecord {
        try await service(draft.day).append(draft, to: id)
    }

    /// 一访一议: a visit a day to a household of each compound, then the deliberation meeting.
    private func fieldwork(_ id: UUID) async throws {
        for (k, day) in spec.visits.enumerated() {
            let compound = compounds[k % compounds.count]
            try await record(.init(kind: .visit, day: day, body: ["希望加装电梯，老人上下楼难", "楼道灯常坏，屋顶漏水", "缺停车位，车停到消防通道上"][k % 3],
                                   household: .init(compoundID: try compound.requireID(), building: 1 + k % max(1, compound.buildings), unit: "1",
                                                    room: "\(3 + k)01"),
                                   person: "社区网格员", items: [["elevator"], ["stairwellLighting", "roofWaterproofing"], ["parkingSpaces"]][k % 3]), on: id)
        }
        if let meeting = spec.meeting {
            try await record(.init(kind: .meeting, day: meeting, body: "居民议事会讨论改造内容和资金分摊", meetingKind: .deliberation,
                                   attendees: 20 + compounds.count * 6, decisions: "同意改造清单；加装电梯按楼层分摊"), on: id)
        }
    }

    /// A round of 三上三下: its opinions, collected, each answered, then published.
    /// `collect` is round 3's day of feedback.
    private func round(_ round: ConsultationRound, collect: String, publish: String, on id: UUID) async throws {
        let opinions = spec.opinions.filter { $0.round == round.rawValue }
        var recorded: [(UUID, DemoRenovationHistory.Opinion)] = []
        for o in opinions {
            let day = round == .works ? collect : Calendar.shanghai.day(collect, plus: -1)
            let entry = try await record(.init(kind: .opinion, day: day, body: o.text, round: round, channel: o.channel,
                                               person: o.person, items: o.items), on: id)
            recorded.append((try entry.requireID(), o))
        }
        // Round 3 collects as feedback arrives: only its rectifications are published.
        if round != .works {
            try await record(.init(kind: .collection, day: collect, body: "第\(round.rawValue)轮意见汇总：\(opinions.count) 条", round: round), on: id)
        }
        for (opinion, o) in recorded {
            try await record(.init(kind: .answer, day: collect, body: o.answer, opinionID: opinion, outcome: o.adopted ? .adopted : .declined,
                                   item: o.adopted ? o.items.first : nil), on: id)
        }
        let what = [ConsultationRound.opinions: "改造方案初稿", .comments: "最终改造方案", .works: "整改情况"][round]!
        try await record(.init(kind: .publication, day: publish, body: "公布\(what)及意见采纳情况", round: round), on: id)
    }

    /// The builder's diary for the recent working days, by a member of its staff.
    private func diary(_ id: UUID) async throws {
        guard !spec.diaryDays.isEmpty, let builder = contractor(spec.builder) else { return }
        let staff = Actor(userID: UUID(), username: "施工员", role: .contractorStaff, companyID: try builder.requireID())
        for (k, day) in spec.diaryDays.enumerated() {
            let entry = DiaryEntry(day: day, weather: ["晴", "多云", "阴"][k % 3], workDone: ["屋面防水层铺设", "雨污管线开挖更换", "外墙保温板安装", "停车位铺装"][k % 4],
                                   workers: 18 + k % 7, machines: k % 2 == 0 ? ["挖掘机"] : ["高空作业车"],
                                   noise: [NoiseReading(time: "10:00", decibels: 62 + Double(k % 5), place: "1号楼东侧")],
                                   dustSuppressed: true, wasteCleared: k % 5 != 3)
            _ = try await service(day, as: staff).saveDiaryDay(id, entry)
        }
    }

    /// Cases residents brought to the reception room about the works, routed to the builder by the table.
    private func worksCases() async throws -> Int {
        let cases = CaseService(db: db, actor: actor, now: now)
        var count = 0
        for (k, (domain, text)) in [(CaseDomain.constructionQuality, "新做的屋面防水起鼓，下雨后顶楼渗水"), (.water, "管线改造后单元里水压低")].enumerated() {
            let compound = compounds[k % compounds.count]
            _ = try await cases.intake(CaseIntake(channel: .reception, receivedAt: now.addingTimeInterval(-Double(3 + k) * 3_600),
                                                  reporterName: ["刘阿姨", "陈师傅"][k], reporterPhone: "1360451\(String(format: "%04d", 2_000 + k))",
                                                  compoundID: try compound.requireID(), building: "1", domain: domain, description: text))
            count += 1
        }
        return count
    }

    /// The survey's answers in the open round: the first `surveyShare` of the project's
    /// households, mostly satisfied.
    private func survey(_ id: UUID, day: String) async throws -> Int {
        guard let round = try await AcceptanceRound.query(on: db).filter(\.$project.$id == id).sort(\.$number, .descending).first(),
              let project = try await RenovationProject.find(id, on: db) else { return 0 }
        let households = round.households ?? project.households
        let wanted = Int((Double(households) * spec.surveyShare).rounded(.up))
        let roundID = try round.requireID(), answeredAt = Calendar.shanghai.start(of: day).map { $0.addingTimeInterval(10 * 3_600) } ?? now
        var rows: [HistoricSurveyAnswer] = []
        var perCompound = compounds.map { c in Self.households(c) }
        var k = 0
        while rows.count < wanted, perCompound.contains(where: { !$0.isEmpty }) {
            let c = k % compounds.count
            k += 1
            guard !perCompound[c].isEmpty else { continue }
            let h = perCompound[c].removeFirst()
            let dissatisfied = Double(rows.count % 100) < spec.dissatisfiedShare * 100
            rows.append(HistoricSurveyAnswer(roundID: roundID, compoundID: try compounds[c].requireID(), building: h.building, unit: h.unit, room: h.room,
                                             verdict: dissatisfied ? .dissatisfied : rows.count % 5 == 0 ? .basicallySatisfied : .satisfied,
                                             recordedBy: "测评员", createdAt: min(answeredAt, now)))
        }
        let answered = rows
        try await db.transaction { tx in
            try await RowInserts.insert(into: SurveyResponse.schema, HistoricSurveyAnswer.columns, answered, on: tx)
        }
        return rows.count
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
}
