import Foundation
import Testing
@testable import YijuCore

@Suite("Renovation: the catalogue and the complete-community standard")
struct RenovationStandardTests {
    @Test("The shipped catalogue and standard are sound: each item once, each indicator's items in the catalogue, twenty indicators")
    func shippedDataIsSound() {
        #expect(WorkItemCatalogue.default.problems().isEmpty)
        #expect(CommunityStandard.default.problems(catalogue: .default).isEmpty)
        #expect(CommunityStandard.default.indicators.count == 20)
        #expect(Set(CommunityStandard.default.indicators.map(\.category)).count == 6)
        #expect(Set(WorkItemCatalogue.default.items.map(\.category)) == Set(WorkItemCategory.allCases))
    }

    @Test("A catalogue names each item once, with a name and a unit")
    func catalogueProblems() {
        var catalogue = WorkItemCatalogue.default
        catalogue.items.append(catalogue.items[0])
        catalogue.items.append(CatalogueItem(code: "新项", nameZh: "", nameEn: "", category: .basic, unit: " "))
        let fields = Set(catalogue.problems().map(\.field))
        #expect(fields == ["items[20].code", "items[21].code", "items[21].nameZh", "items[21].unit"])
    }

    @Test("A compound's gaps: what is missing, what is too little for its households, what is worn — each item once")
    func gaps() {
        let inventory = [
            Facility(item: "parkingSpaces", quantity: 10, condition: .good),
            Facility(item: "greening", quantity: 80, condition: .good),
            Facility(item: "waterDrainage", quantity: 300, condition: .worn),
            Facility(item: "fitness", quantity: 1, condition: .worn),
            Facility(item: "accessibility", quantity: 2, condition: .good),
            Facility(item: "serviceRoom", quantity: 1, condition: .missing),
        ]
        let gaps = CommunityStandard.default.gaps(inventory: inventory, households: 100)
        let byItem = Dictionary(uniqueKeysWithValues: gaps.map { ($0.item, $0) })
        #expect(byItem["serviceRoom"]?.quantity == 1)                  // recorded as missing
        #expect(byItem["parkingSpaces"]?.quantity == 15)               // one per 4 households: 25, has 10
        #expect(byItem["chargingPoints"]?.quantity == 5)               // one per 20 households
        #expect(byItem["greening"]?.quantity == 20)                    // 1 m² per household: 100, has 80
        #expect(byItem["waterDrainage"]?.quantity == 300)              // worn: renewed whole
        #expect(byItem["fitness"]?.quantity == 1 && byItem["fitness"]?.reason.contains("老化") == true)
        #expect(byItem["accessibility"] == nil)                        // has it, in good shape
        #expect(byItem["elderlyChildCare"].map { $0.indicator } == "1.3")  // asked twice, listed once
        #expect(gaps.count == Set(gaps.map(\.item)).count)
    }
}

@Suite("Renovation: a project's plan, its lifecycle and the residents' rounds")
struct ProjectRulesTests {
    let catalogue = WorkItemCatalogue.default

    @Test("The sources must add up to the budget, each once; the scope's items from the catalogue, costing no more than the budget")
    func planProblems() {
        let scope = [ScopeItem(item: "parkingSpaces", quantity: 40, cost: 400_000_00), ScopeItem(item: "elevator", quantity: 2, cost: 160_000_00)]
        let funding = [Funding(source: .higherSubsidy, fen: 300_000_00), Funding(source: .districtBudget, fen: 200_000_00),
                       Funding(source: .residents, fen: 100_000_00)]
        #expect(ProjectPlanRules.problems(budget: 600_000_00, funding: funding, scope: scope, catalogue: catalogue).isEmpty)
        let short = ProjectPlanRules.problems(budget: 700_000_00, funding: funding, scope: scope, catalogue: catalogue)
        #expect(short.map(\.field) == ["funding"])
        let bad = ProjectPlanRules.problems(budget: 500_000_00, funding: funding + [Funding(source: .residents, fen: 0)],
                                            scope: scope + [ScopeItem(item: "moat", quantity: 0, cost: -1)], catalogue: catalogue)
        #expect(Set(bad.map(\.field)) == ["funding[3].fen", "funding", "scope[2].item", "scope[2].quantity", "scope[2].cost", "scope"])
    }

    func apply(_ action: ProjectAction, _ p: ProjectSnapshot) -> Result<ProjectSnapshot, DomainError> {
        do { return .success(try ProjectMachine.apply(action, to: p)) } catch { return .failure(error) }
    }

