import Fluent
import Foundation
import YijuCore

/// Projects: planned from compounds (their gaps the draft scope), listed in the actor's
/// scope, re-planned while the residents are still being asked.
extension RenovationService {
    /// A compound a project takes, and optionally which of its buildings (numbered from 1).
    struct Coverage: Sendable {
        var compoundID: UUID
        var buildings: [Int]? = nil
    }

    /// A scope line as planned: a catalogue item on one of the project's compounds (or the whole project).
    struct PlannedItem: Sendable {
        var compoundID: UUID?
        var item: ScopeItem
    }

    struct Plan: Sendable {
        var name: String
        var budget: Int
        var funding: [Funding]
        /// Nil when creating: the compounds' gaps, uncosted, are the draft.
        var scope: [PlannedItem]?
        /// Nil: the households of the buildings covered.
        var households: Int?
        var plannedStart: String?
        var plannedFinish: String?
    }

    struct NewProject: Sendable {
        var code: String
        var year: Int
        var coverage: [Coverage]
        var plan: Plan
    }

    /// A project with what its pages show: its compounds, scope, the catalogue it was planned
    /// from, and the steps its status allows.
    struct ProjectFile: Sendable {
        var project: RenovationProject
        var compounds: [(coverage: RenovationProjectCompound, compound: Compound)]
        var scope: [RenovationScopeItem]
        var catalogue: WorkItemCatalogue
        var options: [TransitionOption]
        /// The contractors engaged (设计、施工、监理), their companies loaded, in the parts' order.
        var engagements: [RenovationEngagement]
        /// Tenders whose contract starts when this project completes, their contract and its
        /// company loaded once awarded.
        var handovers: [Tender] = []
        /// The users sitting on the renovation grids the project falls in.
        var gridMemberIDs: Set<UUID> = []

        var resource: Resource { RenovationService.resource(project, engagements, gridMemberIDs: gridMemberIDs) }
        /// Its consultation's fieldwork (visits, meetings, opinions), which grid members record too.
        var fieldwork: Resource {
            .renovationFieldwork(streetOfficeID: project.$streetOffice.id, contractorIDs: Set(engagements.map(\.$company.id)),
                                 gridMemberIDs: gridMemberIDs)
        }
        /// The construction company's engagement (施工单位): the diary's keeper, whom the site's
        /// orders and the works' cases reach.
        var builder: RenovationEngagement? { RenovationEngagement.byPart(engagements)[.construction] }
    }

    struct Filter: Sendable {
        var status: ProjectStatus? = nil
        var year: Int? = nil
        var streetOfficeID: UUID? = nil
        var compoundID: UUID? = nil
    }

    static let codeCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")

    func create(_ new: NewProject) async throws -> ProjectFile {
        guard Policy.mayPlanRenovation(actor) else { throw DomainError.forbidden }
        let code = new.code.trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        if !(2...32).contains(code.count) || !code.allSatisfy(Self.codeCharacters.contains) {
            errors.append(FieldError(field: "code", reason: "2 to 32 letters, digits and hyphens, e.g. QZ-2026-01"))
        }
        if !(2000...2100).contains(new.year) { errors.append(FieldError(field: "year", reason: "must be a year from 2000 to 2100")) }
        if new.coverage.isEmpty { errors.append(FieldError(field: "compounds", reason: "name at least one compound")) }
        if new.coverage.count > 100 { errors.append(FieldError(field: "compounds", reason: "at most 100 compounds")) }
        var compounds: [Compound] = []
        var seen = Set<UUID>()
        for (i, c) in new.coverage.enumerated() {
            guard seen.insert(c.compoundID).inserted else {
                errors.append(FieldError(field: "compounds[\(i)].compoundId", reason: "the compound is named twice"))
                continue
            }
            guard let compound = try await Compound.find(c.compoundID, on: db),
                  Policy.decide(actor, .read, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id)) == .allow else {
                errors.append(FieldError(field: "compounds[\(i)].compoundId", reason: "no such compound"))
                continue
            }
            if let buildings = c.buildings {
                if buildings.isEmpty || Set(buildings).count != buildings.count || buildings.contains(where: { !(1...max(compound.buildings, 1)).contains($0) }) {
                    errors.append(FieldError(field: "compounds[\(i)].buildings",
                                             reason: "list each building once, numbered 1 to \(compound.buildings)"))
                }
            }
            compounds.append(compound)
        }
        let offices = Set(compounds.map(\.$streetOffice.id))
        if offices.count > 1 { errors.append(FieldError(field: "compounds", reason: "a project's compounds are in one street office")) }
        guard errors.isEmpty, let office = offices.first else { throw DomainError.validation(errors) }
        try Policy.require(actor, .create, .renovationProject(streetOfficeID: office, contractorIDs: []), notFound: "street office")

