import Foundation
import Testing
@testable import YijuCore

@Suite("Intake: field checks")
struct IntakeCheckTests {
    let now = shanghai("2025-09-22", 10)

    func intake(_ change: (inout CaseIntake) -> Void = { _ in }) -> CaseIntake {
        var input = CaseIntake(channel: .hotline, externalNumber: "GD-1", reporterName: "李先生", reporterPhone: "138 1234 5678",
                               compoundCode: "QZ-001", domain: .propertyService, description: "楼道灯不亮")
        change(&input)
        return input
    }

    func fields(_ input: CaseIntake) -> Set<String> {
        Set(IntakeRules.check(input, actor: nil, now: now).errors.map(\.field))
    }

    @Test("A well-formed intake has no errors and is tidied: phone to digits, empty optional fields dropped")
    func tidies() {
        let checked = IntakeRules.check(intake { $0.building = "  "; $0.unit = " 2单元 "; $0.compoundCode = " QZ-001 " }, actor: nil, now: now)
        #expect(checked.errors.isEmpty)
        #expect(checked.phone == "13812345678")
        #expect(checked.input.building == nil && checked.input.unit == "2单元" && checked.input.compoundCode == "QZ-001")
        #expect(checked.received == now)
    }

    @Test("Name, phone and description are required; each problem names its field")
    func required() {
        #expect(fields(intake { $0.reporterName = " "; $0.reporterPhone = "12"; $0.description = "" })
            == ["reporterName", "reporterPhone", "description"])
        #expect(fields(intake { $0.reporterName = String(repeating: "名", count: 41) }) == ["reporterName"])
        #expect(fields(intake { $0.description = String(repeating: "字", count: 4001) }) == ["description"])
    }

    @Test("The hotline needs its work-order number; lengths of the short fields are limited")
    func hotlineAndLengths() {
        #expect(fields(intake { $0.externalNumber = " " }) == ["externalNumber"])
        #expect(fields(intake { $0.channel = .reception; $0.externalNumber = nil }).isEmpty)
        #expect(fields(intake { $0.externalNumber = String(repeating: "9", count: 65) }) == ["externalNumber"])
        #expect(fields(intake { $0.building = String(repeating: "1", count: 21); $0.unit = String(repeating: "2", count: 21) }) == ["building", "unit"])
        #expect(fields(intake { $0.resolution = String(repeating: "修", count: 4001) }) == ["resolution"])
    }

    @Test("A time of receipt more than five minutes ahead is in the future")
    func futureReceipt() {
        #expect(fields(intake { $0.receivedAt = now.addingTimeInterval(299) }).isEmpty)
        #expect(fields(intake { $0.receivedAt = now.addingTimeInterval(301) }) == ["receivedAt"])
    }

    @Test("Phone numbers: digits with +86, 86, spaces, dashes or brackets; 7 to 15 digits")
    func phones() {
        #expect(IntakeRules.normalisedPhone("+86 138-1234-5678") == "13812345678")
        #expect(IntakeRules.normalisedPhone("8613812345678") == "13812345678")
        #expect(IntakeRules.normalisedPhone("(0451) 8888 1234") == "045188881234")
        #expect(IntakeRules.normalisedPhone("+1 555 1234") == nil)
        #expect(IntakeRules.normalisedPhone("123456") == nil)
        #expect(IntakeRules.normalisedPhone("138一二三四") == nil)
    }

    @Test("Only the public web form takes cases without a login; roles take in from their own channels")
    func admission() {
        let office = UUID()
        let checked = { (channel: CaseChannel, actor: Actor?) in
            IntakeRules.check(intake { $0.channel = channel }, actor: actor, now: now)
        }
        #expect(IntakeRules.admission(checked(.webForm, nil), streetOfficeID: office) == nil)
        #expect(IntakeRules.admission(checked(.hotline, nil), streetOfficeID: office)?.code == "unauthenticated")
        let grid = Actor(userID: UUID(), username: "g", role: .gridWorker, streetOfficeID: office)
        #expect(IntakeRules.admission(checked(.gridPatrol, grid), streetOfficeID: office) == nil)
        #expect(IntakeRules.admission(checked(.hotline, grid), streetOfficeID: office)?.code == "forbidden")
        #expect(IntakeRules.admission(checked(.gridPatrol, grid), streetOfficeID: UUID())?.code == "forbidden")
    }
}

