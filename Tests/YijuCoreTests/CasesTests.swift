import Foundation
import Testing
@testable import YijuCore

/// The 2025 National Day and Mid-Autumn arrangement as published: 1–8 October off,
/// Sunday 28 September and Saturday 11 October worked.
let calendar2025 = WorkingCalendar(
    holidays: Set((1...8).map { String(format: "2025-10-%02d", $0) }),
    makeUpWorkdays: ["2025-09-28", "2025-10-11"], yearsCovered: [2025])

/// A moment in Shanghai.
func shanghai(_ day: String, _ hour: Int = 10, _ minute: Int = 0) -> Date {
    Calendar.shanghai.start(of: day)!.addingTimeInterval(Double(hour * 3600 + minute * 60))
}

@Suite("Working-day calendar")
struct WorkingCalendarTests {
    @Test("Weekends, official holidays and make-up workdays (调休)")
    func workingDays() {
        #expect(calendar2025.isWorkingDay("2025-09-26"))      // Friday
        #expect(!calendar2025.isWorkingDay("2025-09-27"))     // Saturday
        #expect(calendar2025.isWorkingDay("2025-09-28"))      // Sunday, worked
        #expect(!calendar2025.isWorkingDay("2025-10-06"))     // Monday, holiday
        #expect(calendar2025.isWorkingDay("2025-10-11"))      // Saturday, worked
        #expect(!WorkingCalendar().isWorkingDay("2025-09-28")) // without the table, a plain Sunday
    }

    @Test("Deadlines count whole working days after the day of receipt, in Asia/Shanghai")
    func deadlines() {
        // Friday + 2: Sunday 28 (worked) and Monday 29 → due at the end of Monday.
        #expect(calendar2025.deadline(from: shanghai("2025-09-26"), workingDays: 2) == shanghai("2025-09-30", 0))
        // Tuesday 30 + 2 jumps the whole holiday: Thursday 9 and Friday 10.
        #expect(calendar2025.deadline(from: shanghai("2025-09-30", 23, 59), workingDays: 2) == shanghai("2025-10-11", 0))
        // Received on a holiday: counting starts with the next working day.
        #expect(calendar2025.deadline(from: shanghai("2025-10-03"), workingDays: 1) == shanghai("2025-10-10", 0))
        // 7 working days from Thursday 9 October: 10, 11 (Sat, worked), 13, 14, 15, 16, 17.
        #expect(calendar2025.deadline(from: shanghai("2025-10-09"), workingDays: 7) == shanghai("2025-10-18", 0))
        // 00:30 in Shanghai is still the previous day in UTC; the Shanghai day counts.
        #expect(calendar2025.deadline(from: shanghai("2025-09-29", 0, 30), workingDays: 1) == shanghai("2025-10-01", 0))
        #expect(calendar2025.workingDays(from: shanghai("2025-09-30"), to: shanghai("2025-10-10")) == 2)
        #expect(calendar2025.workingDays(from: shanghai("2025-10-10"), to: shanghai("2025-10-09")) == 0)
    }
}

@Suite("Case lifecycle rules")
struct CaseMachineTests {
    let rules = CaseRules.default
    let department = UUID(), other = UUID()

    func apply(_ action: CaseAction, _ c: CaseSnapshot, at: Date) throws -> CaseSnapshot {
        try CaseMachine.apply(action, to: c, at: at, rules: rules, calendar: calendar2025)
    }

    func code(_ action: CaseAction, _ c: CaseSnapshot, at: Date) -> String? {
        do {
            _ = try apply(action, c, at: at)
            return nil
        } catch let error as DomainError {
            return error.code
        } catch { return "\(error)" }
    }

    var received: CaseSnapshot { CaseSnapshot(state: .received, colour: .yellow, receivedAt: shanghai("2025-09-22")) }