    func code(_ action: ProjectAction, _ p: ProjectSnapshot) -> String? {
        if case .failure(let error) = apply(action, p) { return error.code }
        return nil
    }

    @Test("The rounds run in order: a round publishes after it collected, the next collects after the last published; round 3 only during works")
    func roundsInOrder() throws {
        var p = try ProjectMachine.apply(.startConsultation, to: ProjectSnapshot(status: .planned))
        #expect(code(.publish(.opinions), p) == "round_out_of_order")
        #expect(code(.collect(.comments), p) == "round_out_of_order")
        #expect(code(.collect(.works), p) == "invalid_transition")
        p = try ProjectMachine.apply(.collect(.opinions), to: p)
        p = try ProjectMachine.apply(.publish(.opinions), to: p)
        p = try ProjectMachine.apply(.collect(.comments), to: p)
        p = try ProjectMachine.apply(.publish(.comments), to: p)
        #expect(p.published == [.opinions, .comments])
    }

    @Test("Approval waits for the visits, a meeting, rounds 1 and 2 and the end of the notice, and names what is missing")
    func approvalWaitsForTheResidents() throws {
        var p = ProjectSnapshot(status: .consulting)
        p.collected = [.opinions]
        p.published = [.opinions]
        p.visits = 12
        guard case .failure(let early) = apply(.approve, p) else { Issue.record("approved early"); return }
        #expect(early.code == "consultation_incomplete" && early.message.contains("round 2") && early.message.contains("一议"))
        p.meetings = 1
        p.collected.insert(.comments)
        p.published.insert(.comments)
        #expect(code(.approve, p) == "consultation_incomplete")
        p.noticeEnded = true
        #expect(try ProjectMachine.apply(.approve, to: p).status == .approved)
    }

    @Test("Acceptance waits for every piece of works feedback answered; completion for a passing survey and the signed acceptance check; a failed one reopens the works")
    func acceptanceAndCompletion() throws {
        var p = ProjectSnapshot(status: .underWorks)
        p.unansweredFeedback = 2
        #expect(code(.requestAcceptance, p) == "feedback_unanswered")
        p.unansweredFeedback = 0
        p = try ProjectMachine.apply(.requestAcceptance, to: p)
        #expect(code(.complete, p) == "survey_not_passed")
        #expect(try ProjectMachine.apply(.reopenWorks, to: p).status == .underWorks)
        p.surveyPassed = true
        #expect(code(.complete, p) == "acceptance_not_signed")
        p.acceptanceSigned = true
        #expect(try ProjectMachine.apply(.complete, to: p).status == .completed)
    }

    @Test("Cancelling needs a reason and an open project")
    func cancelling() throws {
        #expect(code(.cancel(reason: " "), ProjectSnapshot(status: .approved)) == "validation_failed")
        #expect(try ProjectMachine.apply(.cancel(reason: "居民未达成一致"), to: ProjectSnapshot(status: .approved)).status == .cancelled)
        #expect(code(.cancel(reason: "x"), ProjectSnapshot(status: .completed)) == "invalid_transition")
        #expect(code(.startWorks, ProjectSnapshot(status: .consulting)) == "invalid_transition")
    }
}

@Suite("Renovation: the acceptance survey (满意度测评)")
struct AcceptanceSurveyTests {
    func verdicts(_ satisfied: Int, _ basically: Int, _ dissatisfied: Int) -> [SurveyVerdict] {
        Array(repeating: .satisfied, count: satisfied) + Array(repeating: .basicallySatisfied, count: basically)
            + Array(repeating: .dissatisfied, count: dissatisfied)
    }

    @Test("Passes with at least 2/3 of the households answering and at least 90 % satisfied or basically satisfied, both exactly at the line")
    func passesAtTheLine() {
        let atTheLine = SurveyResult(households: 60, verdicts: verdicts(30, 6, 4), rules: .default)
        #expect(atTheLine.responseShare == 40.0 / 60 && atTheLine.satisfiedShare == 0.9 && atTheLine.passes)
        #expect(atTheLine.explanation.contains("40 / 60") && atTheLine.explanation.contains("36 / 40") && atTheLine.explanation.hasSuffix("测评通过"))
    }