@Suite("Intake: the decision for a new case")
struct IntakeDecisionTests {
    let now = shanghai("2025-09-22", 10)
    let registered = Set(DepartmentKind.allCases)

    func checked(_ domain: CaseDomain, resolution: String? = nil, severalDepartments: Bool = false) -> CheckedIntake {
        IntakeRules.check(CaseIntake(channel: .hotline, externalNumber: "GD-1", reporterName: "李先生", reporterPhone: "13812345678",
                                     compoundCode: "QZ-001", domain: domain, description: "楼道灯不亮", resolution: resolution,
                                     severalDepartments: severalDepartments), actor: nil, now: now)
    }

    func facts(_ mode: ManagementMode = .professional, company: String? = "正一物业") -> RoutingFacts {
        RoutingFacts(compoundCode: "QZ-001", compoundName: "嵩山路8号院", streetOfficeName: "七政街道", management: mode,
                     companyName: company, areaCode: nil)
    }

    func decide(_ intake: CheckedIntake, facts: RoutingFacts? = nil, registered: Set<DepartmentKind>? = nil,
                earlier: [EarlierCase] = []) throws -> IntakeDecision {
        try IntakeRules.decide(intake, facts: facts ?? self.facts(), table: .default, registered: registered ?? self.registered,
                               earlier: earlier, rules: .default, calendar: calendar2025)
    }

    @Test("A property-service case on a managed compound goes to its company, yellow, dispatched with two working days")
    func toTheCompany() throws {
        let decision = try decide(checked(.propertyService))
        #expect(decision.handler == .company && decision.department == nil)
        #expect(decision.colour == .yellow && decision.state == .dispatched)
        #expect(decision.dispatchedAt == now && decision.dueAt == shanghai("2025-09-25", 0))
        #expect(decision.events.map(\.kind) == ["received", "dispatched"])
        #expect(decision.events[1].data["handler"] == "company")
        #expect(decision.routing.last?.contains("正一物业") == true)
    }

    @Test("A heating case goes to the heating department; without one registered, to the street office, saying so")
    func toADepartment() throws {
        let heating = try decide(checked(.heating))
        #expect(heating.handler == .department && heating.department == .heating)
        let unregistered = try decide(checked(.heating), registered: registered.subtracting([.heating]))
        #expect(unregistered.handler == .streetOffice && unregistered.department == nil)
        #expect(unregistered.routing.last == CaseRouter.noDepartment(.heating))
    }

    @Test("Solved on the spot: green and closed, with no handler and no deadline")
    func solvedOnTheSpot() throws {
        let decision = try decide(checked(.propertyService, resolution: "已现场更换灯泡"))
        #expect(decision.colour == .green && decision.state == .closed && decision.closedAt == now)
        #expect(decision.handler == nil && decision.dueAt == nil && decision.resolution == "已现场更换灯泡")
        #expect(decision.events.map(\.kind) == ["received", "closed"])
    }

    @Test("Several departments from the start: red, with red's seven working days")
    func severalDepartments() throws {
        let decision = try decide(checked(.propertyService, severalDepartments: true))
        #expect(decision.colour == .red && decision.dueAt == calendar2025.deadline(from: now, workingDays: 7))
    }

    @Test("Repeats count the earlier cases within the window only; the latest is the one repeated")
    func repeats() throws {
        let latest = EarlierCase(id: UUID(), receivedAt: now.addingTimeInterval(-86_400))
        let old = EarlierCase(id: UUID(), receivedAt: now.addingTimeInterval(-31 * 86_400))
        let decision = try decide(checked(.propertyService), earlier: [old, latest])
        #expect(decision.repeatCount == 2 && decision.repeatOf == latest.id)
        #expect(decision.colour == .yellow && decision.escalatedAt == nil)
        #expect(decision.events.map(\.kind) == ["received", "dispatched", "repeat"])
    }

