import Foundation
import Vapor
import YijuCore
@testable import YijuServer

/// One operation of openapi.yaml tried on one of the matrix's records, with what Policy
/// says each caller may do there. The rule is Policy's own decision for the record as it is
/// now (allowed, 403 when the record may be known, 404 when it may not), so the matrix is
/// data derived from the rules, not a second copy of them.
struct AccessProbe: Sendable {
    typealias Rule = @Sendable (Actor, AccessWorld) async throws -> Policy.Decision
    enum Body: Sendable {
        /// The smallest body the document accepts (`AccessExampleBody`).
        case generated
        /// That body with these fields set (or, for null, left out), where a rule beyond the
        /// schema needs a real value: a position inside China, a year matching the path.
        case generatedWith([String: JSONValue])
        case json(String)
        case raw(Data, contentType: String)
    }

    let operation: String
    /// Under /api/v1, with the record's id in it.
    let path: String
    var body: Body = .generated
    /// The row a refused write must leave as it was.
    var record: (table: String, id: UUID)?
    /// The probe names a record that does not exist (a photo): those allowed get 404 as well.
    var absent = false
    /// Open to everyone, logged in or not.
    var isPublic = false
    /// How a record the caller may not see answers: 404 when the path names it; 422 on the
    /// field when the body does, as if it did not exist ("no such compound").
    var hiddenAs: HTTPStatus = .notFound
    let rule: Rule

    /// Everyone logged in: a list scoped to the caller, or the district's public chart.
    static let everyone: Rule = { _, _ in .allow }

    /// Policy's decision about the resource as the world holds it now.
    static func policy(_ action: Action, _ resource: @escaping @Sendable (AccessWorld) async throws -> Resource) -> Rule {
        { actor, world in Policy.decide(actor, action, try await resource(world)) }
    }

    static func policy(_ action: Action, _ resource: Resource) -> Rule {
        { actor, _ in Policy.decide(actor, action, resource) }
    }

    /// A role question Policy answers with yes or no: no is 403.
    static func allowedIf(_ question: @escaping @Sendable (Actor) -> Bool) -> Rule {
        { actor, _ in question(actor) ? .allow : .forbid }
    }

    /// A case: not read is 404, read but not the step's party is 403.
    static func caseStep(_ action: CaseAction) -> Rule {
        { actor, world in
            let scope = try await world.caseScope()
            guard CasePolicy.mayRead(actor, scope) else { return .hide }
            return CasePolicy.may(actor, action, scope) ? .allow : .forbid
        }
    }

    /// A list whose scope Policy gives: `.nothing` refuses it (403), any other scope is read.
    static func scoped(_ scope: @escaping @Sendable (Actor) -> Scope) -> Rule {
        { actor, _ in scope(actor) == .nothing ? .forbid : .allow }
    }

    /// An upload the photo and document operations take: a PNG's signature and a few bytes.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 3, count: 64))

    static let readsCase: Rule = { actor, world in CasePolicy.mayRead(actor, try await world.caseScope()) ? .allow : .hide }
}

extension AccessWorld {
    var probes: [AccessProbe] {
        get throws { try registryProbes + zoningProbes + caseProbes + creditProbes + selectionProbes + inspectionProbes + renovationProbes + publicProbes }
    }