    @Test("Fails with too few answers, saying how many more are needed; fails with too few satisfied")
    func fails() {
        let few = SurveyResult(households: 60, verdicts: verdicts(39, 0, 0), rules: .default)
        #expect(!few.passes && !few.enoughResponses && few.enoughSatisfied && few.responsesNeeded == 1)
        let unhappy = SurveyResult(households: 60, verdicts: verdicts(30, 5, 5), rules: .default)
        #expect(!unhappy.passes && unhappy.enoughResponses && !unhappy.enoughSatisfied && unhappy.explanation.hasSuffix("测评未通过"))
        #expect(!SurveyResult(households: 0, verdicts: [], rules: .default).passes)
    }

    @Test("The thresholds are the rule set's")
    func thresholdsAreData() {
        var rules = RenovationRules.default
        rules.minimumSatisfiedShare = 0.8
        #expect(SurveyResult(households: 60, verdicts: verdicts(30, 3, 7), rules: rules).passes)
        rules.minimumResponseShare = 0.4
        #expect(rules.problems().map(\.field) == ["minimumResponseShare"])
    }

    @Test("A response comes from a household of the project's buildings, once, and no more answers than households")
    func responseChecks() {
        let buildings: Set<BuildingRef> = [BuildingRef(compound: "QZ-001", building: "1"), BuildingRef(compound: "QZ-002", building: "1")]
        let a = Household(compound: "QZ-001", building: "1", unit: "2", room: "301"), b = Household(compound: "QZ-002", building: "1", unit: "2", room: "301")
        #expect(SurveyRules.problem(a, buildings: buildings, answered: [], households: 10) == nil)
        #expect(SurveyRules.problem(b, buildings: buildings, answered: [a], households: 10) == nil)  // the same room in another compound
        #expect(SurveyRules.problem(a, buildings: buildings, answered: [a], households: 10)
                == .duplicate(FieldError(field: "household", reason: "QZ-001 1-2-301 has answered this survey already")))
        #expect(SurveyRules.problem(Household(compound: "QZ-001", building: "9", unit: "1", room: "101"), buildings: buildings, answered: [],
                                    households: 10)?.error.field == "building")
        #expect(SurveyRules.problem(Household(compound: "QZ-001", building: "1", unit: "", room: "101"), buildings: buildings, answered: [],
                                    households: 10)?.error.field == "unit")
        let full = SurveyRules.problem(b, buildings: buildings, answered: [a], households: 1)
        #expect(full?.error.reason.contains("all 1 households") == true && full != .duplicate(full!.error))
    }
}

@Suite("Renovation: the settings as data and the steps a project's status offers")
struct RenovationSettingsTests {
    @Test("A requirement travels flat, as the bureau edits it, and reads back the same")
    func requirementsRoundTrip() throws {
        let requirements: [StandardRequirement] = [.present(item: "fitness"), .perHousehold(item: "greening", quantity: 1.5),
                                                   .onePer(item: "parkingSpaces", households: 4), .sound(items: ["gas", "power"])]
        let data = try JSONEncoder().encode(requirements)
        #expect(try JSONDecoder().decode([StandardRequirement].self, from: data) == requirements)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"kind\":\"onePer\"") && text.contains("\"households\":4"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(StandardRequirement.self, from: Data(#"{"kind":"onePer","item":"x"}"#.utf8)) }
    }

    @Test("Settings are checked whole, each problem under the part it is in; the standard against its own catalogue")
    func settingsProblems() {
        var settings = RenovationSettings.default
        #expect(settings.problems().isEmpty)
        settings.catalogue.items.removeAll { $0.code == "fitness" }
        settings.standard.indicators[0].requirements.append(.onePer(item: "parkingSpaces", households: 0))
        settings.rules.noticeDays = 0
        #expect(settings.problems().map(\.field) == ["standard.indicators[0].requirements[1].households", "standard.indicators[13].requirements[0]",
                                                       "rules.noticeDays"])
    }

    @Test("The steps a status offers, each with what still blocks it; steps the status does not allow are not offered")
    func options() {
        let planned = ProjectMachine.options(for: ProjectSnapshot(status: .planned))
        #expect(planned.map(\.transition) == [.startConsultation, .cancel] && planned.allSatisfy { $0.blockedBy == nil })
        let consulting = ProjectMachine.options(for: ProjectSnapshot(status: .consulting))
        #expect(consulting.map(\.transition) == [.approve, .cancel])
        #expect(consulting[0].blockedBy?.contains("round 1 published") == true)
        var ready = ProjectSnapshot(status: .consulting)
        ready.visits = 12
        ready.meetings = 1
        ready.published = [.opinions, .comments]
        ready.noticeEnded = true
        #expect(ProjectMachine.options(for: ready).first == TransitionOption(transition: .approve, blockedBy: nil))
        #expect(ProjectMachine.options(for: ProjectSnapshot(status: .acceptance)).map(\.transition) == [.reopenWorks, .complete, .cancel])
        #expect(ProjectMachine.options(for: ProjectSnapshot(status: .completed)).isEmpty)
    }
}

