import Fluent
import Foundation
import YijuCore

/// Renovation grids (改造网格): the street office draws them and seats their members; members
/// with an account then read the grid's projects and record its fieldwork (Policy's
/// `gridMemberIDs`). A grid's work is the projects it names and every project over its compounds.
extension RenovationService {
    struct GridFile: Sendable {
        var grid: RenovationGrid
        /// The roster in order, accounts loaded; phones masked unless the actor keeps the grid.
        var members: [RenovationGridMember]
        var compounds: [Compound]
        /// The projects the grid names by themselves.
        var namedProjectIDs: [UUID]
        /// The grid's work: named projects and those over its compounds, newest batch first.
        var projects: [RenovationProject]
        var phonesMasked: Bool

        var resource: Resource {
            .renovationGrid(streetOfficeID: grid.$streetOffice.id, memberIDs: Set(members.compactMap { $0.$user.id }))
        }

        var draft: GridDraft {
            GridDraft(code: grid.code, name: grid.name,
                      members: members.map { GridMember(side: $0.side, name: $0.name, phone: $0.phone, username: $0.user?.username) },
                      compoundIDs: compounds.compactMap(\.id), projectIDs: namedProjectIDs)
        }
    }

    /// The grids the actor reads: their street office's (or the district's), and those they sit on.
    func grids() async throws -> [RenovationGrid] {
        var ids = try await Set(RenovationGridMember.query(on: db).filter(\.$user.$id == actor.userID).all().map(\.$grid.id))
        if let scoped = RenovationGrid.query(on: db).scoped(to: Policy.renovationScope(actor), by: RenovationGrid.scopeColumns) {
            ids.formUnion(try await scoped.all().compactMap(\.id))
        }
        guard !ids.isEmpty else { return [] }
        return try await RenovationGrid.query(on: db).filter(\.$id ~~ ids).with(\.$streetOffice).sort(\.$code).all()
    }

    /// The grid, if the actor may see it (404 otherwise).
    func grid(_ id: UUID) async throws -> GridFile {
        guard let grid = try await RenovationGrid.query(on: db).filter(\.$id == id).with(\.$streetOffice).first() else {
            throw DomainError.notFound("renovation grid")
        }
        let members = try await RenovationGridMember.query(on: db).filter(\.$grid.$id == id).with(\.$user).sort(\.$position).all()
        var file = GridFile(grid: grid, members: members, compounds: [], namedProjectIDs: [], projects: [], phonesMasked: false)
        try Policy.require(actor, .read, file.resource, notFound: "renovation grid")
        file.compounds = try await RenovationGridCompound.query(on: db).filter(\.$grid.$id == id).with(\.$compound).all()
            .map(\.compound).sorted { $0.code < $1.code }
        file.namedProjectIDs = try await RenovationGridProject.query(on: db).filter(\.$grid.$id == id).all().map(\.$project.id)
        let work = try await Self.projectIDs(named: file.namedProjectIDs, over: file.compounds.compactMap(\.id), on: db)
        file.projects = work.isEmpty ? [] : try await RenovationProject.query(on: db).filter(\.$id ~~ work).with(\.$streetOffice)
            .sort(\.$year, .descending).sort(\.$code).all()
        file.phonesMasked = !Policy.allows(actor, .update, file.resource)
        if file.phonesMasked { for m in file.members { m.phone = CasePolicy.mask(m.phone) } }
        return file
    }

    func createGrid(_ draft: GridDraft, streetOfficeID: UUID) async throws -> GridFile {
        guard try await StreetOffice.find(streetOfficeID, on: db) != nil else { throw DomainError.notFound("street office") }
        try Policy.require(actor, .create, .renovationGrid(streetOfficeID: streetOfficeID, memberIDs: []), notFound: "street office")
        let id = UUID()
        try await db.transaction { tx in
            let checked = try await checkedGrid(draft, streetOfficeID: streetOfficeID, replacing: nil, on: tx)
            let grid = RenovationGrid()
            grid.id = id
            grid.$streetOffice.id = streetOfficeID
            try await write(checked.draft, accounts: checked.accounts, to: grid, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationGrid", entityID: id,
                                      after: Snapshot(checked.draft, streetOfficeID: streetOfficeID), at: now)
        }
        return try await grid(id)
    }

