import Foundation
import Testing
@testable import YijuCore

/// The resources Policy decides beyond the registry: inspections, selection, exits, credit
/// and the case settings — each rule as the services used to check it inline.
@Suite("Access policy: inspections, selection, exits, credit, settings")
struct PolicyResourcesTests {
    let streetA = UUID(), streetB = UUID(), companyA = UUID(), companyB = UUID(), departmentA = UUID()

    func actor(_ role: Role) -> Actor {
        Actor(userID: UUID(), username: role.rawValue, role: role,
              streetOfficeID: [.streetOfficer, .gridWorker].contains(role) ? streetA : nil,
              departmentID: role == .departmentOfficer ? departmentA : nil,
              companyID: Policy.isCompanyRole(role) ? companyA : nil)
    }

    @Test("Inspections: the bureau anywhere, a street officer at home; companies and grid workers read their own")
    func inspections() {
        let home = Resource.inspection(streetOfficeID: streetA, companyID: companyB)
        let away = Resource.inspection(streetOfficeID: streetB, companyID: companyA)
        #expect(Policy.decide(actor(.bureauAdmin), .create, away) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .create, home) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .read, away) == .hide)
        #expect(Policy.decide(actor(.gridWorker), .read, home) == .allow)
        #expect(Policy.decide(actor(.gridWorker), .update, home) == .forbid)
        #expect(Policy.decide(actor(.companyStaff), .read, away) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, home) == .hide)
        #expect(Policy.decide(actor(.departmentOfficer), .read, home) == .hide)
        #expect(Policy.inspectionScope(actor(.hotlineOperator)) == .nothing)
        #expect(Policy.inspectionScope(actor(.companyStaff)) == .company(companyA))
        #expect(Policy.mayInspect(actor(.streetOfficer)) && !Policy.mayInspect(actor(.gridWorker)))
    }

    @Test("Checklists are the bureau's; a rectification report is the company's alone, not even the bureau's")
    func checklistsAndReports() {
        #expect(Policy.decide(actor(.streetOfficer), .read, .inspectionTemplate) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .inspectionTemplate) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, .inspectionTemplate) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .create, .rectificationReport(companyID: companyA)) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .create, .rectificationReport(companyID: companyB)) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .create, .rectificationReport(companyID: companyA)) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .read, .lookBack) == .allow)
        #expect(Policy.decide(actor(.gridWorker), .read, .lookBack) == .forbid)
        #expect(Policy.lookBackScope(actor(.streetOfficer)) == .streetOffice(streetA))
        #expect(Policy.lookBackScope(actor(.bureauAdmin)) == .district)
    }

    @Test("Tenders: organised by the bureau and the lot's street office; only the bureau awards")
    func tenders() {
        #expect(Policy.decide(actor(.streetOfficer), .update, .tender(streetOfficeID: streetA)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .tender(streetOfficeID: streetB)) == .forbid)
        #expect(Policy.decide(actor(.companyStaff), .read, .tender(streetOfficeID: streetB)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .tenderAward) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, .tenderAward) == .allow)
    }

    @Test("Bids are sealed until the deadline for everyone but their company, the bureau included")
    func sealedBids() {
        let ownSealed = Resource.bid(streetOfficeID: streetA, companyID: companyA, sealed: true)
        let otherSealed = Resource.bid(streetOfficeID: streetA, companyID: companyB, sealed: true)
        let otherOpened = Resource.bid(streetOfficeID: streetA, companyID: companyB, sealed: false)
        #expect(Policy.decide(actor(.companyStaff), .read, ownSealed) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, otherSealed) == .hide)
        #expect(Policy.decide(actor(.bureauAdmin), .read, otherSealed) == .hide)
        #expect(Policy.decide(actor(.streetOfficer), .read, otherSealed) == .hide)
        #expect(Policy.decide(actor(.bureauAdmin), .read, otherOpened) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .read, otherOpened) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, otherOpened) == .hide)
        #expect(Policy.decide(actor(.companyStaff), .create, ownSealed) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .create, otherSealed) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .create, otherSealed) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, .tenderRanking(streetOfficeID: streetA, awarded: false)) == .hide)
        #expect(Policy.decide(actor(.companyStaff), .read, .tenderRanking(streetOfficeID: streetA, awarded: true)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .read, .tenderRanking(streetOfficeID: streetA, awarded: false)) == .allow)
    }

    @Test("Exits: the bureau decides; a street office sees the confirmed ones and appoints emergency providers at home")
    func exits() {
        #expect(Policy.decide(actor(.streetOfficer), .read, .exitRecommendation(confirmed: true)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .read, .exitRecommendation(confirmed: false)) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .update, .exitRecommendation(confirmed: true)) == .forbid)
        #expect(Policy.decide(actor(.companyStaff), .read, .exitRecommendation(confirmed: true)) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, .exitRecommendation(confirmed: false)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .create, .emergencyProvider) == .allow)
        #expect(Policy.decide(actor(.gridWorker), .create, .emergencyProvider) == .forbid)
        #expect(Policy.emergencyProviderScope(actor(.streetOfficer)) == .streetOffice(streetA))
        #expect(Policy.emergencyProviderScope(actor(.bureauAdmin)) == .district)
    }