@Suite("Renovation: the consultation journal (一访一议一公示, 三上三下)")
struct ConsultationJournalTests {
    var entries: [ConsultationEntry] = []
    var journal: ConsultationJournal { ConsultationJournal(entries: entries, noticeDays: 7) }

    func refusal(_ entry: ConsultationEntry, _ status: ProjectStatus = .consulting, today: String = "2026-03-20") -> String? {
        do { try journal.check(entry, status: status, today: today); return nil } catch { return error.code }
    }

    mutating func record(_ entry: ConsultationEntry, _ status: ProjectStatus = .consulting, today: String = "2026-03-20") throws {
        try journal.check(entry, status: status, today: today)
        entries.append(entry)
    }

    func snapshot(_ status: ProjectStatus = .consulting, today: String) -> ProjectSnapshot {
        var p = ProjectSnapshot(status: status)
        journal.apply(to: &p, today: today)
        return p
    }

    @Test("Rounds 1 and 2 in order: opinions, collection, answers, publication; each opinion answered before its round publishes; nothing dated before what it follows")
    mutating func roundsInOrder() throws {
        let opinion = ConsultationEntry(kind: .opinion, round: .opinions, day: "2026-03-03", channel: .visit)
        #expect(refusal(ConsultationEntry(kind: .collection, round: .opinions, day: "2026-03-03")) == "no_opinions")
        #expect(refusal(opinion, .planned) == "invalid_transition")
        #expect(refusal(ConsultationEntry(kind: .opinion, round: .comments, day: "2026-03-03", channel: .meeting)) == "round_out_of_order")
        try record(opinion)
        try record(ConsultationEntry(kind: .collection, round: .opinions, day: "2026-03-05"))
        #expect(refusal(ConsultationEntry(kind: .opinion, round: .opinions, day: "2026-03-06", channel: .visit)) == "round_closed")
        #expect(refusal(ConsultationEntry(kind: .publication, round: .opinions, day: "2026-03-06")) == "opinions_unanswered")
        #expect(refusal(ConsultationEntry(kind: .answer, day: "2026-03-02", answers: opinion.id)) == "validation_failed")  // before the opinion
        try record(ConsultationEntry(kind: .answer, day: "2026-03-06", answers: opinion.id))
        #expect(refusal(ConsultationEntry(kind: .publication, round: .opinions, day: "2026-03-04")) == "validation_failed")  // before the collection
        #expect(journal.standing(of: opinion) == .answered)
        try record(ConsultationEntry(kind: .publication, round: .opinions, day: "2026-03-07"))
        #expect(journal.standing(of: opinion) == .published)
        #expect(refusal(ConsultationEntry(kind: .answer, day: "2026-03-08", answers: opinion.id)) == "answer_published")
        #expect(refusal(ConsultationEntry(kind: .publication, round: .opinions, day: "2026-03-08")) == "round_published")
        #expect(snapshot(today: "2026-03-08").published == [.opinions])
    }