    private var registryProbes: [AccessProbe] {
        get throws {
            let compoundID = try compound.requireID()
            let csv = Data("code,name,street_office,community,address,households,buildings\n".utf8)
            return [
                .init(operation: "getMe", path: "/me", rule: AccessProbe.everyone),
                .init(operation: "listStreetOffices", path: "/street-offices", rule: AccessProbe.everyone),
                .init(operation: "createStreetOffice", path: "/street-offices", rule: AccessProbe.policy(.create, .streetOffice(id: UUID()))),
                .init(operation: "getStreetOffice", path: "/street-offices/\(qz)", rule: AccessProbe.policy(.read, .streetOffice(id: qz))),
                .init(operation: "updateStreetOffice", path: "/street-offices/\(qz)", record: ("street_offices", qz), rule: AccessProbe.policy(.update, .streetOffice(id: qz))),
                .init(operation: "listCommunities", path: "/communities", rule: AccessProbe.everyone),
                .init(operation: "createCommunity", path: "/communities", rule: AccessProbe.policy(.create, .community(streetOfficeID: qz))),
                .init(operation: "updateCommunity", path: "/communities/\(community)", record: ("communities", community),
                      rule: AccessProbe.policy(.update, .community(streetOfficeID: qz))),
                .init(operation: "listCompounds", path: "/compounds", rule: AccessProbe.everyone),
                .init(operation: "createCompound", path: "/compounds", body: .generatedWith(["code": .string("MX-001"), "location": .array([.number(126.6), .number(45.75)]), "companyId": .null]),
                      rule: AccessProbe.policy(.create, .compound(streetOfficeID: qz, companyID: nil))),
                .init(operation: "getCompound", path: "/compounds/\(compoundID)", rule: AccessProbe.policy(.read) { try await $0.compoundResource() }),
                .init(operation: "updateCompound", path: "/compounds/\(compoundID)", record: ("compounds", compoundID),
                      rule: AccessProbe.policy(.update) { try await $0.compoundResource() }),
                .init(operation: "importCompounds", path: "/compounds/import", body: .raw(csv, contentType: "text/csv"), rule: AccessProbe.allowedIf(Policy.mayImport)),
                .init(operation: "exportCompounds", path: "/compounds/export", rule: AccessProbe.everyone),
                .init(operation: "getCompoundFacilities", path: "/compounds/\(compoundID)/facilities", rule: AccessProbe.policy(.read) { try await $0.compoundResource() }),
                .init(operation: "saveCompoundFacilities", path: "/compounds/\(compoundID)/facilities", rule: AccessProbe.policy(.update) { try await $0.compoundResource() }),
                .init(operation: "getCompoundGovernance", path: "/compounds/\(compoundID)/governance", rule: AccessProbe.policy(.read) { try await $0.compoundResource() }),
                .init(operation: "saveCompoundGovernance", path: "/compounds/\(compoundID)/governance", rule: AccessProbe.policy(.update) { try await $0.compoundResource() }),
                .init(operation: "listBarriers", path: "/barriers", rule: AccessProbe.everyone),
                .init(operation: "createBarrier", path: "/barriers", rule: AccessProbe.policy(.create, .barrier)),
                .init(operation: "updateBarrier", path: "/barriers/\(barrier)", record: ("barriers", barrier), rule: AccessProbe.policy(.update, .barrier)),
                .init(operation: "deleteBarrier", path: "/barriers/\(barrier)", record: ("barriers", barrier), rule: AccessProbe.policy(.delete, .barrier)),
                .init(operation: "listDepartments", path: "/departments", rule: AccessProbe.everyone),
                .init(operation: "createDepartment", path: "/departments", rule: AccessProbe.policy(.create, .department(id: UUID()))),
                .init(operation: "updateDepartment", path: "/departments/\(department)", record: ("departments", department),
                      rule: AccessProbe.policy(.update, .department(id: department))),
                .init(operation: "listCompanies", path: "/companies", rule: AccessProbe.everyone),
                .init(operation: "createCompany", path: "/companies", rule: AccessProbe.policy(.create, .company(id: UUID()))),
                .init(operation: "getCompany", path: "/companies/\(company)", rule: AccessProbe.policy(.read, .company(id: company))),
                .init(operation: "updateCompany", path: "/companies/\(company)", record: ("companies", company), rule: AccessProbe.policy(.update, .company(id: company))),
                .init(operation: "getMap", path: "/map.svg", rule: AccessProbe.everyone),
                .init(operation: "listAudit", path: "/audit", rule: AccessProbe.policy(.read, .auditLog)),
                .init(operation: "listUsers", path: "/users", rule: AccessProbe.policy(.read, .users)),
                .init(operation: "createUser", path: "/users", rule: AccessProbe.policy(.create, .users)),
                .init(operation: "listTokens", path: "/tokens", rule: AccessProbe.everyone),
                .init(operation: "revokeToken", path: "/tokens/\(try token.requireID())", record: ("user_tokens", try token.requireID()),
                      rule: AccessProbe.policy(.delete, .apiToken(ownerID: token.$user.id))),
            ]
        }
    }

