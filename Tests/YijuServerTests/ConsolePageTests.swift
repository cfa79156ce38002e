import Fluent
import Foundation
import Testing
import YijuCore
@testable import YijuServer

/// The console's page models, built from records in memory, without a database or HTML:
/// what each page shows, which links it offers and to whom.
@Suite("Console pages: typed paths and page models, without HTML")
struct ConsolePageTests {
    let officeID = UUID(), companyID = UUID()

    func actor(_ role: Role) -> Actor {
        Actor(userID: UUID(), username: role.rawValue, role: role,
              streetOfficeID: [.streetOfficer, .gridWorker].contains(role) ? officeID : nil,
              companyID: role == .companyStaff ? companyID : nil)
    }

    var office: StreetOffice {
        let office = StreetOffice()
        office.id = officeID
        office.code = "QZ"
        office.name = "七政街道"
        office.address = nil
        office.phone = nil
        return office
    }

    func compound(_ code: String, mode: ManagementMode, area: Double = 10_000, households: Int = 100) -> Compound {
        let c = Compound()
        c.id = UUID()
        c.code = code
        c.name = "小区 \(code)"
        c.kind = .estate
        c.$streetOffice.id = officeID
        c.$streetOffice.value = office
        c.$community.value = .some(nil)
        c.address = nil
        c.lon = 126.65
        c.lat = 45.75
        c.floorArea = area
        c.households = households
        c.buildings = 3
        c.yearBuilt = 1995
        c.renovation = .completed
        c.management = mode
        c.$company.id = mode == .professional ? companyID : nil
        c.$company.value = .some(nil)
        c.$contract.value = .some(nil)
        return c
    }

    @Test("A path registers as its route and links as its value; queries are sorted, encoded and without empty values")
    func paths() {
        let id = UUID()
        #expect(ConsolePath.plan(.key, .change).routeComponents.map(\.description) == ["console", "zoning", "plans", ":id", "change"])
        #expect(ConsolePath.plan(.value(id), .zonesCSV).path == "/console/zoning/plans/\(id.uuidString)/zones.csv")
        #expect(ConsolePath.casePhoto(.key, photo: .key).path == "/console/cases/:id/photos/:photo")
        #expect(ConsolePath.root.path == "/" && ConsolePath.home.path == "/console")
        #expect(ConsolePath.cases.with(["open": "1", "escalated": "1", "q": ""]) == "/console/cases?escalated=1&open=1")
        #expect(ConsolePath.compounds.with(["q": "嵩山 路"]).hasPrefix("/console/compounds?q=%E5%B5%A9"))
        // Unreserved characters stay as they are, so a UUID reads as itself; & and = never end a pair.
        #expect(ConsolePath.renovation.with(["compound": "5A-b_c.d~e", "q": "a&b=c"]) == "/console/renovation?compound=5A-b_c.d~e&q=a%26b%3Dc")
        #expect(PublicPath.zoningPlan(.value(id)).path == "/public/zoning/\(id.uuidString)")
    }

    @Test("The navigation offers import and the audit log only to those who may use them, and marks the current section")
    func navigation() {
        let t = Language.zh.strings
        let admin = Section.navigation(for: actor(.bureauAdmin), current: .cases, words: t)
        #expect(admin.map(\.link).contains(ConsolePath.audit.path) && admin.map(\.link).contains(ConsolePath.importFile.path))
        #expect(admin.filter(\.current).map(\.link) == [ConsolePath.cases.path])
        let hotline = Section.navigation(for: actor(.hotlineOperator), current: .dashboard, words: t)
        #expect(!hotline.map(\.link).contains(ConsolePath.audit.path) && !hotline.map(\.link).contains(ConsolePath.importFile.path))
        let officer = Section.navigation(for: actor(.streetOfficer), current: .dashboard, words: t)
        #expect(officer.map(\.link).contains(ConsolePath.importFile.path) && !officer.map(\.link).contains(ConsolePath.audit.path))
    }

    @Test("The overview counts by management mode and street office, and links each street office's compounds and map")
    func dashboard() {
        let compounds = [compound("A", mode: .abandoned, area: 1_500), compound("B", mode: .professional, area: 2_500),
                         compound("C", mode: .governmentFallback)]
        let page = DashboardPage(compounds: compounds, .zh)
        #expect(page.total == 3 && page.needCompany == 2 && page.totalArea == "14,000" && page.totalHouseholds == 300)
        #expect(page.byMode.first { $0.label == Labels.zh(ManagementMode.abandoned) }?.count == 1)
        #expect(page.byStreet.count == 1 && page.byStreet[0].total == 3 && page.byStreet[0].needCompany == 2)
        #expect(page.byStreet[0].compoundsLink == ConsolePath.compounds.with(["street": officeID.uuidString]))
    }

