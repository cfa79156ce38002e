import Foundation

/// Renovation (旧改): a street office runs its own projects (属地), the bureau any; grid
/// workers read their street office's, departments and the hotline read all (a call about a
/// site must find its project), and a contractor's staff (参建单位) read the projects their
/// company is engaged on (施工、设计、监理); the builder's staff keep its site diary. The
/// members of a renovation grid (改造网格) with an account read its projects and record its
/// fieldwork, whatever their scope.
/// A compound's facilities inventory is the compound's record: `.compound` decides it.
extension Policy {
    static func renovationDecision(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        switch resource {
        case .renovationSettings:
            return action == .read ? .allow : .forbid
        case .renovationProject(let streetOfficeID, let contractorIDs, let gridMemberIDs):
            guard readsProject(actor, streetOfficeID, contractorIDs, gridMemberIDs) else { return .hide }
            if action == .read { return .allow }
            return isOwnStreetOfficer(actor, streetOfficeID) && action != .delete ? .allow : .forbid
        case .renovationFieldwork(let streetOfficeID, let contractorIDs, let gridMemberIDs):
            // 入户走访、议事: the street office's officers and the grid's members go to the doors;
            // what the plan does with it (answers, publications) stays the street office's.
            guard readsProject(actor, streetOfficeID, contractorIDs, gridMemberIDs) else { return .hide }
            let records = isOwnStreetOfficer(actor, streetOfficeID) || gridMemberIDs.contains(actor.userID)
            return action == .create && records ? .allow : .forbid
        case .siteDiary(let streetOfficeID, let contractorIDs, let builderID, let gridMemberIDs):
            // Whoever reads the project reads its diary; only the builder's own staff write it.
            guard readsProject(actor, streetOfficeID, contractorIDs, gridMemberIDs) else { return .hide }
            if action == .read { return .allow }
            let isBuilder = actor.role.worksForContractor == true && builderID != nil && actor.companyID == builderID
            return isBuilder && action != .delete ? .allow : .forbid
        case .renovationGrid(let streetOfficeID, let memberIDs):
            // A grid is read where its street office's projects are, and by its own members.
            let readable = memberIDs.contains(actor.userID) || {
                switch renovationScope(actor) {
                case .district: true
                case .streetOffice(let id): id == streetOfficeID
                case .company, .department, .nothing: false
                }
            }()
            guard readable else { return .hide }
            if action == .read { return .allow }
            return isOwnStreetOfficer(actor, streetOfficeID) && action != .delete ? .allow : .forbid
        default:
            return .hide
        }
    }

    /// Whether the actor reads a project: by their scope, or by sitting on one of its grids.
    private static func readsProject(_ actor: Actor, _ streetOfficeID: UUID, _ contractorIDs: Set<UUID>,
                                     _ gridMemberIDs: Set<UUID>) -> Bool {
        if gridMemberIDs.contains(actor.userID) { return true }
        return switch renovationScope(actor) {
        case .district: true
        case .streetOffice(let id): id == streetOfficeID
        case .company(let id): contractorIDs.contains(id)
        case .department, .nothing: false
        }
    }

    /// The projects (and grids) an actor's lists show by scope; the projects of the grids the
    /// actor sits on are added to them.
    public static func renovationScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin, .departmentOfficer, .hotlineOperator: .district
        case .streetOfficer, .gridWorker: actor.streetOfficeID.map(Scope.streetOffice) ?? .nothing
        case .companyStaff, .contractorStaff: actor.companyID.map(Scope.company) ?? .nothing
        }
    }

    /// Whether the actor plans projects at all (the bureau anywhere, a street officer at home);
    /// each one is then checked against `.create, .renovationProject(...)`.
    public static func mayPlanRenovation(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || (actor.role == .streetOfficer && actor.streetOfficeID != nil)
    }
}