    @Test("The whole way: dispatch with a yellow deadline, accept, reply, follow-up, close")
    func happyPath() throws {
        var c = try apply(.dispatch(designated: false), received, at: shanghai("2025-09-22", 9))
        #expect(c.state == .dispatched && c.dueAt == shanghai("2025-09-25", 0))
        #expect(code(.reply(text: "修好了"), c, at: shanghai("2025-09-22", 11)) == "invalid_transition")
        c = try apply(.accept, c, at: shanghai("2025-09-22", 10))
        c = try apply(.reply(text: "已疏通下水管道"), c, at: shanghai("2025-09-23"))
        #expect(code(.close(note: ""), c, at: shanghai("2025-09-23")) == "invalid_transition")
        c = try apply(.followUp(.basicallySatisfied, note: ""), c, at: shanghai("2025-09-24"))
        c = try apply(.close(note: "销号"), c, at: shanghai("2025-09-24"))
        #expect(c.state == .closed)
        #expect(code(.reply(text: "again"), c, at: shanghai("2025-09-25")) == "invalid_transition")
        #expect(code(.followUp(.satisfied, note: ""), c, at: shanghai("2025-09-25")) == "invalid_transition")
    }

    @Test("Return: with a reason, within one working day, never by a designated handler")
    func returns() throws {
        let c = try apply(.dispatch(designated: false), received, at: shanghai("2025-09-26", 16))
        #expect(code(.giveBack(reason: " "), c, at: shanghai("2025-09-26", 17)) == "validation_failed")
        // Friday 16:00 + 1 working day is the end of Sunday 28 (worked).
        #expect(code(.giveBack(reason: "非本单位职责"), c, at: shanghai("2025-09-28", 23)) == nil)
        #expect(code(.giveBack(reason: "非本单位职责"), c, at: shanghai("2025-09-29", 8)) == "return_too_late")
        let returned = try apply(.giveBack(reason: "非本单位职责"), c, at: shanghai("2025-09-26", 17))
        #expect(returned.state == .returned && returned.dueAt == nil)
        let again = try apply(.dispatch(designated: true), returned, at: shanghai("2025-09-29"))
        // Monday 29 + 2: Tuesday 30, then the holiday, then Thursday 9 October.
        #expect(again.designated && again.dueAt == shanghai("2025-10-10", 0))
        #expect(code(.giveBack(reason: "还是不归我们"), again, at: shanghai("2025-09-29", 11)) == "designated_handler")
    }

    @Test("Extension: one, at most 10 working days, decided by the street office")
    func extensions() throws {
        var c = try apply(.dispatch(designated: false), received, at: shanghai("2025-09-22"))
        c = try apply(.accept, c, at: shanghai("2025-09-22"))
        #expect(code(.requestExtension(workingDays: 11, reason: "需采购配件"), c, at: shanghai("2025-09-23")) == "validation_failed")
        #expect(code(.decideExtension(approve: true, reason: ""), c, at: shanghai("2025-09-23")) == "no_extension_pending")
        c = try apply(.requestExtension(workingDays: 3, reason: "需采购配件"), c, at: shanghai("2025-09-23"))
        #expect(code(.requestExtension(workingDays: 1, reason: "再等等"), c, at: shanghai("2025-09-23")) == "extension_pending")
        #expect(code(.decideExtension(approve: false, reason: ""), c, at: shanghai("2025-09-23")) == "validation_failed")
        c = try apply(.decideExtension(approve: true, reason: ""), c, at: shanghai("2025-09-23"))
        // Due at the end of Wednesday 24; three more working days: 25, 26, 28 (Sunday, worked).
        #expect(c.dueAt == shanghai("2025-09-29", 0) && c.extensions == 1)
        #expect(code(.requestExtension(workingDays: 1, reason: "再等等"), c, at: shanghai("2025-09-24")) == "extension_limit")
    }

