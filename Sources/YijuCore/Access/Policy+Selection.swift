import Foundation

/// Selection (选聘) and exits (清退): tenders, bids, rankings, awards, exit decisions and
/// the emergency providers that follow them.
extension Policy {
    static func selectionDecision(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        switch resource {
        case .exitRecommendation(let confirmed):
            // The bureau decides; a street office sees the confirmed exits it must act on.
            if action == .read { return actor.role == .streetOfficer && confirmed ? .allow : .forbid }
            return .forbid
        case .emergencyProvider:
            return action == .create && actor.role == .streetOfficer ? .allow : .forbid
        case .tender(let streetOfficeID):
            // The tender's organisers: the bureau and the lot's street office.
            if action == .read { return .allow }
            return isOwnStreetOfficer(actor, streetOfficeID) ? .allow : .forbid
        case .tenderAward:
            return .forbid
        case .bid(let streetOfficeID, let companyID, let sealed):
            if action == .create { return isOwnCompany(actor, companyID) ? .allow : .forbid }
            // Sealed until the deadline: a company sees its own, the organisers none.
            if isOwnCompany(actor, companyID) { return .allow }
            return !sealed && isOwnStreetOfficer(actor, streetOfficeID) ? .allow : .hide
        case .tenderRanking(let streetOfficeID, let awarded):
            return action == .read && (awarded || isOwnStreetOfficer(actor, streetOfficeID)) ? .allow : .hide
        default:
            return .hide
        }
    }

    /// The expelled company's compounds an actor appoints emergency providers for.
    public static func emergencyProviderScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin: .district
        case .streetOfficer: actor.streetOfficeID.map(Scope.streetOffice) ?? .nothing
        default: .nothing
        }
    }
}
