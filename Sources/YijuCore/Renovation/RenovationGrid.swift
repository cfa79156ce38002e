import Foundation

/// A renovation grid (改造网格): a street office's renovation work split into pieces small
/// enough for one team to walk (Nangang ran 53). A grid groups compounds — every project over
/// them is the grid's work — or single projects, and seats a member from each side of the
/// work: the street office, the community, the companies, the owners' committee and the
/// residents' representatives. Members with an account see the grid's projects and record
/// its fieldwork (visits, meetings, opinions); residents sit without one (Yiju's residents
/// are anonymous) and are reached by the phone on the roster.
public struct GridDraft: Sendable, Equatable {
    public var code: String
    public var name: String
    public var members: [GridMember]
    public var compoundIDs: [UUID]
    public var projectIDs: [UUID]

    public init(code: String, name: String, members: [GridMember], compoundIDs: [UUID], projectIDs: [UUID]) {
        self.code = code
        self.name = name
        self.members = members
        self.compoundIDs = compoundIDs
        self.projectIDs = projectIDs
    }
}

/// Which side of the work a member speaks for.
public enum GridSide: String, Codable, Sendable, CaseIterable {
    /// 街道: answers for the grid (属地), one at least.
    case streetOffice
    /// 社区: the community's workers, who know every door.
    case community
    /// 企业: the property company managing the compounds, or a contractor on their projects.
    case company
    /// 业委会 / 物管会
    case ownersCommittee
    /// 居民代表
    case residents

    /// The roles whose accounts may sit on this side; none for the residents' sides.
    public var accountRoles: Set<Role> {
        switch self {
        case .streetOffice: [.streetOfficer]
        case .community: [.gridWorker]
        case .company: [.companyStaff, .contractorStaff]
        case .ownersCommittee, .residents: []
        }
    }

    /// Whether an account on this side must belong to the grid's own street office.
    var accountOfTheStreetOffice: Bool { self == .streetOffice || self == .community }
}

public struct GridMember: Codable, Sendable, Equatable {
    public var side: GridSide
    public var name: String
    public var phone: String
    /// The member's login, when they have one; it is what lets them see the grid's work.
    public var username: String?

    public init(side: GridSide, name: String, phone: String, username: String? = nil) {
        self.side = side
        self.name = name
        self.phone = phone
        self.username = username
    }
}

public enum GridRules {
    public static let codeLength = 2...20
    public static let nameLength = 2...60
    public static let maxMembers = 40
    public static let maxCompounds = 200
    public static let maxProjects = 200
    static let codeCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")

    /// The draft with names trimmed and phones reduced to digits, or every field that is
    /// wrong with it. `accounts` are the actors of the usernames the members name (a name
    /// missing from it has no account); `streetOfficeID` is the grid's.
    public static func checked(_ draft: GridDraft, streetOfficeID: UUID, accounts: [String: Actor]) throws(DomainError) -> GridDraft {
        var errors: [FieldError] = []
        var out = draft
        out.code = draft.code.trimmingCharacters(in: .whitespaces)
        out.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !codeLength.contains(out.code.count) || !out.code.allSatisfy(codeCharacters.contains) {
            errors.append(FieldError(field: "code", reason: "\(codeLength.lowerBound) to \(codeLength.upperBound) letters, digits or dashes"))
        }
        if !nameLength.contains(out.name.count) {
            errors.append(FieldError(field: "name", reason: "\(nameLength.lowerBound) to \(nameLength.upperBound) characters"))
        }
        if draft.members.count > maxMembers {
            errors.append(FieldError(field: "members", reason: "at most \(maxMembers)"))
        }
        if !draft.members.contains(where: { $0.side == .streetOffice }) {
            errors.append(FieldError(field: "members", reason: "a grid has at least one member from the street office, who answers for it"))
        }
        var usernames = Set<String>()
        for (i, m) in draft.members.enumerated() {
            let field = "members[\(i)]"
            let username = m.username?.trimmingCharacters(in: .whitespaces).nilIfEmpty
            out.members[i].username = username
            if let username {
                errors += accountProblems(username, side: m.side, field: field, streetOfficeID: streetOfficeID, accounts: accounts)
                if !usernames.insert(username).inserted {
                    errors.append(FieldError(field: "\(field).username", reason: "\(username) is already a member of this grid"))
                }
            }
            out.members[i].name = GovernanceRules.checkedName(m.name, field: "\(field).name", &errors)
            out.members[i].phone = GovernanceRules.checkedPhone(m.phone, field: "\(field).phone", &errors)
        }
        errors += listProblems(draft.compoundIDs, field: "compoundIds", limit: maxCompounds)
        errors += listProblems(draft.projectIDs, field: "projectIds", limit: maxProjects)
        if draft.compoundIDs.isEmpty && draft.projectIDs.isEmpty {
            errors.append(FieldError(field: "compoundIds", reason: "a grid groups at least one compound or project"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return out
    }

    private static func accountProblems(_ username: String, side: GridSide, field: String, streetOfficeID: UUID,
                                        accounts: [String: Actor]) -> [FieldError] {
        guard let account = accounts[username] else {
            return [FieldError(field: "\(field).username", reason: "there is no user \(username)")]
        }
        if side.accountRoles.isEmpty {
            return [FieldError(field: "\(field).username", reason: "residents sit on a grid without an account; leave it empty")]
        }
        if !side.accountRoles.contains(account.role) {
            let roles = side.accountRoles.map(\.en).sorted().joined(separator: " or ")
            return [FieldError(field: "\(field).username", reason: "\(username) is \(account.role.en); this side takes \(roles)")]
        }
        if side.accountOfTheStreetOffice, account.streetOfficeID != streetOfficeID {
            return [FieldError(field: "\(field).username", reason: "\(username) works for another street office")]
        }
        return []
    }

    private static func listProblems(_ ids: [UUID], field: String, limit: Int) -> [FieldError] {
        var errors: [FieldError] = []
        if ids.count > limit { errors.append(FieldError(field: field, reason: "at most \(limit)")) }
        if Set(ids).count != ids.count { errors.append(FieldError(field: field, reason: "lists one twice")) }
        return errors
    }
}