    @Test("Whistle: red with red's time limit; reply waits for every summoned department; check-in once, before the report")
    func whistle() throws {
        var c = try apply(.dispatch(designated: false), received, at: shanghai("2025-09-22"))
        c = try apply(.accept, c, at: shanghai("2025-09-22"))
        #expect(code(.whistle(departments: [department], checkInBy: shanghai("2025-09-21")), c, at: shanghai("2025-09-22")) == "validation_failed")
        c = try apply(.whistle(departments: [department, other], checkInBy: shanghai("2025-09-23")), c, at: shanghai("2025-09-22", 12))
        #expect(c.colour == .red && c.dueAt == shanghai("2025-10-01", 0))
        #expect(code(.whistle(departments: [department], checkInBy: shanghai("2025-09-24")), c, at: shanghai("2025-09-22")) == "validation_failed")
        #expect(code(.report(department: department, text: "已处理"), c, at: shanghai("2025-09-22")) == "not_checked_in")
        c = try apply(.checkIn(department: department), c, at: shanghai("2025-09-22", 13))
        #expect(code(.checkIn(department: department), c, at: shanghai("2025-09-22", 14)) == "already_checked_in")
        #expect(code(.checkIn(department: UUID()), c, at: shanghai("2025-09-22", 14)) == "not_summoned")
        c = try apply(.report(department: department, text: "已更换阀门"), c, at: shanghai("2025-09-23"))
        #expect(code(.reply(text: "已处理"), c, at: shanghai("2025-09-23")) == "summons_open")
        c = try apply(.checkIn(department: other), c, at: shanghai("2025-09-23"))
        c = try apply(.report(department: other, text: "已清理"), c, at: shanghai("2025-09-24"))
        c = try apply(.reply(text: "各部门已处理完毕"), c, at: shanghai("2025-09-24"))
        #expect(c.state == .replied)
    }

    @Test("A dissatisfied follow-up reopens the case to its handler with a fresh time limit, counted")
    func reopen() throws {
        var c = try apply(.dispatch(designated: false), received, at: shanghai("2025-09-22"))
        c = try apply(.accept, c, at: shanghai("2025-09-22"))
        c = try apply(.reply(text: "已修"), c, at: shanghai("2025-09-23"))
        c = try apply(.followUp(.dissatisfied, note: "还在漏水"), c, at: shanghai("2025-09-24"))
        #expect(c.state == .accepted && c.reopenCount == 1 && c.dueAt == shanghai("2025-09-27", 0))
        c = try apply(.reply(text: "换了管子"), c, at: shanghai("2025-09-25"))
        c = try apply(.followUp(.satisfied, note: ""), c, at: shanghai("2025-09-26"))
        #expect(c.state == .followedUp && c.reopenCount == 1)
    }

    @Test("Rule sets with nonsense numbers are refused, naming the field")
    func ruleProblems() {
        #expect(CaseRules.default.problems().isEmpty)
        var rules = CaseRules.default
        rules.yellowWorkingDays = 0
        rules.maxExtensionWorkingDays = 100
        #expect(Set(rules.problems().map(\.field)) == ["yellowWorkingDays", "maxExtensionWorkingDays"])
        rules = .default
        rules.redWorkingDays = 1
        #expect(rules.problems().map(\.field) == ["redWorkingDays"])
    }
}

@Suite("Case routing and who may do what")
struct CaseRoutingPolicyTests {
    let office = UUID(), company = UUID(), heating = UUID(), fire = UUID()

    func facts(_ mode: ManagementMode, company: String? = nil) -> RoutingFacts {
        RoutingFacts(compoundCode: "QZ-001", compoundName: "嵩山路8号院", streetOfficeName: "七政街道", management: mode,
                     companyName: company, areaCode: "QZ-V1-Z01-02")
    }