    @Test("The third case within the window goes red and to the bureau, and a company handling it answers for it")
    func escalation() throws {
        let earlier = [EarlierCase(id: UUID(), receivedAt: now.addingTimeInterval(-2 * 86_400)),
                       EarlierCase(id: UUID(), receivedAt: now.addingTimeInterval(-86_400))]
        let decision = try decide(checked(.propertyService), earlier: earlier)
        #expect(decision.repeatCount == 3 && decision.colour == .red && decision.escalatedAt == now)
        #expect(decision.routing.last == CaseRouter.repeatEscalation(count: 3, windowDays: 30))
        #expect(decision.events.map(\.kind) == ["received", "dispatched", "repeat", "escalated"])
        #expect(decision.chargesCompany)
        let heating = try decide(checked(.heating), earlier: earlier)
        #expect(heating.escalatedAt == now && !heating.chargesCompany)
        let solved = try decide(checked(.propertyService, resolution: "已修"), earlier: earlier)
        #expect(solved.escalatedAt == nil && solved.colour == .green)
    }
}

@Suite("Case steps: what each actor is offered now")
struct CaseStepsTests {
    let office = UUID(), company = UUID(), heating = UUID()
    let now = shanghai("2025-09-22", 12)

    var scope: CaseScope {
        CaseScope(streetOfficeID: office, handler: .company, handlerCompanyID: company, handlerDepartmentID: nil, summoned: [heating])
    }

    func snapshot(_ state: CaseState, summons: [Summons] = []) -> CaseSnapshot {
        var s = CaseSnapshot(state: state, colour: .yellow, receivedAt: shanghai("2025-09-22", 9))
        s.dispatchedAt = shanghai("2025-09-22", 9)
        s.dueAt = shanghai("2025-09-25", 0)
        s.summons = summons
        return s
    }

    func steps(_ actor: Actor, _ snapshot: CaseSnapshot) -> [CaseStepKind: Bool] {
        CaseMachine.availableSteps(for: actor, scope: scope, snapshot: snapshot, at: now, rules: .default, calendar: calendar2025)
    }

    @Test("The handler accepts or returns a dispatched case, and asks for an extension; the street officer whistles")
    func dispatched() {
        let staff = Actor(userID: UUID(), username: "s", role: .companyStaff, companyID: company)
        #expect(steps(staff, snapshot(.dispatched)) == [.accept: true, .return: true, .requestExtension: true])
        let officer = Actor(userID: UUID(), username: "o", role: .streetOfficer, streetOfficeID: office)
        #expect(steps(officer, snapshot(.dispatched)) == [.whistle: true])
        let stranger = Actor(userID: UUID(), username: "t", role: .companyStaff, companyID: UUID())
        #expect(steps(stranger, snapshot(.dispatched)).isEmpty)
    }

    @Test("A reply waits for every summoned department's report: offered, not ready")
    func replyWaits() {
        let staff = Actor(userID: UUID(), username: "s", role: .companyStaff, companyID: company)
        let open = [Summons(departmentID: heating, checkInBy: shanghai("2025-09-23"))]
        #expect(steps(staff, snapshot(.accepted, summons: open))[.reply] == false)
        let reported = [Summons(departmentID: heating, checkInBy: shanghai("2025-09-23"), checkedInAt: now, reportedAt: now)]
        #expect(steps(staff, snapshot(.accepted, summons: reported))[.reply] == true)
    }

    @Test("A summoned department checks in, then reports; never both at once")
    func summonedDepartment() {
        let officer = Actor(userID: UUID(), username: "h", role: .departmentOfficer, departmentID: heating)
        let summoned = Summons(departmentID: heating, checkInBy: shanghai("2025-09-23"))
        #expect(steps(officer, snapshot(.accepted, summons: [summoned])) == [.checkIn: true])
        var checkedIn = summoned
        checkedIn.checkedInAt = now
        #expect(steps(officer, snapshot(.accepted, summons: [checkedIn])) == [.report: true])
        let other = Actor(userID: UUID(), username: "x", role: .departmentOfficer, departmentID: UUID())
        #expect(steps(other, snapshot(.accepted, summons: [summoned])).isEmpty)
    }

    @Test("After the reply the hotline follows up; after the follow-up the street officer closes")
    func followUpAndClose() {
        let hotline = Actor(userID: UUID(), username: "r", role: .hotlineOperator)
        #expect(steps(hotline, snapshot(.replied)) == [.followUp: true])
        let officer = Actor(userID: UUID(), username: "o", role: .streetOfficer, streetOfficeID: office)
        #expect(steps(officer, snapshot(.followedUp)) == [.close: true])
        #expect(steps(officer, snapshot(.returned)) == [.dispatch: true])
    }
}
