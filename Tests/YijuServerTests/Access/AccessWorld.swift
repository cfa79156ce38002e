import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import YijuCore
@testable import YijuServer

/// The demo district as the access matrix sees it: the records each operation is tried on
/// (all in 七政街道, so that its officer and another street office's answer differently),
/// the callers, and what Policy says about each record now.
///
/// Resources are read from the database at the moment a cell is tried, not once: an allowed
/// write earlier in the run (a plan adopted, a company engaged) changes who may see what,
/// and the expectation must follow it as the server does.
struct AccessWorld {
    let app: Application
    let qz: UUID
    let otherOffice: UUID
    let community: UUID
    let compound: Compound
    let barrier: UUID
    let department: UUID
    let company: UUID
    let plan: ZoningPlanRecord
    let caseRecord: CaseRecord
    let tender: Tender
    let bid: TenderBid?
    let exit: ExitRecommendation?
    let inspection: InspectionRecord
    let order: RectificationOrder?
    let project: RenovationProject
    let document: RenovationDocument?
    let grid: RenovationGrid
    let token: UserToken
    let template: UUID
    /// The last day of the project's site diary, if it has one.
    let diaryDay: String?

    /// A caller: a demo user, or one made here in another scope of the same role.
    struct Caller: Sendable {
        let name: String
        let actor: Actor?
        let token: String?
    }

    static func load(_ app: Application) async throws -> AccessWorld {
        let db = app.db
        let qz = try await app.streetOffice(code: "QZ").requireID()
        let zhengyi = try #require(try await User.query(on: db).filter(\.$username == "zhengyi").first())
        let gongre = try #require(try await User.query(on: db).filter(\.$username == "gongre").first())
        let company = try #require(zhengyi.$company.id)
        let qizheng = try #require(try await User.query(on: db).filter(\.$username == "qizheng").first())
        let compounds = try await Compound.query(on: db).filter(\.$streetOffice.$id == qz).all()
        let compound = try #require(compounds.first { $0.$company.id == company } ?? compounds.first)
        let cases = try await CaseRecord.query(on: db).filter(\.$streetOffice.$id == qz).all()
        let caseRecord = try #require(cases.first { $0.$handlerCompany.id == company && $0.state != .closed } ?? cases.first)
        // The demo's adopted plan (read by departments and companies too), wherever it is; the
        // other street office is that plan's, so that its officer is "own" for the plan and
        // "another street office" for everything in 七政.
        let plans = try await ZoningPlanRecord.query(on: db).sort(\.$version).all()
        let plan = try #require(plans.first { $0.status == .adopted && $0.$streetOffice.id != qz } ?? plans.first { $0.$streetOffice.id != qz })
        let other = plan.$streetOffice.id
        let tenders = try await Tender.query(on: db).with(\.$lot).all()
        let tender = try #require(tenders.first { $0.lot.$streetOffice.id == qz } ?? tenders.first)
        let inspections = try await InspectionRecord.query(on: db).filter(\.$streetOffice.$id == qz).all()
        let inspection = try #require(inspections.first { $0.$company.id == company } ?? inspections.first)
        let project = try #require(try await RenovationProject.query(on: db).filter(\.$streetOffice.$id == qz).first())
        let grid = try #require(try await RenovationGrid.query(on: db).filter(\.$streetOffice.$id == qz).first())
        let community = try #require(try await Community.query(on: db).filter(\.$streetOffice.$id == qz).first()).requireID()
        // A token of the street officer's: its owner and the bureau may revoke it.
        _ = try await Credentials(app: app).issueToken(for: qizheng, label: "matrix")
        let token = try #require(try await UserToken.query(on: db).filter(\.$user.$id == qizheng.requireID()).first())
        return AccessWorld(
            app: app, qz: qz, otherOffice: other, community: community, compound: compound,
            barrier: try #require(try await Barrier.query(on: db).first()).requireID(),
            department: try #require(gongre.$department.id), company: company, plan: plan, caseRecord: caseRecord, tender: tender,
            bid: try await TenderBid.query(on: db).filter(\.$tender.$id == tender.requireID()).first(),
            exit: try await ExitRecommendation.query(on: db).first(), inspection: inspection,
            order: try await RectificationOrder.query(on: db).filter(\.$inspection.$id == inspection.requireID()).first(),
            project: project, document: try await RenovationDocument.query(on: db).filter(\.$project.$id == project.requireID()).first(),
            grid: grid, token: token,
            template: try #require(try await InspectionTemplate.query(on: db).first()).requireID(),
            diaryDay: try await SiteDiaryRecord.query(on: db).filter(\.$project.$id == project.requireID()).sort(\.$day, .descending).first()?.day)
    }