    @Test("The notice follows round 2's publication; objections only while it runs and answered before approval; it ends after seven days")
    mutating func noticeAndObjections() throws {
        #expect(refusal(ConsultationEntry(kind: .notice, day: "2026-03-10")) == "round_out_of_order")
        for round in [ConsultationRound.opinions, .comments] {
            let opinion = ConsultationEntry(kind: .opinion, round: round, day: "2026-03-03", channel: .meeting)
            try record(opinion)
            try record(ConsultationEntry(kind: .collection, round: round, day: "2026-03-04"))
            try record(ConsultationEntry(kind: .answer, day: "2026-03-04", answers: opinion.id))
            try record(ConsultationEntry(kind: .publication, round: round, day: "2026-03-05"))
        }
        try record(ConsultationEntry(kind: .visit, day: "2026-03-02"))
        try record(ConsultationEntry(kind: .meeting, day: "2026-03-04"))
        let objection = ConsultationEntry(kind: .opinion, round: .comments, day: "2026-03-11", channel: .notice)
        #expect(refusal(objection, today: "2026-03-11") == "notice_not_running")
        #expect(refusal(ConsultationEntry(kind: .notice, day: "2026-03-04")) == "validation_failed")  // before the final plan was published
        try record(ConsultationEntry(kind: .notice, day: "2026-03-10"))
        #expect(refusal(ConsultationEntry(kind: .notice, day: "2026-03-11")) == "notice_published")
        #expect(journal.noticeLastDay == "2026-03-16")
        try record(objection, today: "2026-03-11")
        #expect(refusal(ConsultationEntry(kind: .opinion, round: .comments, day: "2026-03-17", channel: .notice), today: "2026-03-17") == "notice_not_running")
        var p = snapshot(today: "2026-03-17")
        #expect(p.noticeEnded && p.unansweredOpinions == 1)
        do throws(DomainError) {
            _ = try ProjectMachine.apply(.approve, to: p)
            Issue.record("approved with an objection unanswered")
        } catch {
            #expect(error.message.contains("answers to 1 opinion"))
        }
        try record(ConsultationEntry(kind: .answer, day: "2026-03-17", answers: objection.id))
        #expect(journal.standing(of: objection) == .published)
        p = snapshot(today: "2026-03-16")
        #expect(!p.noticeEnded)  // the seventh day is still the notice's
        #expect(try ProjectMachine.apply(.approve, to: snapshot(today: "2026-03-17")).status == .approved)
    }

    @Test("A correction supersedes a visit, meeting or unanswered opinion of its kind; the superseded one no longer counts")
    mutating func corrections() throws {
        let visit = ConsultationEntry(kind: .visit, day: "2026-03-02")
        try record(visit)
        try record(ConsultationEntry(kind: .visit, day: "2026-03-02"))
        try record(ConsultationEntry(kind: .visit, day: "2026-03-03", supersedes: visit.id))
        #expect(snapshot(today: "2026-03-04").visits == 2)
        #expect(refusal(ConsultationEntry(kind: .visit, day: "2026-03-04", supersedes: visit.id)) == "validation_failed")  // already superseded
        #expect(refusal(ConsultationEntry(kind: .meeting, day: "2026-03-04", supersedes: entries[1].id)) == "validation_failed")  // another kind
        let opinion = ConsultationEntry(kind: .opinion, round: .opinions, day: "2026-03-03", channel: .visit)
        try record(opinion)
        try record(ConsultationEntry(kind: .answer, day: "2026-03-04", answers: opinion.id))
        #expect(refusal(ConsultationEntry(kind: .opinion, round: .opinions, day: "2026-03-04", channel: .visit, supersedes: opinion.id)) == "opinion_answered")
    }

    @Test("Round 3 runs during the works: feedback is answered and published, possibly many times, before acceptance")
    mutating func worksFeedback() throws {
        let feedback = ConsultationEntry(kind: .opinion, round: .works, day: "2026-06-03", channel: .receptionRoom)
        #expect(refusal(feedback) == "invalid_transition")
        try record(feedback, .underWorks)
        #expect(refusal(ConsultationEntry(kind: .collection, round: .works, day: "2026-06-03"), .underWorks) == "round_out_of_order")
        #expect(refusal(ConsultationEntry(kind: .publication, round: .works, day: "2026-06-03"), .underWorks) == "opinions_unanswered")
        #expect(snapshot(.underWorks, today: "2026-06-03").unansweredFeedback == 1)
        try record(ConsultationEntry(kind: .answer, day: "2026-06-04", answers: feedback.id), .underWorks)
        #expect(snapshot(.underWorks, today: "2026-06-04").unansweredFeedback == 1)  // answered, not yet published
        try record(ConsultationEntry(kind: .publication, round: .works, day: "2026-06-05"), .underWorks)
        #expect(snapshot(.underWorks, today: "2026-06-05").unansweredFeedback == 0)
        #expect(refusal(ConsultationEntry(kind: .publication, round: .works, day: "2026-06-06"), .underWorks) == "nothing_to_publish")
        let more = ConsultationEntry(kind: .opinion, round: .works, day: "2026-06-07", channel: .hotline)
        try record(more, .underWorks)
        try record(ConsultationEntry(kind: .answer, day: "2026-06-07", answers: more.id), .underWorks)
        try record(ConsultationEntry(kind: .publication, round: .works, day: "2026-06-08"), .underWorks)
        #expect(snapshot(.underWorks, today: "2026-06-08").unansweredFeedback == 0)
    }
}