    @Test("Credit: a company reads its own file only; street officers record complaints and commendations; the bureau sets the rules")
    func credit() {
        #expect(Policy.decide(actor(.companyStaff), .read, .creditFile(companyID: companyA)) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, .creditFile(companyID: companyB)) == .hide)
        #expect(Policy.decide(actor(.hotlineOperator), .read, .creditFile(companyID: companyB)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .create, .creditEntry(.verifiedComplaint)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .create, .creditEntry(.blacklistReport)) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .create, .creditEntry(.blacklistReport)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .creditRules) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .read, .creditRules) == .allow)
        #expect(Policy.caseCreditEventScope(actor(.companyStaff)) == .company(companyA))
        #expect(Policy.caseCreditEventScope(actor(.streetOfficer)) == .nothing)
        #expect(Policy.decide(actor(.hotlineOperator), .update, .caseSettings) == .forbid)
    }

    @Test("Cases: the ledger's scope per role, who watches what needs attention, and each role's intake channels")
    func cases() {
        #expect(CasePolicy.ledgerScope(actor(.hotlineOperator)) == .district)
        #expect(CasePolicy.ledgerScope(actor(.gridWorker)) == .streetOffice(streetA))
        #expect(CasePolicy.ledgerScope(actor(.departmentOfficer)) == .department(departmentA))
        #expect(CasePolicy.watchesAttention(actor(.streetOfficer)) && !CasePolicy.watchesAttention(actor(.hotlineOperator)))
        #expect(CasePolicy.intakeChannels(actor(.gridWorker)) == [.gridPatrol])
        #expect(CasePolicy.intakeChannels(actor(.streetOfficer)).first == .reception)
        #expect(CasePolicy.intakeChannels(actor(.hotlineOperator)) == [.hotline, .petition, .media, .reception, .webForm])
        #expect(CasePolicy.intakeChannels(actor(.companyStaff)).isEmpty)
    }

    @Test("Renovation: a street office runs its own projects, the bureau any; grid workers, departments and the hotline read; a company its engagements")
    func renovation() {
        let home = Resource.renovationProject(streetOfficeID: streetA, contractorIDs: [companyA])
        let away = Resource.renovationProject(streetOfficeID: streetB, contractorIDs: [])
        #expect(Policy.decide(actor(.streetOfficer), .update, home) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .delete, home) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .read, away) == .hide)
        #expect(Policy.decide(actor(.gridWorker), .read, home) == .allow)
        #expect(Policy.decide(actor(.gridWorker), .update, home) == .forbid)
        #expect(Policy.decide(actor(.departmentOfficer), .read, away) == .allow)
        #expect(Policy.decide(actor(.hotlineOperator), .create, away) == .forbid)
        #expect(Policy.decide(actor(.companyStaff), .read, home) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, away) == .hide)
        #expect(Policy.decide(actor(.companyStaff), .update, home) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, away) == .allow)
        #expect(Policy.renovationScope(actor(.gridWorker)) == .streetOffice(streetA))
        #expect(Policy.renovationScope(actor(.companyStaff)) == .company(companyA))
        #expect(Policy.renovationScope(actor(.hotlineOperator)) == .district)
        #expect(Policy.mayPlanRenovation(actor(.streetOfficer)) && !Policy.mayPlanRenovation(actor(.gridWorker)))
        #expect(Policy.decide(actor(.streetOfficer), .read, .renovationSettings) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .renovationSettings) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, .renovationSettings) == .allow)
    }

    @Test("Contractor staff (参建单位): their company's projects, file, cases and site inspections; no compounds, bids, intake or zoning")
    func contractors() {
        let contractor = actor(.contractorStaff)
        let engaged = Resource.renovationProject(streetOfficeID: streetA, contractorIDs: [companyA])
        #expect(Policy.decide(contractor, .read, engaged) == .allow)
        #expect(Policy.decide(contractor, .update, engaged) == .forbid)
        #expect(Policy.decide(contractor, .read, .renovationProject(streetOfficeID: streetA, contractorIDs: [companyB])) == .hide)
        #expect(Policy.renovationScope(contractor) == .company(companyA))
        #expect(Policy.registryScope(contractor) == .nothing)
        #expect(Policy.decide(contractor, .read, .compound(streetOfficeID: streetA, companyID: nil)) == .hide)
        #expect(Policy.decide(contractor, .update, .company(id: companyA)) == .allow)
        #expect(Policy.decide(contractor, .update, .company(id: companyB)) == .forbid)
        #expect(Policy.decide(contractor, .read, .creditFile(companyID: companyA)) == .allow)
        #expect(Policy.decide(contractor, .read, .creditFile(companyID: companyB)) == .hide)
        #expect(Policy.decide(contractor, .create, .bid(streetOfficeID: streetA, companyID: companyA, sealed: true)) == .forbid)
        #expect(Policy.decide(contractor, .read, .zoningPlan(streetOfficeID: streetA, adopted: true)) == .hide)
        #expect(Policy.inspectionScope(contractor) == .company(companyA))
        #expect(CasePolicy.ledgerScope(contractor) == .company(companyA))
        #expect(CasePolicy.intakeChannels(contractor).isEmpty)
        let routed = CaseScope(streetOfficeID: streetA, handler: .company, handlerCompanyID: companyA, handlerDepartmentID: nil)
        #expect(CasePolicy.mayRead(contractor, routed) && CasePolicy.may(contractor, .accept, routed))
        #expect(!CasePolicy.mayRead(contractor, CaseScope(streetOfficeID: streetA, handler: .company, handlerCompanyID: companyB, handlerDepartmentID: nil)))
        #expect(Role.contractorStaff.requiredScope == .company)
    }