    @Test("A compound's file offers editing to its street officer, the audit link to the bureau, and neither to the hotline")
    func compoundPage() throws {
        let c = compound("QZ-001", mode: .abandoned)
        let officer = try CompoundPage(c, areas: [], map: "", actor: actor(.streetOfficer), .zh)
        #expect(officer.editLink == ConsolePath.editCompound(.value(c.id!)).path && officer.auditLink == nil)
        let admin = try CompoundPage(c, areas: [], map: "", actor: actor(.bureauAdmin), .en)
        #expect(admin.auditLink == ConsolePath.audit.with(["entityId": c.id!.uuidString]))
        #expect(admin.facts.contains { $0.label == "Households" && $0.value == "100" })
        let hotline = try CompoundPage(c, areas: [], map: "", actor: actor(.hotlineOperator), .zh)
        #expect(hotline.editLink == nil && hotline.auditLink == nil && hotline.company == nil)
    }

    @Test("The compound list pages by fifty and keeps the filters in its pager's links")
    func compoundList() throws {
        let params = ["q": "院", "kind": "estate", "page": "2"]
        let listed = compound("A", mode: .abandoned)
        let page = try CompoundListPage(items: [listed], total: 120, params: params, offices: [office],
                                        actor: actor(.bureauAdmin), .zh)
        #expect(page.pageNumber == 2 && page.pageCount == 3)
        #expect(page.prevLink == ConsolePath.compounds.with(["q": "院", "kind": "estate", "page": "1"]))
        #expect(page.nextLink == ConsolePath.compounds.with(["q": "院", "kind": "estate", "page": "3"]))
        #expect(page.rows.map(\.link) == [ConsolePath.compound(.value(listed.id!)).path])
        #expect(page.kindOptions.first { $0.selected }?.value == "estate")
        #expect(try CompoundListPage(items: [], total: 0, params: [:], offices: [], actor: actor(.hotlineOperator), .zh).canCreate == false)
    }

    @Test("The audit log links each record's own history and the next hundred entries while there are more")
    func audit() {
        let entry = AuditEntry()
        entry.id = UUID()
        entry.at = Date(timeIntervalSince1970: 1_764_000_000)
        entry.actorName = "admin"
        entry.action = "update"
        entry.entityType = "compound"
        let record = UUID()
        entry.entityID = record
        entry.before = nil
        entry.after = "{}"
        let page = AuditPage(entries: [entry], total: 250, offset: 100, entityId: "")
        #expect(page.entries[0].at == "2025-11-25 00:00:00")
        #expect(page.entries[0].entityLink == ConsolePath.audit.with(["entityId": record.uuidString]))
        #expect(page.nextLink == ConsolePath.audit.with(["offset": "200"]))
        #expect(AuditPage(entries: [], total: 250, offset: 200, entityId: "").nextLink == nil)
    }

    @Test("The ledger's pager keeps the filters; its attention counts link to their open cases")
    func ledger() throws {
        var filters = Dictionary(uniqueKeysWithValues: LedgerPage.filterKeys.map { ($0, "") })
        filters["colour"] = "red"
        let page = try LedgerPage(items: [], total: 120, offset: 50, filters: filters, attention: [("overdue", 4)], actor: actor(.streetOfficer),
                                  now: Date(), .zh)
        #expect(page.prev == ConsolePath.cases.with(["colour": "red", "offset": "0"]))
        #expect(page.next == ConsolePath.cases.with(["colour": "red", "offset": "100"]))
        #expect(page.attention?.first?.link == ConsolePath.cases.with(["open": "1", "overdue": "1"]))
        #expect(page.mayTakeIn && page.colours.first { $0.selected }?.value == "red")
        let company = try LedgerPage(items: [], total: 0, offset: 0, filters: filters, attention: nil, actor: actor(.companyStaff), now: Date(), .zh)
        #expect(!company.mayTakeIn && company.prev == nil && company.next == nil)
    }

    @Test("Exits: the bureau decides, a street office appoints; every form posts to its exit")
    func exits() throws {
        let company = Company()
        company.id = companyID
        company.name = "正一物业"
        let exit = ExitRecommendation()
        exit.id = UUID()
        exit.$company.id = companyID
        exit.$company.value = company
        exit.halfYearEnd = "2026-06-30"
        exit.basis = "D"
        exit.status = .pending
        exit.reason = nil
        exit.decidedBy = nil
        exit.endDate = nil
        let bureau = try ExitsPage(exits: [exit], contracts: [], links: [], providers: [], actor: actor(.bureauAdmin), today: "2026-07-01",
                                   errors: [], Language.zh.strings)
        #expect(bureau.mayDecide && bureau.exits[0].decideAction == ConsolePath.exitDecision(.value(exit.id!)).path)
        #expect(bureau.exits[0].companyLink == ConsolePath.company(.value(companyID)).path)
        let officer = try ExitsPage(exits: [], contracts: [], links: [], providers: [], actor: actor(.streetOfficer), today: "2026-07-01",
                                    errors: [], Language.zh.strings)
        #expect(!officer.mayDecide && officer.mayAppoint)
    }
}