    private var zoningProbes: [AccessProbe] {
        get throws {
            let id = try plan.requireID()
            let read = AccessProbe.policy(.read) { try await $0.planResource() }
            let update = AccessProbe.policy(.update) { try await $0.planResource() }
            func write(_ operation: String, _ tail: String) -> AccessProbe {
                .init(operation: operation, path: "/zoning-plans/\(id)/\(tail)", record: ("zoning_plans", id), rule: update)
            }
            return [
                // A street office's plans are listed to those who read its adopted plans.
                .init(operation: "listZoningPlans", path: "/street-offices/\(qz)/zoning-plans", rule: AccessProbe.policy(.read, .zoningPlan(streetOfficeID: qz, adopted: true))),
                .init(operation: "createZoningPlan", path: "/street-offices/\(qz)/zoning-plans", rule: AccessProbe.policy(.create, .zoningPlan(streetOfficeID: qz, adopted: false))),
                .init(operation: "getZoningPlan", path: "/zoning-plans/\(id)", rule: read),
                .init(operation: "getZoningPlanGeoJSON", path: "/zoning-plans/\(id)/geojson", rule: read),
                .init(operation: "listZoningComments", path: "/zoning-plans/\(id)/comments", rule: read),
                // Objections carry residents' names and phones: read by those who run the plan's notice.
                .init(operation: "listZoningObjections", path: "/zoning-plans/\(id)/objections", rule: update),
                .init(operation: "compareZoningPlans", path: "/zoning-plans/\(id)/compare?other=\(id)", rule: read),
                .init(operation: "getZoningPlanCSV", path: "/zoning-plans/\(id)/csv", rule: read),
                .init(operation: "getZoningPlanNotice", path: "/zoning-plans/\(id)/notice", rule: read),
                write("editZoningPlan", "edits"), write("undoZoningPlan", "undo"), write("redoZoningPlan", "redo"),
                write("copyZoningPlan", "versions"), write("publishZoningPlan", "publish"), write("withdrawZoningPlan", "withdraw"),
                write("adoptZoningPlan", "adopt"), write("retireZoningPlan", "retire"), write("addZoningComment", "comments"),
                .init(operation: "listManagementAreas", path: "/management-areas", rule: AccessProbe.everyone),
                .init(operation: "listTenderLots", path: "/tender-lots", rule: AccessProbe.everyone),
            ]
        }
    }