@Suite("Renovation: the figures")
struct RenovationFiguresTests {
    @Test("Totals by year and source leave cancelled projects out; items built count completed projects only; pass rate and reach are shares")
    func figures() {
        let money = [Funding(source: .higherSubsidy, fen: 600), Funding(source: .districtBudget, fen: 400)]
        let rows = [
            ProjectFigureRow(status: .completed, year: 2025, households: 100, buildings: 4, budgetFen: 1000, funding: money,
                             built: [("parkingSpaces", 40), ("bicycleShed", 1)], householdsVisited: 80, surveyResults: [false, true]),
            ProjectFigureRow(status: .underWorks, year: 2026, households: 60, buildings: 2, budgetFen: 500,
                             funding: [Funding(source: .residents, fen: 500)], built: [("parkingSpaces", 99)], householdsVisited: 70),
            ProjectFigureRow(status: .planned, year: 2026, households: 30, buildings: 1, budgetFen: 300, funding: [Funding(source: .districtBudget, fen: 300)],
                             householdsVisited: 5),
            ProjectFigureRow(status: .cancelled, year: 2026, households: 500, buildings: 9, budgetFen: 9000, funding: [Funding(source: .districtBudget, fen: 9000)]),
        ]
        let f = RenovationFigures(rows)
        #expect(f.byStatus == [.completed: 1, .underWorks: 1, .planned: 1, .cancelled: 1])
        #expect(f.projects == 3 && f.households == 190 && f.buildings == 7 && f.budgetFen == 1800)
        #expect(f.years.map(\.year) == [2026, 2025] && f.years[0].projects == 2 && f.years[0].budgetFen == 800)
        #expect(f.fundingFen == [.higherSubsidy: 600, .districtBudget: 700, .residents: 500])
        #expect(f.built == ["parkingSpaces": 40, "bicycleShed": 1])  // the project under works has built nothing yet
        #expect(f.surveysClosed == 2 && f.passRate == 0.5)
        // A planned project has not been put to the residents; visits never count past a project's households.
        #expect(f.householdsConsulted == 160 && f.householdsVisited == 140 && f.participation == 140.0 / 160.0)
        #expect(RenovationFigures([]).passRate == nil && RenovationFigures([]).participation == nil)
    }
}

@Suite("Renovation: the contractors engaged on a project")
struct EngagementRulesTests {
    let builder = UUID(), designer = UUID(), manager = UUID()
    var kinds: [UUID: CompanyKind] { [builder: .construction, designer: .design, manager: .property] }

    @Test("One company per part, of that part's kind, with a named lead and a phone; every problem named by its line")
    func rules() {
        let good = [Engagement(role: .construction, companyID: builder, leadName: "王建国", leadPhone: "138 0451 2233"),
                    Engagement(role: .design, companyID: designer, leadName: "李工", leadPhone: "0451-86001234")]
        #expect(EngagementRules.problems(good, kinds: kinds).isEmpty)
        #expect(EngagementRules.problems([], kinds: kinds).isEmpty)
        let bad = [Engagement(role: .construction, companyID: designer, leadName: "王建国", leadPhone: "13804512233"),
                   Engagement(role: .construction, companyID: builder, leadName: " ", leadPhone: "12"),
                   Engagement(role: .supervision, companyID: manager, leadName: "张", leadPhone: "13804512233"),
                   Engagement(role: .design, companyID: UUID(), leadName: "赵", leadPhone: "13804512233")]
        let problems = EngagementRules.problems(bad, kinds: kinds)
        #expect(problems.map(\.field) == ["engagements[0].companyId", "engagements[1].role", "engagements[1].leadName", "engagements[1].leadPhone",
                                          "engagements[2].companyId", "engagements[3].companyId"])
        #expect(problems[0].reason == "is a design company; the construction part needs a construction company")
        #expect(problems[4].reason.contains("property company"))
        #expect(problems[5].reason == "no such company")
        #expect(!EngagementRules.editable.contains(.completed) && !EngagementRules.editable.contains(.cancelled))
        #expect(ContractorRole.allCases.allSatisfy { $0.companyKind.isContractor && $0.companyKind.rawValue == $0.rawValue })
    }
}
