import Foundation

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
    /// An API token of the user `ownerID`: its owner lists and revokes their own, the bureau anyone's.
    case apiToken(ownerID: UUID)
    /// A zoning plan (大区划片) of one street office; `adopted` plans are read more widely.
    case zoningPlan(streetOfficeID: UUID, adopted: Bool)
    /// The case rule set, routing table and calendar; the credit rule set.
    case caseSettings
    case creditRules
    /// A company's credit file (一企一档): its statement, ledger and blacklist status.
    case creditFile(companyID: UUID)
    /// A ledger entry recorded by hand, of this kind.
    case creditEntry(CreditEventKind)
    /// What the cases pipeline reports against a company (overdue, orders, third repeats).
    case caseCreditEvents(companyID: UUID)
    /// An exit recommendation (清退); `confirmed` ones are the street offices' business too.
    case exitRecommendation(confirmed: Bool)
    /// An emergency provider for an expelled company's compounds.
    case emergencyProvider
    /// Inspection checklists (考评表).
    case inspectionTemplate
    /// An inspection of a compound or area of `streetOfficeID`, of the company managing it,
    /// or of a renovation site, of its builder.
    case inspection(streetOfficeID: UUID, companyID: UUID?)
    /// A company's report that it put a rectification order right.
    case rectificationReport(companyID: UUID?)
    /// 回头看: the compounds where cases concentrate.
    case lookBack
    /// A tender (选聘) for a lot of `streetOfficeID`: its notice, and the panel's scores.
    case tender(streetOfficeID: UUID)
    /// Awarding a tender and making its contract.
    case tenderAward
    /// A company's bid in a tender for a lot of `streetOfficeID`; `sealed` until the deadline.
    case bid(streetOfficeID: UUID, companyID: UUID, sealed: Bool)
    /// A tender's ranking of the bids.
    case tenderRanking(streetOfficeID: UUID, awarded: Bool)
    /// Renovation's catalogue, standard and rule set.
    case renovationSettings
    /// A renovation project of `streetOfficeID`, with the companies engaged on it and the
    /// users sitting on the renovation grids it falls in.
    case renovationProject(streetOfficeID: UUID, contractorIDs: Set<UUID>, gridMemberIDs: Set<UUID> = [])
    /// A visit, meeting or opinion recorded in a project's consultation journal: the grid's
    /// fieldwork, which its members record as well as the project's street office.
    case renovationFieldwork(streetOfficeID: UUID, contractorIDs: Set<UUID>, gridMemberIDs: Set<UUID>)
    /// A project's site diary (施工日志), kept by the staff of `builderID`, the construction
    /// company engaged on it.
    case siteDiary(streetOfficeID: UUID, contractorIDs: Set<UUID>, builderID: UUID?, gridMemberIDs: Set<UUID> = [])
    /// A renovation grid (改造网格) of `streetOfficeID`, with its members' user IDs.
    case renovationGrid(streetOfficeID: UUID, memberIDs: Set<UUID>)
}

public enum Action: Sendable, Hashable {
    case read, create, update, delete
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
        // Three things not even the bureau does: read a bid before the deadline (bids are
        // sealed for everyone but their company), report another's rectification, and write
        // a builder's site diary (施工日志 is the builder's own record).
        switch resource {
        case .bid(_, let companyID, true) where action == .read && !isOwnCompany(actor, companyID): return .hide
        case .rectificationReport(let companyID): return action == .create && isStaff(actor, of: companyID) ? .allow : .forbid
        case .siteDiary where action != .read: return renovationDecision(actor, action, resource)
        default: break
        }
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
            if action == .update, isStaff(actor, of: id) { return .allow }
            return .forbid

        case .zoningPlan(let streetOfficeID, let adopted):
            // Only the street office's own officer (and the bureau) draws its zones;
            // departments and companies see a plan once it is adopted.
            if isOwnStreetOfficer(actor, streetOfficeID) { return .allow }
            if action == .read, adopted, actor.role == .departmentOfficer || actor.role == .companyStaff { return .allow }
            return .hide

        case .auditLog, .users:
            return .hide