    @Test("Domains go to departments or to the compound's manager, with the reasons")
    func routing() {
        let heat = CaseRouter.route(.heating, facts(.professional, company: "正一物业"), table: .default)
        #expect(heat.handler == .department && heat.department == .heating)
        #expect(heat.explanation.first?.contains("QZ-V1-Z01-02") == true)
        let service = CaseRouter.route(.propertyService, facts(.professional, company: "正一物业"), table: .default)
        #expect(service.handler == .company && service.explanation.last?.contains("正一物业") == true)
        let abandoned = CaseRouter.route(.sanitation, facts(.abandoned), table: .default)
        #expect(abandoned.handler == .streetOffice && abandoned.explanation.last?.contains("没有物业企业（弃管），由街道办理") == true)
        var table = RoutingTable.default
        table.targets[.parking] = .department(.cityManagement)
        #expect(CaseRouter.route(.parking, facts(.professional, company: "x"), table: table).department == .cityManagement)
        #expect(RouteTarget(key: RouteTarget.department(.fire).key) == .department(.fire) && RouteTarget(key: "manager") == .manager)
        #expect(RouteTarget(key: "department:nope") == nil)
    }

    @Test("During renovation works the table's works domains go to the builder, with its lead named; the others as before")
    func worksRouting() {
        var facts = facts(.professional, company: "正一物业")
        facts.works = WorksFacts(projectCode: "QZ-2026-01", builderName: "哈尔滨宜建建筑工程有限公司", leadName: "王建国", leadPhone: "13804512233")
        let water = CaseRouter.route(.water, facts, table: .default)
        #expect(water.handler == .company && water.toBuilder && water.department == nil)
        #expect(water.explanation.contains { $0.contains("QZ-2026-01") && $0.contains("即接即办") })
        #expect(water.explanation.last == "哈尔滨宜建建筑工程有限公司，负责人 王建国 13804512233")
        for domain in [CaseDomain.constructionQuality, .heating, .safety] { #expect(CaseRouter.route(domain, facts, table: .default).toBuilder) }
        let service = CaseRouter.route(.propertyService, facts, table: .default)
        #expect(service.handler == .company && !service.toBuilder)
        var table = RoutingTable.default
        table.duringWorks.remove(.water)
        #expect(CaseRouter.route(.water, facts, table: table).department == .water)
        #expect(!CaseRouter.route(.water, self.facts(.professional, company: "正一物业"), table: .default).toBuilder)
    }

    @Test("Scopes: the street office, the handler, the summoned; steps by role")
    func policy() {
        let scope = CaseScope(streetOfficeID: office, handler: .company, handlerCompanyID: company, handlerDepartmentID: nil,
                              summoned: [fire], takenBy: nil)
        let officer = Actor(userID: UUID(), username: "o", role: .streetOfficer, streetOfficeID: office)
        let otherOfficer = Actor(userID: UUID(), username: "p", role: .streetOfficer, streetOfficeID: UUID())
        let staff = Actor(userID: UUID(), username: "s", role: .companyStaff, companyID: company)
        let otherStaff = Actor(userID: UUID(), username: "t", role: .companyStaff, companyID: UUID())
        let fireOfficer = Actor(userID: UUID(), username: "f", role: .departmentOfficer, departmentID: fire)
        let heatOfficer = Actor(userID: UUID(), username: "h", role: .departmentOfficer, departmentID: heating)
        let operatorUser = Actor(userID: UUID(), username: "r", role: .hotlineOperator)
        #expect(CasePolicy.mayRead(officer, scope) && !CasePolicy.mayRead(otherOfficer, scope))
        #expect(CasePolicy.mayRead(staff, scope) && !CasePolicy.mayRead(otherStaff, scope))
        #expect(CasePolicy.mayRead(fireOfficer, scope) && !CasePolicy.mayRead(heatOfficer, scope))
        #expect(CasePolicy.may(staff, .reply(text: "x"), scope) && !CasePolicy.may(officer, .reply(text: "x"), scope))
        #expect(CasePolicy.may(officer, .whistle(departments: [], checkInBy: Date()), scope) && !CasePolicy.may(staff, .close(note: ""), scope))
        #expect(CasePolicy.may(fireOfficer, .checkIn(department: fire), scope) && !CasePolicy.may(heatOfficer, .checkIn(department: heating), scope))
        #expect(CasePolicy.may(operatorUser, .followUp(.satisfied, note: ""), scope) && !CasePolicy.may(operatorUser, .dispatch(designated: false), scope))
        #expect(CasePolicy.mayTakeIn(Actor(userID: UUID(), username: "g", role: .gridWorker, streetOfficeID: office), channel: .gridPatrol, streetOfficeID: office))
        #expect(!CasePolicy.mayTakeIn(Actor(userID: UUID(), username: "g", role: .gridWorker, streetOfficeID: office), channel: .hotline, streetOfficeID: office))
        #expect(!CasePolicy.mayTakeIn(staff, channel: .webForm, streetOfficeID: office))
        #expect(CasePolicy.maySeePhone(staff, scope) && !CasePolicy.maySeePhone(officer, scope))
        #expect(CasePolicy.mask("13812341234") == "138****1234" && CasePolicy.mask("88881234") == "888*1234" && CasePolicy.mask("12345") == "***45")
    }
}

@Suite("Demo case history")
struct DemoCaseHistoryTests {
    @Test("Two years, heating in winter, summer sanitation, and zoned compounds clearly quieter in the second year")
    func shape() {
        let district = DemoDistrict.generate()
        let now = shanghai("2026-11-20", 12)
        let since = now.addingTimeInterval(-365 * 86_400)
        let zoned = Set(district.compounds.indices.filter { district.compounds[$0].record.street == district.streetOffices[0].name
            && district.compounds[$0].record.management.needsCompany })
        let cases = DemoCaseHistory.generate(district, zoned: zoned, zonedSince: since, now: now)
        #expect((8_000...30_000).contains(cases.count), "\(cases.count) cases")
        let again = DemoCaseHistory.generate(district, zoned: zoned, zonedSince: since, now: now)
        #expect(again.map(\.receivedAt) == cases.map(\.receivedAt))
        func month(_ c: DemoCaseHistory.Case) -> Int { Calendar.shanghai.component(.month, from: c.receivedAt) }
        let heating = cases.filter { $0.domain == .heating }
        #expect(heating.filter { [12, 1, 2].contains(month($0)) }.count > 10 * heating.filter { [6, 7, 8].contains(month($0)) }.count)
        let sanitation = cases.filter { $0.domain == .sanitation }
        #expect(sanitation.filter { [6, 7, 8].contains(month($0)) }.count > 2 * sanitation.filter { [12, 1, 2].contains(month($0)) }.count)
        let inZoned = cases.filter { zoned.contains($0.compoundIndex) }
        let before = inZoned.filter { $0.receivedAt < since }.count, after = inZoned.filter { $0.receivedAt >= since }.count
        let others = cases.filter { !zoned.contains($0.compoundIndex) }
        let otherBefore = others.filter { $0.receivedAt < since }.count, otherAfter = others.filter { $0.receivedAt >= since }.count
        #expect(Double(after) < 0.75 * Double(before), "zoned: \(before) → \(after)")
        #expect(abs(Double(otherAfter) / Double(otherBefore) - 1) < 0.1, "others: \(otherBefore) → \(otherAfter)")
        #expect(cases.contains { $0.repeatCount >= 3 && $0.colour == .red })
        #expect(cases.suffix(50).contains { !$0.closed })
        // Every case's steps come in order: a reply never before its acceptance (`yiju check`
        // after the form fuzzer found a case of 2026-12-08's demo replied, then accepted; a
        // fifteenth of all generated cases were so, most hidden by a later follow-up).
        let early = cases.filter { c in
            guard let accepted = c.acceptedAfterHours, let replied = c.repliedAfterDays else { return false }
            return replied * 24 <= accepted
        }
        #expect(early.count == 0, "cases replied before they were accepted")
    }
}
