import Fluent
import Foundation
import Vapor
import YijuCore

/// The compounds an actor may export, in the interchange format.
struct RegistryExport {
    let service: RegistryService

    func make(streetOfficeID: UUID?) async throws -> (records: [CompoundRecord], barriers: [CompoundFile.BarrierLine]) {
        let compounds = try await service.allCompounds(streetOfficeID: streetOfficeID)
        let barriers = try await service.barriers().map { CompoundFile.BarrierLine(name: $0.name, kind: $0.kind, path: $0.path) }
        return (compounds.map(RegistryService.record(of:)), barriers)
    }
}

/// The district map an actor may see: street office outlines, barriers, compounds.
struct DistrictMap {
    let service: RegistryService

    /// A compound's renovation project as the map shows it: coloured by the project's status,
    /// named in the dot's label, and linked to the project.
    struct ProjectMark: Sendable {
        var status: ProjectStatus
        var label: String
        var link: String
    }

    /// `link` turns each compound into a link (to the console's compound page). With
    /// `projects`, compounds are coloured by their renovation project's status instead of
    /// their management mode (those without one pale), and a project's compounds link to it.
    func svg(streetOfficeID: UUID?, link: (@Sendable (UUID) -> String)?, highlight: UUID? = nil, focusRadiusMetres: Double? = nil,
             projects: [UUID: ProjectMark]? = nil) async throws -> String {
        let offices = try await service.streetOffices()
        let compounds = try await service.allCompounds(streetOfficeID: streetOfficeID)
        var map = SVGMap()
        map.outlines = offices.filter { streetOfficeID == nil || $0.id == streetOfficeID }
            .map { SVGMap.Outline(label: $0.name, ring: $0.outline) }
        map.lines = try await service.barriers().map { SVGMap.Line(label: $0.name, kind: $0.kind, path: $0.path) }
        map.dots = try compounds.map { c in
            let id = try c.requireID()
            let label = "\(c.name)（\(c.code)）"
            guard let projects else {
                return SVGMap.Dot(label: label, location: c.location, floorArea: c.floorArea, mode: c.management,
                                  link: link.map { $0(id) }, highlighted: id == highlight)
            }
            let mark = projects[id]
            return SVGMap.Dot(label: label + (mark.map { " · " + $0.label } ?? ""), location: c.location, floorArea: c.floorArea, mode: c.management,
                              link: mark?.link ?? link.map { $0(id) }, highlighted: id == highlight,
                              category: ("project-" + (mark?.status.rawValue ?? "none"), SVGMap.colour(mark?.status)))
        }
        if let highlight, let centre = compounds.first(where: { $0.id == highlight })?.location, let radius = focusRadiusMetres {
            let dLat = radius / 111_132, dLon = radius / (111_320 * cos(centre.lat * .pi / 180))
            map.focus = [GeoPoint(lon: centre.lon - dLon, lat: centre.lat - dLat), GeoPoint(lon: centre.lon + dLon, lat: centre.lat + dLat)]
            map.width = 480
        }
        let title = streetOfficeID.flatMap { id in offices.first { $0.id == id }?.name } ?? "南岗区"
        return map.render(title: title)
    }
}

/// Creating users: the CLI, the API and the demo loader share these rules.
struct UserAdmin {
    let db: any Database
    let credentials: Credentials
    let actor: Actor?
    let now: Date

    init(app: Application, actor: Actor?) {
        db = app.db
        credentials = Credentials(app: app)
        self.actor = actor
        now = app.clock.now()
    }

    func create(username rawUsername: String, displayName: String, role: Role, password: String,
                streetOfficeID: String?, departmentID: String?, companyID: String?) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        var errors = UserRules.check(username: username, displayName: displayName, password: password)
        let user = User()
        user.username = username
        user.displayName = displayName.trimmingCharacters(in: .whitespaces)
        user.role = role
        let scopes: [(ScopeKind, String, String?)] = [(.streetOffice, "streetOfficeId", streetOfficeID),
                                                      (.department, "departmentId", departmentID), (.company, "companyId", companyID)]
        for (kind, field, raw) in scopes {
            if role.requiredScope == kind {
                guard let raw else { errors.append(FieldError(field: field, reason: "is required for the role \(role.rawValue)")); continue }
                guard let id = UUID(uuidString: raw) else { errors.append(FieldError(field: field, reason: "must be a UUID")); continue }
                let exists: Bool = switch kind {
                case .streetOffice: try await StreetOffice.find(id, on: db) != nil
                case .department: try await Department.find(id, on: db) != nil
                case .company: try await Company.find(id, on: db) != nil
                }
                if !exists { errors.append(FieldError(field: field, reason: "names no record")); continue }
                // A property company's staff and a contractor's are different roles.
                if kind == .company, let company = try await Company.find(id, on: db), let contractor = role.worksForContractor,
                   company.kind.isContractor != contractor {
                    errors.append(FieldError(field: field, reason: contractor
                        ? "\(company.name) is a property company; contractor staff work for a construction, design or supervision company"
                        : "\(company.name) is a \(company.kind.rawValue) company; its staff have the role contractorStaff"))
                    continue
                }
                switch kind {
                case .streetOffice: user.$streetOffice.id = id
                case .department: user.$department.id = id
                case .company: user.$company.id = id
                }
            } else if raw != nil {
                errors.append(FieldError(field: field, reason: "must be empty for the role \(role.rawValue)"))
            }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        if try await User.query(on: db).filter(\.$username == username).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "username \(username) is taken",
                              fields: [FieldError(field: "username", reason: "is taken")])
        }
        user.passwordHash = try await credentials.hashPassword(password)
        try await db.transaction { tx in
            try await user.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "user", entityID: user.id,
                                      after: UserSnapshot(user), at: now)
        }
        return user
    }

    func resetPassword(username: String, password: String) async throws {
        guard let user = try await User.query(on: db).filter(\.$username == username.lowercased()).first() else {
            throw DomainError.notFound("user \(username)")
        }
        let errors = UserRules.check(username: user.username, displayName: user.displayName, password: password)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        user.passwordHash = try await credentials.hashPassword(password)
        let userID = try user.requireID()
        try await db.transaction { tx in
            try await user.save(on: tx)
            // A new password ends every way in that the old one gave: the console's sessions
            // (ModelSessionAuthenticatable keeps the user's id in the session) and the API tokens.
            let sessions = try await SessionRecord.query(on: tx).all().filter { $0.data["_UserSession"] == userID.uuidString }
            for session in sessions { try await session.delete(on: tx) }
            let tokens = try await UserToken.query(on: tx).filter(\.$user.$id == userID).count()
            try await UserToken.query(on: tx).filter(\.$user.$id == userID).delete()
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "user", entityID: user.id,
                                      after: ["password": "reset", "sessionsEnded": String(sessions.count), "tokensRevoked": String(tokens)], at: now)
        }
    }
}

/// A user as the audit log keeps it: never the password hash.
struct UserSnapshot: Encodable {
    let username, displayName, role: String
    let streetOfficeId, departmentId, companyId: UUID?

    init(_ user: User) {
        username = user.username
        displayName = user.displayName
        role = user.role.rawValue
        streetOfficeId = user.$streetOffice.id
        departmentId = user.$department.id
        companyId = user.$company.id
    }
}