        case .apiToken(let ownerID):
            // A token is its owner's key: they see and revoke it; no one else but the bureau knows it exists.
            return actor.userID == ownerID && (action == .read || action == .delete) ? .allow : .hide

        case .caseSettings, .creditRules:
            // Everyone works by the rules; only the bureau sets them.
            return action == .read ? .allow : .forbid

        case .creditFile, .creditEntry, .caseCreditEvents:
            return creditDecision(actor, action, resource)

        case .exitRecommendation, .emergencyProvider, .tender, .tenderAward, .bid, .tenderRanking:
            return selectionDecision(actor, action, resource)

        case .inspectionTemplate, .inspection, .rectificationReport, .lookBack:
            return inspectionDecision(actor, action, resource)

        case .renovationSettings, .renovationProject, .renovationFieldwork, .siteDiary, .renovationGrid:
            return renovationDecision(actor, action, resource)
        }
    }

    /// Whether the decision is `allow`.
    public static func allows(_ actor: Actor, _ action: Action, _ resource: Resource) -> Bool {
        decide(actor, action, resource) == .allow
    }

    /// Whether the actor sees the full phone numbers of a compound's committee and
    /// representatives: those who keep the compound's record (its street office, the bureau).
    /// Everyone else who reads the compound sees them masked, as a case's reporter's are.
    public static func maySeeResidentPhones(_ actor: Actor, _ compound: Resource) -> Bool {
        allows(actor, .update, compound)
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
    public static func registryScope(_ actor: Actor) -> Scope {
        switch actor.role {
        case .bureauAdmin, .hotlineOperator, .departmentOfficer:
            // The hotline must find any compound to take a call; departments serve the whole district.
            return .district
        case .streetOfficer, .gridWorker:
            return actor.streetOfficeID.map(Scope.streetOffice) ?? .nothing
        case .companyStaff:
            return actor.companyID.map(Scope.company) ?? .nothing
        case .contractorStaff:
            // A contractor manages no compound: it reads its projects' compounds on the projects.
            return .nothing
        }
    }

    /// Whether the actor may import compound files at all; each row is then checked
    /// against `decide(_:.create/.update, .compound(...))`.
    public static func mayImport(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || (actor.role == .streetOfficer && actor.streetOfficeID != nil)
    }

    /// Whether the actor may add compounds at all (the bureau anywhere, a street officer in
    /// their own street office); each one is then checked against `.create, .compound(...)`.
    public static func mayCreateCompounds(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin || actor.role == .streetOfficer
    }

    /// Whether the actor's list of API tokens is everyone's (the bureau) or only their own.
    public static func seesEveryonesTokens(_ actor: Actor) -> Bool {
        actor.role == .bureauAdmin
    }

    /// The street office whose officer the actor is, if they are one: where their work starts.
    public static func officerStreetOffice(_ actor: Actor) -> UUID? {
        actor.role == .streetOfficer ? actor.streetOfficeID : nil
    }

    static func isOwnStreetOfficer(_ actor: Actor, _ streetOfficeID: UUID) -> Bool {
        actor.role == .streetOfficer && actor.streetOfficeID == streetOfficeID
    }

    /// A property company's own staff: they bid, and answer for the cases pipeline's reports.
    static func isOwnCompany(_ actor: Actor, _ companyID: UUID?) -> Bool {
        actor.role == .companyStaff && actor.companyID != nil && actor.companyID == companyID
    }

    /// Whether the actor works for a company (property or contractor) rather than the government.
    public static func isCompanyRole(_ role: Role) -> Bool {
        role == .companyStaff || role == .contractorStaff
    }

    /// Staff of this company, of either kind: they keep its file current and handle its cases.
    public static func isStaff(_ actor: Actor, of companyID: UUID?) -> Bool {
        isCompanyRole(actor.role) && actor.companyID != nil && actor.companyID == companyID
    }

    private static func canSee(_ actor: Actor, streetOfficeID: UUID, companyID: UUID?, isCompound: Bool) -> Bool {
        switch registryScope(actor) {
        case .district: true
        case .streetOffice(let id): id == streetOfficeID
        case .company(let id): isCompound && companyID == id
        case .department, .nothing: false
        }
    }
}
