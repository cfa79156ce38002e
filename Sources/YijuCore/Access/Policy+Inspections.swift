import Foundation

/// Inspections (考评): checklists, inspections, rectification and look-backs. The bureau
/// inspects anywhere and edits checklists; a street officer inspects in their own street
/// office; both verify the rectification of what they inspected. Company staff (a property
/// company's, or a builder's for its sites) read their company's inspections and report
/// rectification; grid workers read their street office's.
extension Policy {
    /// (A rectification report is the company's alone: see `decide`.)
    static func inspectionDecision(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        switch resource {
        case .inspectionTemplate:
            return action == .read ? .allow : .forbid
        case .inspection(let streetOfficeID, let companyID):
            let readable = switch inspectionScope(actor) {
            case .district: true
            case .streetOffice(let id): id == streetOfficeID
            case .company(let id): companyID == id
            case .department, .nothing: false
            }
            guard readable else { return .hide }
            if action == .read || isOwnStreetOfficer(actor, streetOfficeID) { return .allow }
            return .forbid
        case .lookBack:
            return action == .read && actor.role == .streetOfficer ? .allow : .forbid
        default:
            return .hide
        }
    }

    /// The inspections an actor's lists show; `.nothing` refuses the list (403).
    public static func inspectionScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin: .district
        case .streetOfficer, .gridWorker: actor.streetOfficeID.map(Scope.streetOffice) ?? .nothing
        case .companyStaff, .contractorStaff: actor.companyID.map(Scope.company) ?? .nothing
        case .departmentOfficer, .hotlineOperator: .nothing
        }
    }

    /// Whether the actor inspects at all (the bureau anywhere, a street officer at home).
    public static func mayInspect(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || actor.role == .streetOfficer
    }

    /// The compounds a look-back ranks for an actor who may read look-backs.
    public static func lookBackScope(_ actor: Actor) -> Scope {
        officerStreetOffice(actor).map(Scope.streetOffice) ?? .district
    }
}
