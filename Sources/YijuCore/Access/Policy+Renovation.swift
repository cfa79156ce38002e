import Foundation

/// Renovation (旧改): a street office runs its own projects (属地), the bureau any; grid
/// workers read their street office's, departments and the hotline read all (a call about a
/// site must find its project), and a contractor's staff (参建单位) read the projects their
/// company is engaged on (施工、设计、监理); the builder's staff keep its site diary.
/// A compound's facilities inventory is the compound's record: `.compound` decides it.
extension Policy {
    static func renovationDecision(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        switch resource {
        case .renovationSettings:
            return action == .read ? .allow : .forbid
        case .renovationProject(let streetOfficeID, let contractorIDs):
            let readable = switch renovationScope(actor) {
            case .district: true
            case .streetOffice(let id): id == streetOfficeID
            case .company(let id): contractorIDs.contains(id)
            case .department, .nothing: false
            }
            guard readable else { return .hide }
            if action == .read { return .allow }
            return isOwnStreetOfficer(actor, streetOfficeID) && action != .delete ? .allow : .forbid
        case .siteDiary(let streetOfficeID, let contractorIDs, let builderID):
            // Whoever reads the project reads its diary; only the builder's own staff write it.
            let project = renovationDecision(actor, .read, .renovationProject(streetOfficeID: streetOfficeID, contractorIDs: contractorIDs))
            guard project == .allow else { return project }
            if action == .read { return .allow }
            let isBuilder = actor.role.worksForContractor == true && builderID != nil && actor.companyID == builderID
            return isBuilder && action != .delete ? .allow : .forbid
        default:
            return .hide
        }
    }

    /// The projects an actor's lists show.
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