    @Test("The site diary: read with the project; written by the builder's staff alone, not the supervisor, the street officer or the bureau")
    func siteDiary() {
        let diary = Resource.siteDiary(streetOfficeID: streetA, contractorIDs: [companyA, companyB], builderID: companyA)
        #expect(Policy.decide(actor(.contractorStaff), .update, diary) == .allow)
        #expect(Policy.decide(actor(.contractorStaff), .delete, diary) == .forbid)
        var supervisor = actor(.contractorStaff)
        supervisor.companyID = companyB
        #expect(Policy.decide(supervisor, .read, diary) == .allow)
        #expect(Policy.decide(supervisor, .update, diary) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .read, diary) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, diary) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .update, diary) == .forbid)
        // A property company engaged by id (it cannot be, but Policy does not rely on it) is not a builder.
        #expect(Policy.decide(actor(.companyStaff), .update, diary) == .forbid)
        #expect(Policy.decide(actor(.contractorStaff), .update, .siteDiary(streetOfficeID: streetA, contractorIDs: [companyA], builderID: nil)) == .forbid)
        #expect(Policy.decide(actor(.contractorStaff), .read, .siteDiary(streetOfficeID: streetA, contractorIDs: [companyB], builderID: companyB)) == .hide)
        #expect(Policy.decide(actor(.streetOfficer), .read, .siteDiary(streetOfficeID: streetB, contractorIDs: [], builderID: nil)) == .hide)
    }

    @Test("Renovation grids: a member reads the grid's projects whatever their scope and records the fieldwork, never the plan; the grid is its street office's to edit")
    func renovationGrids() {
        let company = actor(.companyStaff), worker = actor(.gridWorker), officer = actor(.streetOfficer)
        let members: Set<UUID> = [company.userID, worker.userID]
        let project = Resource.renovationProject(streetOfficeID: streetB, contractorIDs: [], gridMemberIDs: members)
        let fieldwork = Resource.renovationFieldwork(streetOfficeID: streetB, contractorIDs: [], gridMemberIDs: members)
        #expect(Policy.decide(company, .read, project) == .allow)
        #expect(Policy.decide(company, .update, project) == .forbid)
        #expect(Policy.decide(company, .create, fieldwork) == .allow)
        #expect(Policy.decide(company, .update, fieldwork) == .forbid)
        #expect(Policy.decide(actor(.contractorStaff), .read, project) == .hide)
        #expect(Policy.decide(actor(.contractorStaff), .create, fieldwork) == .hide)
        // Without a seat a grid worker reads their street office's projects but records nothing.
        let home = Resource.renovationFieldwork(streetOfficeID: streetA, contractorIDs: [], gridMemberIDs: [])
        #expect(Policy.decide(worker, .create, home) == .forbid)
        #expect(Policy.decide(officer, .create, home) == .allow)
        #expect(Policy.decide(officer, .create, fieldwork) == .hide)
        #expect(Policy.decide(company, .read, .siteDiary(streetOfficeID: streetB, contractorIDs: [], builderID: nil, gridMemberIDs: members)) == .allow)

        let grid = Resource.renovationGrid(streetOfficeID: streetA, memberIDs: [company.userID])
        #expect(Policy.decide(officer, .update, grid) == .allow)
        #expect(Policy.decide(officer, .delete, grid) == .forbid)
        #expect(Policy.decide(worker, .read, grid) == .allow)
        #expect(Policy.decide(worker, .update, grid) == .forbid)
        #expect(Policy.decide(company, .read, grid) == .allow)
        #expect(Policy.decide(company, .update, grid) == .forbid)
        #expect(Policy.decide(actor(.contractorStaff), .read, grid) == .hide)
        #expect(Policy.decide(actor(.hotlineOperator), .read, grid) == .allow)
        #expect(Policy.decide(officer, .read, .renovationGrid(streetOfficeID: streetB, memberIDs: [])) == .hide)
        #expect(Policy.decide(actor(.bureauAdmin), .create, .renovationGrid(streetOfficeID: streetB, memberIDs: [])) == .allow)
    }
}