    /// The demo's users of every role, a user of each scoped role in another street office,
    /// company or department, and no one.
    func callers() async throws -> [Caller] {
        var callers: [Caller] = []
        for username in ["admin", "qizheng", "wangge", "gongre", "zhengyi", "rexian", "shigong"] {
            let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
            callers.append(Caller(name: username, actor: user.actor, token: try await app.token(username)))
        }
        let otherCompany = try #require(try await Company.query(on: app.db).filter(\.$id != company).filter(\.$kind == .property).first()).requireID()
        let otherContractor = try await Company.query(on: app.db).filter(\.$kind != .property).all()
            .first { $0.id != callers.last?.actor?.companyID }?.requireID()
        let otherDepartment = try #require(try await Department.query(on: app.db).filter(\.$id != department).first()).requireID()
        let others: [(String, Role, UUID?, UUID?, UUID?)] = [
            ("other-officer", .streetOfficer, otherOffice, nil, nil), ("other-grid", .gridWorker, otherOffice, nil, nil),
            ("other-department", .departmentOfficer, nil, otherDepartment, nil), ("other-company", .companyStaff, nil, nil, otherCompany),
            ("other-contractor", .contractorStaff, nil, nil, otherContractor),
        ]
        for (name, role, office, department, company) in others {
            let user = User()
            user.username = "matrix-\(name)"
            user.displayName = name
            user.passwordHash = try Bcrypt.hash("matrix-\(UUID())", cost: 4)
            user.role = role
            user.$streetOffice.id = office
            user.$department.id = department
            user.$company.id = company
            try await user.save(on: app.db)
            callers.append(Caller(name: name, actor: user.actor, token: try await Credentials(app: app).issueToken(for: user, label: "matrix")))
        }
        callers.append(Caller(name: "no token", actor: nil, token: nil))
        return callers
    }

    // MARK: Resources as they are now

    func compoundResource() async throws -> Resource {
        let now = try #require(try await Compound.find(compound.requireID(), on: app.db))
        return .compound(streetOfficeID: now.$streetOffice.id, companyID: now.$company.id)
    }

    func planResource() async throws -> Resource {
        let now = try #require(try await ZoningPlanRecord.find(plan.requireID(), on: app.db))
        return .zoningPlan(streetOfficeID: now.$streetOffice.id, adopted: now.status == .adopted)
    }

    func caseScope() async throws -> CaseScope {
        let now = try #require(try await CaseRecord.find(caseRecord.requireID(), on: app.db))
        let summons = try await CaseSummons.query(on: app.db).filter(\.$caseRecord.$id == now.requireID()).all()
        return CaseService.scope(now, summons)
    }

    func projectParties() async throws -> (contractors: Set<UUID>, builder: UUID?, members: Set<UUID>) {
        let id = try project.requireID()
        let engagements = try await RenovationEngagement.query(on: app.db).filter(\.$project.$id == id).all()
        let grids = try await RenovationGridProject.query(on: app.db).filter(\.$project.$id == id).all().map { $0.$grid.id }
        let members = try await RenovationGridMember.query(on: app.db).filter(\.$grid.$id ~~ grids).all().compactMap { $0.$user.id }
        return (Set(engagements.map(\.$company.id)), engagements.first { $0.role == .construction }?.$company.id, Set(members))
    }

    func projectResource() async throws -> Resource {
        let parties = try await projectParties()
        return .renovationProject(streetOfficeID: project.$streetOffice.id, contractorIDs: parties.contractors, gridMemberIDs: parties.members)
    }

    func gridResource() async throws -> Resource {
        let members = try await RenovationGridMember.query(on: app.db).filter(\.$grid.$id == grid.requireID()).all().compactMap { $0.$user.id }
        return .renovationGrid(streetOfficeID: grid.$streetOffice.id, memberIDs: Set(members))
    }

    func inspectionResource() async throws -> Resource {
        .inspection(streetOfficeID: inspection.$streetOffice.id, companyID: inspection.$company.id)
    }

    /// The ids a generated body fills in, by field name.
    var bodyIDs: [String: String] {
        get throws {
            [
                "streetOfficeId": qz.uuidString, "communityId": community.uuidString, "compoundId": try compound.requireID().uuidString,
                "compoundIds": try compound.requireID().uuidString, "departmentId": department.uuidString,
                "departmentIds": department.uuidString, "companyId": company.uuidString, "departments": department.uuidString,
                "lotId": tender.$lot.id.uuidString, "templateId": template.uuidString,
            ]
        }
    }

    /// What the affected record holds, to show that a refused write left it alone.
    func digest(_ record: (table: String, id: UUID)?) async throws -> String? {
        guard let (table, id) = record else { return nil }
        let sql = try #require(app.db as? any SQLDatabase)
        if sql.dialect.name == "sqlite" {
            let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
            let quoted = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
            return try await sql.raw("SELECT \(unsafeRaw: quoted) AS d FROM \(ident: table) WHERE id = \(bind: id)").first()?.decode(column: "d", as: String.self) ?? "absent"
        }
        return try await sql.raw("SELECT row_to_json(t)::text AS d FROM \(ident: table) t WHERE id = \(bind: id)").first()?.decode(column: "d", as: String.self) ?? "absent"
    }
}
