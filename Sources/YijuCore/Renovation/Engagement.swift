import Foundation

/// A company engaged on a project (参建单位) in one part — design, construction or
/// supervision — with the person who leads its work there (项目负责人): the one the works'
/// cases and the site's orders go to.
public struct Engagement: Sendable, Equatable, Codable {
    public var role: ContractorRole
    public var companyID: UUID
    public var leadName: String
    public var leadPhone: String

    public init(role: ContractorRole, companyID: UUID, leadName: String, leadPhone: String) {
        self.role = role
        self.companyID = companyID
        self.leadName = leadName
        self.leadPhone = leadPhone
    }
}

/// The checks on a project's engagements, set whole: each part once, by a company of that
/// part's kind, each with a named lead and a phone to reach them.
public enum EngagementRules {
    /// Statuses whose engagements may still change: from planning to acceptance (a
    /// rectification after a failed survey may bring a new contractor); not once closed.
    public static let editable: Set<ProjectStatus> = [.planned, .consulting, .approved, .underWorks, .acceptance]

    /// `kinds` is every named company's kind; a company missing from it does not exist.
    public static func problems(_ engagements: [Engagement], kinds: [UUID: CompanyKind]) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<ContractorRole>()
        for (i, e) in engagements.enumerated() {
            if !seen.insert(e.role).inserted {
                errors.append(FieldError(field: "engagements[\(i)].role", reason: "\(e.role.rawValue) is named twice: one company per part"))
            }
            switch kinds[e.companyID] {
            case nil:
                errors.append(FieldError(field: "engagements[\(i)].companyId", reason: "no such company"))
            case let kind? where kind != e.role.companyKind:
                errors.append(FieldError(field: "engagements[\(i)].companyId",
                                         reason: "is a \(kind.rawValue) company; the \(e.role.rawValue) part needs a \(e.role.companyKind.rawValue) company"))
            default: break
            }
            let name = e.leadName.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || name.count > 40 {
                errors.append(FieldError(field: "engagements[\(i)].leadName", reason: "name the lead, 1 to 40 characters"))
            }
            if e.leadPhone.count > 20 || IntakeRules.normalisedPhone(e.leadPhone) == nil {
                errors.append(FieldError(field: "engagements[\(i)].leadPhone", reason: "must be a phone number: 7 to 15 digits, optionally with +86, spaces or dashes"))
            }
        }
        return errors
    }
}