    private var caseProbes: [AccessProbe] {
        get throws {
            let id = try caseRecord.requireID()
            return [
                .init(operation: "listCases", path: "/cases", rule: AccessProbe.everyone),
                .init(operation: "createCase", path: "/cases", body: .generatedWith(["externalNumber": .string("MX-0001")]), rule: { actor, world in
                    CasePolicy.mayTakeIn(actor, channel: .hotline, streetOfficeID: world.compound.$streetOffice.id) ? .allow : .forbid
                }),
                .init(operation: "exportCases", path: "/cases/export", rule: AccessProbe.everyone),
                .init(operation: "getCaseFigures", path: "/case-figures", rule: AccessProbe.everyone),
                .init(operation: "getCase", path: "/cases/\(id)", rule: AccessProbe.readsCase),
                .init(operation: "takeCaseStep", path: "/cases/\(id)/steps", body: .json(#"{"kind": "accept"}"#), record: ("cases", id),
                      rule: AccessProbe.caseStep(.accept)),
                .init(operation: "revealCasePhone", path: "/cases/\(id)/phone", rule: { actor, world in
                    let scope = try await world.caseScope()
                    guard CasePolicy.mayRead(actor, scope) else { return .hide }
                    return CasePolicy.mayRevealPhone(actor, scope) ? .allow : .forbid
                }),
                .init(operation: "addCasePhoto", path: "/cases/\(id)/photos", body: .raw(AccessProbe.png, contentType: "image/png"), rule: AccessProbe.readsCase),
                .init(operation: "getCasePhoto", path: "/cases/\(id)/photos/\(UUID())", absent: true, rule: AccessProbe.readsCase),
                .init(operation: "getCaseSettings", path: "/case-settings", rule: AccessProbe.policy(.read, .caseSettings)),
                .init(operation: "updateCaseSettings", path: "/case-settings", rule: AccessProbe.policy(.update, .caseSettings)),
                .init(operation: "getCalendarYear", path: "/calendar/2026", rule: AccessProbe.policy(.read, .caseSettings)),
                .init(operation: "replaceCalendarYear", path: "/calendar/2026", body: .json(#"{"year": 2026, "days": []}"#), rule: AccessProbe.policy(.update, .caseSettings)),
            ]
        }
    }

    private var creditProbes: [AccessProbe] {
        get throws {
            let exitID = exit?.id ?? UUID()
            return [
                .init(operation: "listCreditEvents", path: "/credit-events", rule: AccessProbe.scoped(Policy.caseCreditEventScope)),
                .init(operation: "getCompanyFile", path: "/companies/\(company)/file", rule: AccessProbe.policy(.read, .creditFile(companyID: company))),
                .init(operation: "getCompanyCredit", path: "/companies/\(company)/credit", rule: AccessProbe.policy(.read, .creditFile(companyID: company))),
                .init(operation: "recordCreditEvent", path: "/companies/\(company)/credit-events", body: .json(#"{"kind": "verifiedComplaint", "source": "矩阵检查"}"#),
                      rule: AccessProbe.policy(.create, .creditEntry(.verifiedComplaint))),
                .init(operation: "listExitRecommendations", path: "/exit-recommendations", rule: AccessProbe.policy(.read, .exitRecommendation(confirmed: true))),
                .init(operation: "decideExitRecommendation", path: "/exit-recommendations/\(exitID)/decision", record: ("exit_recommendations", exitID), absent: exit == nil,
                      rule: AccessProbe.policy(.update, .exitRecommendation(confirmed: false))),
                .init(operation: "appointEmergencyProvider", path: "/exit-recommendations/\(exitID)/emergency-providers", absent: exit == nil,
                      rule: AccessProbe.policy(.create, .emergencyProvider)),
                .init(operation: "getCreditRules", path: "/credit-rules", rule: AccessProbe.policy(.read, .creditRules)),
                .init(operation: "updateCreditRules", path: "/credit-rules", rule: AccessProbe.policy(.update, .creditRules)),
            ]
        }
    }

    private var selectionProbes: [AccessProbe] {
        get throws {
            let id = try tender.requireID()
            let office = tender.lot.$streetOffice.id
            let bidID = bid?.id ?? UUID()
            return [
                .init(operation: "listTenders", path: "/tenders", rule: AccessProbe.everyone),
                .init(operation: "openTender", path: "/tenders", rule: AccessProbe.policy(.create, .tender(streetOfficeID: office))),
                .init(operation: "getTender", path: "/tenders/\(id)", rule: AccessProbe.policy(.read, .tender(streetOfficeID: office))),
                .init(operation: "submitBid", path: "/tenders/\(id)/bids", rule: AccessProbe.policy(.create, .bid(streetOfficeID: office, companyID: company, sealed: true))),
                .init(operation: "scoreBid", path: "/tenders/\(id)/bids/\(bidID)/scores", record: ("tenders", id), absent: bid == nil,
                      rule: AccessProbe.policy(.update, .tender(streetOfficeID: office))),
                .init(operation: "awardTender", path: "/tenders/\(id)/award", record: ("tenders", id), rule: AccessProbe.policy(.create, .tenderAward)),
            ]
        }
    }

    private var inspectionProbes: [AccessProbe] {
        get throws {
            let id = try inspection.requireID()
            let orderID = order?.id ?? UUID()
            let read = AccessProbe.policy(.read) { try await $0.inspectionResource() }
            return [
                .init(operation: "listInspectionTemplates", path: "/inspection-templates", rule: AccessProbe.policy(.read, .inspectionTemplate)),
                .init(operation: "saveInspectionTemplate", path: "/inspection-templates", rule: AccessProbe.policy(.create, .inspectionTemplate)),
                .init(operation: "listInspections", path: "/inspections", rule: AccessProbe.scoped(Policy.inspectionScope)),
                // Refused as such (403) even where the caller may not read: InspectionService.
                .init(operation: "createInspection", path: "/inspections", rule: { actor, world in
                    Policy.allows(actor, .create, .inspection(streetOfficeID: world.compound.$streetOffice.id, companyID: world.compound.$company.id)) ? .allow : .forbid
                }),
                .init(operation: "getInspection", path: "/inspections/\(id)", rule: read),
                .init(operation: "addInspectionPhoto", path: "/inspections/\(id)/items/1/photos", body: .raw(AccessProbe.png, contentType: "image/png"),
                      rule: AccessProbe.policy(.update) { try await $0.inspectionResource() }),
                .init(operation: "getInspectionPhoto", path: "/inspections/\(id)/photos/\(UUID())", absent: true, rule: read),
                .init(operation: "listRectificationOrders", path: "/rectification-orders", rule: AccessProbe.scoped(Policy.inspectionScope)),
                .init(operation: "reportRectification", path: "/rectification-orders/\(orderID)/report", record: ("rectification_orders", orderID), absent: order == nil,
                      rule: AccessProbe.policy(.create, .rectificationReport(companyID: order?.$company.id))),
                .init(operation: "verifyRectification", path: "/rectification-orders/\(orderID)/verify", record: ("rectification_orders", orderID), absent: order == nil,
                      rule: AccessProbe.policy(.update) { try await $0.inspectionResource() }),
                .init(operation: "listLookBacks", path: "/look-backs", rule: AccessProbe.policy(.read, .lookBack)),
            ]
        }
    }

    private var renovationProbes: [AccessProbe] {
        get throws {
            let id = try project.requireID()
            let gridID = try grid.requireID()
            // A day of the diary's (a photo is added to a day written), or none.
            let today = diaryDay ?? "2026-11-30"
            let documentID = document?.id ?? UUID()
            let read = AccessProbe.policy(.read) { try await $0.projectResource() }
            let update = AccessProbe.policy(.update) { try await $0.projectResource() }
            let fieldwork: AccessProbe.Rule = { actor, world in
                let parties = try await world.projectParties()
                return Policy.decide(actor, .create, .renovationFieldwork(streetOfficeID: world.project.$streetOffice.id,
                                                                        contractorIDs: parties.contractors, gridMemberIDs: parties.members))
            }
            let diary: @Sendable (Action) -> AccessProbe.Rule = { action in
                { actor, world in
                    let parties = try await world.projectParties()
                    return Policy.decide(actor, action, .siteDiary(streetOfficeID: world.project.$streetOffice.id, contractorIDs: parties.contractors,
                                                                   builderID: parties.builder, gridMemberIDs: parties.members))
                }
            }
            func write(_ operation: String, _ tail: String, _ rule: @escaping AccessProbe.Rule) -> AccessProbe {
                .init(operation: operation, path: "/renovation-projects/\(id)/\(tail)", record: ("renovation_projects", id), rule: rule)
            }
            return [
                .init(operation: "getRenovationSettings", path: "/renovation/settings", rule: AccessProbe.policy(.read, .renovationSettings)),
                .init(operation: "updateRenovationSettings", path: "/renovation/settings", rule: AccessProbe.policy(.update, .renovationSettings)),
                .init(operation: "getRenovationFigures", path: "/renovation-figures", rule: AccessProbe.everyone),
                .init(operation: "listRenovationGrids", path: "/renovation-grids", rule: AccessProbe.everyone),
                .init(operation: "createRenovationGrid", path: "/renovation-grids", rule: AccessProbe.policy(.create, .renovationGrid(streetOfficeID: qz, memberIDs: []))),
                .init(operation: "getRenovationGrid", path: "/renovation-grids/\(gridID)", rule: AccessProbe.policy(.read) { try await $0.gridResource() }),
                .init(operation: "updateRenovationGrid", path: "/renovation-grids/\(gridID)", record: ("renovation_grids", gridID),
                      rule: AccessProbe.policy(.update) { try await $0.gridResource() }),
                .init(operation: "listRenovationProjects", path: "/renovation-projects", rule: AccessProbe.everyone),
                .init(operation: "createRenovationProject", path: "/renovation-projects", hiddenAs: .unprocessableEntity, rule: { actor, _ in
                    Policy.mayPlanRenovation(actor) ? Policy.decide(actor, .create, .renovationProject(streetOfficeID: qz, contractorIDs: [])) : .forbid
                }),
                .init(operation: "getRenovationProject", path: "/renovation-projects/\(id)", rule: read),
                write("updateRenovationPlan", "plan", update), write("setRenovationEngagements", "engagements", update),
                .init(operation: "getSiteDiary", path: "/renovation-projects/\(id)/diary", rule: diary(.read)),
                write("saveSiteDiaryDay", "diary/\(today)", diary(.update)),
                .init(operation: "addSiteDiaryPhoto", path: "/renovation-projects/\(id)/diary/\(today)/photos", body: .raw(AccessProbe.png, contentType: "image/png"),
                      absent: diaryDay == nil, rule: diary(.update)),
                .init(operation: "getSiteDiaryPhoto", path: "/renovation-projects/\(id)/diary-photos/\(UUID())", absent: true, rule: diary(.read)),
                .init(operation: "listRenovationDocuments", path: "/renovation-projects/\(id)/documents", rule: read),
                .init(operation: "publishRenovationDocument", path: "/renovation-projects/\(id)/documents?kind=visits&title=matrix",
                      body: .raw(AccessProbe.png, contentType: "image/png"), rule: update),
                .init(operation: "getRenovationDocument", path: "/renovation-projects/\(id)/documents/\(documentID)", absent: document == nil, rule: read),
                .init(operation: "withdrawRenovationDocument", path: "/renovation-projects/\(id)/documents/\(documentID)/withdrawal",
                      record: ("renovation_documents", documentID), absent: document == nil, rule: update),
                write("takeRenovationTransition", "transitions", update),
                .init(operation: "getRenovationConsultation", path: "/renovation-projects/\(id)/consultation", rule: read),
                write("recordRenovationVisit", "visits", fieldwork), write("recordRenovationMeeting", "meetings", fieldwork),
                write("recordRenovationOpinion", "opinions", fieldwork),
                .init(operation: "answerRenovationOpinion", path: "/renovation-projects/\(id)/opinions/\(UUID())/answer", absent: true, rule: update),
                write("recordRenovationRoundStep", "rounds/1", update), write("publishRenovationNotice", "notice", update),
                .init(operation: "getRenovationAcceptance", path: "/renovation-projects/\(id)/acceptance", rule: read),
                write("recordAcceptanceCheck", "acceptance/check", update), write("recordSurveyResponse", "acceptance/responses", update),
                write("issueSurveyCodes", "acceptance/codes", update), write("closeSurvey", "acceptance/close", update),
            ]
        }
    }

    /// Open to residents: the same answer with or without a token.
    private var publicProbes: [AccessProbe] {
        get throws {
            let plan = try plan.requireID()
            let project = try project.requireID()
            func open(_ operation: String, _ path: String, absent: Bool = false) -> AccessProbe {
                .init(operation: operation, path: path, absent: absent, isPublic: true, rule: AccessProbe.everyone)
            }
            return [
                .init(operation: "createToken", path: "/auth/token", body: .json(#"{"username": "rexian", "password": "\#(DemoLoader.demoPassword)"}"#),
                      isPublic: true, rule: AccessProbe.everyone),
                open("listPublicZoningPlans", "/public/zoning-plans"), // The plan is adopted, no longer under notice: not public (404), to everyone alike.
                open("getPublicZoningPlan", "/public/zoning-plans/\(plan)", absent: true),
                open("getPublicZoningPlanGeoJSON", "/public/zoning-plans/\(plan)/geojson", absent: true),
                open("fileZoningObjection", "/public/zoning-plans/\(plan)/objections", absent: true),
                open("listPublicCredit", "/public/credit"), open("listPublicTenders", "/public/tenders"),
                open("listPublicRenovationProjects", "/public/renovation-projects"), open("getPublicRenovationProject", "/public/renovation-projects/\(project)"),
                open("fileRenovationObjection", "/public/renovation-projects/\(project)/objections"),
                open("getPublicRenovationDocument", "/public/renovation-projects/\(project)/documents/\(UUID())", absent: true),
                open("answerPublicSurvey", "/public/survey-responses", absent: true), open("filePublicCase", "/public/cases"),
                open("lookUpPublicCase", "/public/cases/\(caseRecord.number)?phone=0000"),
            ]
        }
    }
}
