import Foundation

/// Who is acting: the logged-in user reduced to what authorisation needs.
public struct Actor: Sendable, Hashable {
    public var userID: UUID
    public var username: String
    public var role: Role
    public var streetOfficeID: UUID?
    public var departmentID: UUID?
    public var companyID: UUID?

    public init(userID: UUID, username: String, role: Role,
                streetOfficeID: UUID? = nil, departmentID: UUID? = nil, companyID: UUID? = nil) {
        self.userID = userID
        self.username = username
        self.role = role
        self.streetOfficeID = streetOfficeID
        self.departmentID = departmentID
        self.companyID = companyID
    }
}

/// A registry record as authorisation sees it: its type and the scope keys it carries.
public enum Resource: Sendable, Hashable {
    case streetOffice(id: UUID)
    case community(streetOfficeID: UUID)
    case compound(streetOfficeID: UUID, companyID: UUID?)
    case barrier
    case department(id: UUID)
    case company(id: UUID)
    case auditLog
    case users
    /// A zoning plan (大区划片) of one street office; `adopted` plans are read more widely.
    case zoningPlan(streetOfficeID: UUID, adopted: Bool)
}

public enum Action: Sendable, Hashable {
    case read, create, update, delete
}

/// Which compounds (and communities) a list query may return for an actor.
public enum RegistryVisibility: Sendable, Hashable {
    case all
    case streetOffice(UUID)
    case company(UUID)
    case nothing
}

/// Every authorisation decision in Yiju is made here, so the rules can be read in one
/// page and tested without a server. Handlers ask; they never decide.
public enum Policy {
    public enum Decision: Sendable, Equatable {
        case allow
        /// The actor may know the record exists but not change it (HTTP 403).
        case forbid
        /// The actor may not even know the record exists (HTTP 404).
        case hide
    }

    public static func decide(_ actor: Actor, _ action: Action, _ resource: Resource) -> Decision {
        if actor.role == .bureauAdmin { return .allow }
        switch resource {
        case .streetOffice(let id):
            // Street offices are the district's public organisation chart; an officer keeps
            // the contact details of their own office current.
            if action == .read { return .allow }
            if action == .update, actor.role == .streetOfficer, actor.streetOfficeID == id { return .allow }
            return .forbid

        case .community(let streetOfficeID):
            guard canSee(actor, streetOfficeID: streetOfficeID, companyID: nil, isCompound: false) else { return .hide }
            if action == .read { return .allow }
            return isOwnStreetOfficer(actor, streetOfficeID) && action != .delete ? .allow : .forbid

        case .compound(let streetOfficeID, let companyID):
            guard canSee(actor, streetOfficeID: streetOfficeID, companyID: companyID, isCompound: true) else { return .hide }
            if action == .read { return .allow }
            // 属地: the street office is the first responsible party for its compounds.
            return isOwnStreetOfficer(actor, streetOfficeID) && action != .delete ? .allow : .forbid

        case .barrier:
            return action == .read ? .allow : .forbid

        case .department(let id):
            if action == .read { return .allow }
            if action == .update, actor.role == .departmentOfficer, actor.departmentID == id { return .allow }
            return .forbid

        case .company(let id):
            if action == .read { return .allow }
            // 一企一档: a company keeps its own file (contacts, staff, stations, machines) current.
            if action == .update, actor.role == .companyStaff, actor.companyID == id { return .allow }
            return .forbid

        case .zoningPlan(let streetOfficeID, let adopted):
            // Only the street office's own officer (and the bureau) draws its zones;
            // departments and companies see a plan once it is adopted.
            if isOwnStreetOfficer(actor, streetOfficeID) { return .allow }
            if action == .read, adopted, actor.role == .departmentOfficer || actor.role == .companyStaff { return .allow }
            return .hide

        case .auditLog, .users:
            return .hide
        }
    }

    /// Throws what the user should see unless the action is allowed: 403 when the record
    /// may be known, 404 (naming `what`) when it may not.
    public static func require(_ actor: Actor, _ action: Action, _ resource: Resource, notFound what: String) throws(DomainError) {
        switch decide(actor, action, resource) {
        case .allow: return
        case .forbid: throw DomainError.forbidden
        case .hide: throw DomainError.notFound(what)
        }
    }

    /// The compounds and communities an actor's list queries are restricted to.
    public static func visibility(of actor: Actor) -> RegistryVisibility {
        switch actor.role {
        case .bureauAdmin, .hotlineOperator, .departmentOfficer:
            // The hotline must find any compound to take a call; departments serve the whole district.
            return .all
        case .streetOfficer, .gridWorker:
            return actor.streetOfficeID.map(RegistryVisibility.streetOffice) ?? .nothing
        case .companyStaff:
            return actor.companyID.map(RegistryVisibility.company) ?? .nothing
        }
    }

    /// Whether the actor may import compound files at all; each row is then checked
    /// against `decide(_:.create/.update, .compound(...))`.
    public static func mayImport(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || (actor.role == .streetOfficer && actor.streetOfficeID != nil)
    }

    private static func isOwnStreetOfficer(_ actor: Actor, _ streetOfficeID: UUID) -> Bool {
        actor.role == .streetOfficer && actor.streetOfficeID == streetOfficeID
    }

    private static func canSee(_ actor: Actor, streetOfficeID: UUID, companyID: UUID?, isCompound: Bool) -> Bool {
        switch visibility(of: actor) {
        case .all: true
        case .streetOffice(let id): id == streetOfficeID
        case .company(let id): isCompound && companyID == id
        case .nothing: false
        }
    }
}