    /// Replaces the grid's name, roster, compounds and projects whole; its street office stays.
    func updateGrid(_ id: UUID, _ draft: GridDraft) async throws -> GridFile {
        let before = try await grid(id)
        try Policy.require(actor, .update, before.resource, notFound: "renovation grid")
        let office = before.grid.$streetOffice.id
        try await db.transaction { tx in
            let checked = try await checkedGrid(draft, streetOfficeID: office, replacing: id, on: tx)
            try await RenovationGridMember.query(on: tx).filter(\.$grid.$id == id).delete()
            try await RenovationGridCompound.query(on: tx).filter(\.$grid.$id == id).delete()
            try await RenovationGridProject.query(on: tx).filter(\.$grid.$id == id).delete()
            try await write(checked.draft, accounts: checked.accounts, to: before.grid, on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationGrid", entityID: id,
                                      before: Snapshot(before.draft, streetOfficeID: office),
                                      after: Snapshot(checked.draft, streetOfficeID: office), at: now)
        }
        return try await grid(id)
    }

    /// What a grid of `streetOfficeID` may take (for the form): the office's compounds and
    /// projects that no other grid has, `grid`'s own included.
    func gridCandidates(streetOfficeID: UUID, grid: UUID?) async throws -> (compounds: [Compound], projects: [RenovationProject]) {
        try Policy.require(actor, .create, .renovationGrid(streetOfficeID: streetOfficeID, memberIDs: []), notFound: "street office")
        let takenCompounds = try await RenovationGridCompound.query(on: db).all().filter { $0.$grid.id != grid }.map(\.$compound.id)
        let takenProjects = try await RenovationGridProject.query(on: db).all().filter { $0.$grid.id != grid }.map(\.$project.id)
        let compounds = try await Compound.query(on: db).filter(\.$streetOffice.$id == streetOfficeID).filter(\.$id !~ takenCompounds)
            .sort(\.$code).all()
        let projects = try await RenovationProject.query(on: db).filter(\.$streetOffice.$id == streetOfficeID).filter(\.$id !~ takenProjects)
            .sort(\.$year, .descending).sort(\.$code).all()
        return (compounds, projects)
    }

    // MARK: Access

    /// The users sitting on the grids a project falls in (by name or by one of its compounds).
    static func gridMemberIDs(ofProject projectID: UUID, compounds: [UUID], on db: any Database) async throws -> Set<UUID> {
        var grids = try await Set(RenovationGridProject.query(on: db).filter(\.$project.$id == projectID).all().map(\.$grid.id))
        if !compounds.isEmpty {
            grids.formUnion(try await RenovationGridCompound.query(on: db).filter(\.$compound.$id ~~ compounds).all().map(\.$grid.id))
        }
        guard !grids.isEmpty else { return [] }
        return try await Set(RenovationGridMember.query(on: db).filter(\.$grid.$id ~~ grids).all().compactMap { $0.$user.id })
    }

    /// The projects of the grids the actor sits on, which their lists show beside their scope's.
    func gridProjectIDs() async throws -> Set<UUID> {
        let grids = try await Set(RenovationGridMember.query(on: db).filter(\.$user.$id == actor.userID).all().map(\.$grid.id))
        guard !grids.isEmpty else { return [] }
        let named = try await RenovationGridProject.query(on: db).filter(\.$grid.$id ~~ grids).all().map(\.$project.id)
        let compounds = try await RenovationGridCompound.query(on: db).filter(\.$grid.$id ~~ grids).all().map(\.$compound.id)
        return try await Self.projectIDs(named: named, over: compounds, on: db)
    }

    private static func projectIDs(named: [UUID], over compounds: [UUID], on db: any Database) async throws -> Set<UUID> {
        var ids = Set(named)
        if !compounds.isEmpty {
            ids.formUnion(try await RenovationProjectCompound.query(on: db).filter(\.$compound.$id ~~ compounds).all().map(\.$project.id))
        }
        return ids
    }

    // MARK: Checks and writes

    /// What the audit log keeps of a grid.
    private struct Snapshot: Encodable {
        var code: String, name: String, streetOfficeId: UUID, members: [GridMember], compoundIds: [UUID], projectIds: [UUID]