        let current = try await RenovationSettingsStore.current(on: db)
        var plan = new.plan
        if plan.scope == nil {
            var draft: [PlannedItem] = []
            for compound in compounds {
                for gap in try await inventory(compound, on: db).gaps {
                    draft.append(PlannedItem(compoundID: try compound.requireID(), item: ScopeItem(item: gap.item, quantity: gap.quantity, cost: 0, note: gap.reason)))
                }
            }
            plan.scope = draft
        }
        let benefit = Self.benefit(new.coverage, compounds)
        errors += planProblems(plan, compounds: Set(seen), benefit: benefit, catalogue: current.settings.catalogue)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        if try await RenovationProject.query(on: db).filter(\.$code == code).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "project code \(code) is already taken",
                              fields: [FieldError(field: "code", reason: "\"\(code)\" is already taken")])
        }
        let id = UUID()
        let (chosen, finalPlan) = (compounds, plan)
        try await db.transaction { tx in
            try await requireNoOpenProject(chosen, on: tx)
            let project = RenovationProject()
            project.id = id
            project.code = code
            project.year = new.year
            project.$streetOffice.id = office
            project.status = .planned
            project.settingsVersion = current.version
            project.buildings = benefit.buildings
            project.createdBy = actor.username
            Self.apply(finalPlan, to: project, benefit: benefit)
            try await project.create(on: tx)
            for (compound, coverage) in zip(chosen, new.coverage) {
                let link = RenovationProjectCompound()
                link.$project.id = id
                link.$compound.id = try compound.requireID()
                link.buildingList = coverage.buildings.map { $0.sorted().map(String.init).joined(separator: ",") }
                link.priorRenovation = compound.renovation
                try await link.create(on: tx)
            }
            try await replaceScope(of: id, with: finalPlan.scope ?? [], on: tx)
            try await setRenovation(.planned, of: chosen, project: code, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationProject", entityID: id,
                                      after: try await auditSnapshot(id, on: tx), at: now)
        }
        return try await load(id)
    }

    /// A new plan (name, money, scope, schedule) while the project is planned or consulting:
    /// after approval the plan changes only through round 3's published rectifications.
    func updatePlan(_ id: UUID, _ plan: Plan) async throws -> ProjectFile {
        let file = try await load(id)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        guard [.planned, .consulting].contains(file.project.status) else {
            throw DomainError(.conflict, code: "plan_fixed", message: "the plan of a \(file.project.status.rawValue) project is fixed; changes during works are round 3's rectifications")
        }
        if try await snapshot(file.project).noticeStarted {
            throw DomainError(.conflict, code: "plan_fixed", message: "the final plan is under public notice (一公示) and no longer changes")
        }
        let benefit = Self.benefit(file.compounds.map { Coverage(compoundID: $0.coverage.$compound.id, buildings: Self.buildings($0.coverage)) },
                                   file.compounds.map(\.compound))
        var revised = plan
        if revised.scope == nil { revised.scope = file.scope.map { PlannedItem(compoundID: $0.$compound.id, item: ScopeItem(item: $0.item, quantity: $0.quantity, cost: $0.costFen, note: $0.note)) } }
        // A new plan is chosen from the catalogue in force, and records its version.
        let current = try await RenovationSettingsStore.current(on: db)
        let plan = revised
        let errors = planProblems(plan, compounds: Set(file.compounds.map(\.coverage.$compound.id)), benefit: benefit, catalogue: current.settings.catalogue)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        try await db.transaction { tx in
            guard let project = try await Self.hold(id, on: tx) else { throw DomainError.notFound("renovation project") }
            let before = try await auditSnapshot(id, on: tx)
            // Another officer may have moved the project or published its notice a moment ago.
            let standing = try await snapshot(project, on: tx)
            guard [.planned, .consulting].contains(standing.status), !standing.noticeStarted else {
                throw DomainError(.conflict, code: "plan_fixed", message: "the plan was fixed a moment ago (\(standing.status.rawValue))")
            }
            Self.apply(plan, to: project, benefit: benefit)
            project.settingsVersion = current.version
            try await project.update(on: tx)
            try await replaceScope(of: id, with: plan.scope ?? [], on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationProject", entityID: id,
                                      before: before, after: try await auditSnapshot(id, on: tx), at: now)
        }
        return try await load(id)
    }

    func list(_ filter: Filter) async throws -> [RenovationProject] {
        // The actor's scope, and the projects of the grids they sit on beside it.
        let gridProjects = try await gridProjectIDs()
        let query: QueryBuilder<RenovationProject>
        if let scoped = RenovationProject.query(on: db).scoped(to: Policy.renovationScope(actor), by: RenovationProject.scopeColumns) {
            if gridProjects.isEmpty {
                query = scoped
            } else {
                let ids = try await scoped.all(\.$id)
                query = RenovationProject.query(on: db).filter(\.$id ~~ gridProjects.union(ids))
            }
        } else if !gridProjects.isEmpty {
            query = RenovationProject.query(on: db).filter(\.$id ~~ gridProjects)
        } else {
            return []
        }
        if let status = filter.status { query.filter(\.$status == status) }
        if let year = filter.year { query.filter(\.$year == year) }
        if let office = filter.streetOfficeID { query.filter(\.$streetOffice.$id == office) }
        if let compound = filter.compoundID {
            let ids = try await RenovationProjectCompound.query(on: db).filter(\.$compound.$id == compound).all().map(\.$project.id)
            query.filter(\.$id ~~ ids)
        }
        return try await query.with(\.$streetOffice).sort(\.$year, .descending).sort(\.$code).all()
    }

    /// The project, if the actor may see it (404 otherwise).
    func load(_ id: UUID) async throws -> ProjectFile {
        guard let project = try await RenovationProject.query(on: db).filter(\.$id == id).with(\.$streetOffice).first() else {
            throw DomainError.notFound("renovation project")
        }
        let engagements = try await RenovationEngagement.of(project: id, on: db)
        let links = try await RenovationProjectCompound.query(on: db).filter(\.$project.$id == id).with(\.$compound).all()
        let members = try await Self.gridMemberIDs(ofProject: id, compounds: links.map(\.$compound.id), on: db)
        try Policy.require(actor, .read, Self.resource(project, engagements, gridMemberIDs: members), notFound: "renovation project")
        let scope = try await RenovationScopeItem.query(on: db).filter(\.$project.$id == id).sort(\.$position).all()
        // The plan is read against the catalogue it was chosen from.
        let catalogue = try await RenovationSettingsStore.pinned(project.settingsVersion, on: db).catalogue
        let handovers = try await TenderAwaitedProject.query(on: db).filter(\.$project.$id == id)
            .with(\.$tender) { $0.with(\.$contract) { $0.with(\.$company) } }.all().map(\.tender).sorted { $0.code < $1.code }
        return ProjectFile(project: project, compounds: links.map { ($0, $0.compound) }.sorted { $0.1.code < $1.1.code }, scope: scope,
                           catalogue: catalogue, options: ProjectMachine.options(for: try await snapshot(project)), engagements: engagements,
                           handovers: handovers, gridMemberIDs: members)
    }

    /// What Policy needs to decide about a project: its street office, the companies engaged on
    /// it and the users on its grids.
    static func resource(_ project: RenovationProject, _ engagements: [RenovationEngagement], gridMemberIDs: Set<UUID>) -> Resource {
        .renovationProject(streetOfficeID: project.$streetOffice.id, contractorIDs: Set(engagements.map(\.$company.id)),
                           gridMemberIDs: gridMemberIDs)
    }

    // MARK: Checks and writes shared by create and re-plan

    /// The buildings and households the coverage benefits (households pro rata to the
    /// buildings taken, as the registry counts households per compound).
    static func benefit(_ coverage: [Coverage], _ compounds: [Compound]) -> (buildings: Int, households: Int) {
        var buildings = 0, households = 0.0
        for (c, compound) in zip(coverage, compounds) {
            let taken = c.buildings?.count ?? compound.buildings
            buildings += taken
            households += compound.buildings > 0 ? Double(compound.households) * Double(min(taken, compound.buildings)) / Double(compound.buildings)
                : Double(compound.households)
        }
        return (buildings, Int(households.rounded()))
    }

    static func buildings(_ link: RenovationProjectCompound) -> [Int]? {
        link.buildingList.map { $0.split(separator: ",").compactMap { Int($0) } }
    }

    private func planProblems(_ plan: Plan, compounds: Set<UUID>, benefit: (buildings: Int, households: Int),
                              catalogue: WorkItemCatalogue) -> [FieldError] {
        var errors: [FieldError] = []
        let name = plan.name.trimmingCharacters(in: .whitespaces)
        if !(2...100).contains(name.count) { errors.append(FieldError(field: "name", reason: "2 to 100 characters")) }
        let scope = plan.scope ?? []
        errors += ProjectPlanRules.problems(budget: plan.budget, funding: plan.funding, scope: scope.map(\.item), catalogue: catalogue)
            .map { FieldError(field: $0.field.replacingOccurrences(of: "].cost", with: "].costFen"), reason: $0.reason) }
        for (i, s) in scope.enumerated() {
            if let c = s.compoundID, !compounds.contains(c) {
                errors.append(FieldError(field: "scope[\(i)].compoundId", reason: "is not one of the project's compounds"))
            }
        }
        if scope.count > 500 { errors.append(FieldError(field: "scope", reason: "at most 500 items")) }
        if let households = plan.households, !(1...max(benefit.households, 1)).contains(households) {
            errors.append(FieldError(field: "households", reason: "must be 1 to \(benefit.households), the households of the buildings covered"))
        }
        for (field, day) in [("plannedStart", plan.plannedStart), ("plannedFinish", plan.plannedFinish)] {
            if let day, !Calendar.shanghai.isDay(day) { errors.append(FieldError(field: field, reason: "must be a date like 2026-04-15")) }
        }
        if let start = plan.plannedStart, let finish = plan.plannedFinish, Calendar.shanghai.isDay(start), Calendar.shanghai.isDay(finish), finish < start {
            errors.append(FieldError(field: "plannedFinish", reason: "is before the planned start \(start)"))
        }
        return errors
    }

    private static func apply(_ plan: Plan, to project: RenovationProject, benefit: (buildings: Int, households: Int)) {
        project.name = plan.name.trimmingCharacters(in: .whitespaces)
        project.budgetFen = plan.budget
        project.funding = plan.funding.map { Funding(source: $0.source, fen: $0.fen, note: $0.note?.trimmingCharacters(in: .whitespaces).nilIfEmpty) }
        project.households = plan.households ?? benefit.households
        project.plannedStart = plan.plannedStart
        project.plannedFinish = plan.plannedFinish
    }

    private func replaceScope(of project: UUID, with scope: [PlannedItem], on tx: any Database) async throws {
        try await RenovationScopeItem.query(on: tx).filter(\.$project.$id == project).delete()
        for (position, s) in scope.enumerated() {
            let row = RenovationScopeItem()
            row.$project.id = project
            row.position = position
            row.$compound.id = s.compoundID
            row.item = s.item.item
            row.quantity = s.item.quantity
            row.costFen = s.item.cost
            row.note = s.item.note?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            row.built = false
            try await row.create(on: tx)
        }
    }

    /// A compound is in one open project at a time.
    private func requireNoOpenProject(_ compounds: [Compound], on tx: any Database) async throws {
        let ids = try compounds.map { try $0.requireID() }
        let links = try await RenovationProjectCompound.query(on: tx).filter(\.$compound.$id ~~ ids).with(\.$project).all()
        if let open = links.first(where: { $0.project.status.isOpen }), let compound = compounds.first(where: { $0.id == open.$compound.id }) {
            throw DomainError(.conflict, code: "compound_in_project",
                              message: "\(compound.name) is already in project \(open.project.code), which is \(open.project.status.rawValue)",
                              fields: [FieldError(field: "compounds", reason: "\(compound.code) is in the open project \(open.project.code)")])
        }
    }

    /// The project as its audit rows record it: the fields, compounds and scope.
    func auditSnapshot(_ id: UUID, on tx: any Database) async throws -> [String: String] {
        guard let p = try await RenovationProject.find(id, on: tx) else { return [:] }
        let compounds = try await RenovationProjectCompound.query(on: tx).filter(\.$project.$id == id).all()
            .map { "\($0.$compound.id)" + ($0.buildingList.map { ":" + $0 } ?? "") }.sorted()
        let scope = try await RenovationScopeItem.query(on: tx).filter(\.$project.$id == id).sort(\.$position).all()
            .map { "\($0.item) \($0.quantity) \($0.costFen)" + ($0.$compound.id.map { " @\($0)" } ?? "") }
        return ["code": p.code, "name": p.name, "year": String(p.year), "status": p.status.rawValue, "budgetFen": String(p.budgetFen),
                "funding": p.fundingJSON, "households": String(p.households), "buildings": String(p.buildings),
                "plannedStart": p.plannedStart ?? "", "plannedFinish": p.plannedFinish ?? "", "actualStart": p.actualStart ?? "",
                "actualFinish": p.actualFinish ?? "", "cancelReason": p.cancelReason ?? "",
                "compounds": compounds.joined(separator: ";"), "scope": scope.joined(separator: ";")]
    }
}
