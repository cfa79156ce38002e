import Foundation

/// Credit (信用评价): files, hand-recorded entries and the cases pipeline's reports.
extension Policy {
    /// Kinds a street officer records by hand; the bureau records every manual kind.
    public static let officerCreditKinds: Set<CreditEventKind> = [.verifiedComplaint, .commendation]

    static func creditDecision(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        switch resource {
        case .creditFile(let companyID):
            // 一企一档 is public within the district, but a company reads only its own.
            guard !isCompanyRole(actor.role) || actor.companyID == companyID else { return .hide }
            return action == .read ? .allow : .forbid
        case .creditEntry(let kind):
            return action == .create && actor.role == .streetOfficer && officerCreditKinds.contains(kind) ? .allow : .forbid
        case .caseCreditEvents(let companyID):
            return action == .read && isOwnCompany(actor, companyID) ? .allow : .forbid
        default:
            return .hide
        }
    }

    /// Whose pipeline reports a list of them may show: the bureau every company's, a company its own.
    public static func caseCreditEventScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin: .district
        case .companyStaff: actor.companyID.map(Scope.company) ?? .nothing
        default: .nothing
        }
    }
}