        init(_ d: GridDraft, streetOfficeID: UUID) {
            (code, name, streetOfficeId, members, compoundIds, projectIds) = (d.code, d.name, streetOfficeID, d.members, d.compoundIDs, d.projectIDs)
        }
    }

    /// The draft checked whole: its own fields by `GridRules`, then what only the database
    /// knows — the code free, the accounts, the compounds and projects the street office's
    /// and in no other grid. Every problem is reported at once.
    private func checkedGrid(_ draft: GridDraft, streetOfficeID: UUID, replacing id: UUID?,
                             on tx: any Database) async throws -> (draft: GridDraft, accounts: [String: Actor]) {
        let usernames = draft.members.compactMap { $0.username?.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        let users = usernames.isEmpty ? [] : try await User.query(on: tx).filter(\.$username ~~ usernames).all()
        let accounts = Dictionary(users.map { ($0.username, $0.actor) }, uniquingKeysWith: { a, _ in a })
        // A member with an account may leave the name to it.
        var input = draft
        for (i, m) in input.members.enumerated() where m.name.trimmingCharacters(in: .whitespaces).isEmpty {
            if let user = users.first(where: { $0.username == m.username?.trimmingCharacters(in: .whitespaces) }) { input.members[i].name = user.displayName }
        }
        var errors: [FieldError] = []
        var checked = input
        do { checked = try GridRules.checked(input, streetOfficeID: streetOfficeID, accounts: accounts) } catch { errors = error.fields }
        if let other = try await RenovationGrid.query(on: tx).filter(\.$code == checked.code).first(), other.id != id {
            errors.append(FieldError(field: "code", reason: "\"\(checked.code)\" is already taken"))
        }
        let compounds = try await Compound.query(on: tx).filter(\.$id ~~ draft.compoundIDs).all()
        let taken = try await RenovationGridCompound.query(on: tx).filter(\.$compound.$id ~~ draft.compoundIDs).with(\.$grid).all()
        for (i, cid) in draft.compoundIDs.enumerated() {
            let field = "compoundIds[\(i)]"
            if let c = compounds.first(where: { $0.id == cid }), c.$streetOffice.id == streetOfficeID {
                if let t = taken.first(where: { $0.$compound.id == cid }), t.$grid.id != id {
                    errors.append(FieldError(field: field, reason: "\(c.name) is in grid \(t.grid.code) already"))
                }
            } else {
                errors.append(FieldError(field: field, reason: "is not a compound of the grid's street office"))
            }
        }
        let projects = try await RenovationProject.query(on: tx).filter(\.$id ~~ draft.projectIDs).all()
        let named = try await RenovationGridProject.query(on: tx).filter(\.$project.$id ~~ draft.projectIDs).with(\.$grid).all()
        for (i, pid) in draft.projectIDs.enumerated() {
            let field = "projectIds[\(i)]"
            if let p = projects.first(where: { $0.id == pid }), p.$streetOffice.id == streetOfficeID {
                if let t = named.first(where: { $0.$project.id == pid }), t.$grid.id != id {
                    errors.append(FieldError(field: field, reason: "\(p.code) is in grid \(t.grid.code) already"))
                }
            } else {
                errors.append(FieldError(field: field, reason: "is not a renovation project of the grid's street office"))
            }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return (checked, accounts)
    }

    private func write(_ draft: GridDraft, accounts: [String: Actor], to grid: RenovationGrid, on tx: any Database) async throws {
        grid.code = draft.code
        grid.name = draft.name
        grid.updatedBy = actor.username
        try await grid.save(on: tx)
        let gridID = try grid.requireID()
        for (i, m) in draft.members.enumerated() {
            let row = RenovationGridMember()
            row.$grid.id = gridID
            row.position = i + 1
            row.side = m.side
            row.name = m.name
            row.phone = m.phone
            row.$user.id = m.username.flatMap { accounts[$0]?.userID }
            try await row.create(on: tx)
        }
        for cid in draft.compoundIDs {
            let row = RenovationGridCompound()
            row.$grid.id = gridID
            row.$compound.id = cid
            try await row.create(on: tx)
        }
        for pid in draft.projectIDs {
            let row = RenovationGridProject()
            row.$grid.id = gridID
            row.$project.id = pid
            try await row.create(on: tx)
        }
    }
}
