import Fluent
import Foundation
import Vapor
import YijuCore

/// Every registry read and write, for one actor. The API and the console both call this;
/// it asks `Policy`, validates with YijuCore's rules, writes in one transaction with its
/// audit row, and throws `DomainError` for anything a user should see.
struct RegistryService {
    let db: any Database
    let actor: Actor
    let now: Date

    init(app: Application, actor: Actor) {
        db = app.db
        self.actor = actor
        now = app.clock.now()
    }

    init(db: any Database, actor: Actor, now: Date) {
        self.db = db
        self.actor = actor
        self.now = now
    }

    var currentYear: Int { Calendar.shanghai.component(.year, from: now) }

    func authorize(_ action: Action, _ resource: Resource, notFound what: String) throws {
        try Policy.require(actor, action, resource, notFound: what)
    }

    // MARK: Street offices

    func streetOffices() async throws -> [StreetOffice] {
        try await StreetOffice.query(on: db).sort(\.$code).all()
    }

    func streetOffice(_ id: UUID) async throws -> StreetOffice {
        guard let office = try await StreetOffice.find(id, on: db) else { throw DomainError.notFound("street office") }
        return office
    }

    struct StreetOfficeChanges {
        var code: String?
        var name: String?
        var address: String??
        var phone: String??
        var outline: [[Double]]?
    }

    func createStreetOffice(_ changes: StreetOfficeChanges) async throws -> StreetOffice {
        try authorize(.create, .streetOffice(id: UUID()), notFound: "street office")
        var errors: [FieldError] = []
        let code = Text.required(changes.code, "code", max: 10, &errors)?.uppercased()
        let name = Text.required(changes.name, "name", max: 100, &errors)
        let outline = try checkPath(changes.outline, field: "outline", minPoints: 0, &errors) ?? []
        guard errors.isEmpty, let code, let name else { throw DomainError.validation(errors) }
        try await unique(StreetOffice.self, \.$code, code, field: "code")
        try await unique(StreetOffice.self, \.$name, name, field: "name")
        let office = StreetOffice(code: code, name: name, address: Text.optional(changes.address ?? nil, "address", max: 200, &errors),
                                  phone: Text.optional(changes.phone ?? nil, "phone", max: 40, &errors), outline: outline)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await write(office, action: .create, entityType: "streetOffice", before: nil)
    }

    func updateStreetOffice(_ id: UUID, _ changes: StreetOfficeChanges) async throws -> StreetOffice {
        let office = try await streetOffice(id)
        try authorize(.update, .streetOffice(id: id), notFound: "street office")
        let before = try AuditLog.snapshot(office)
        var errors: [FieldError] = []
        if changes.code != nil { errors.append(FieldError(field: "code", reason: "cannot be changed; compound codes and exports depend on it")) }
        if let name = changes.name {
            if let name = Text.required(name, "name", max: 100, &errors), name != office.name {
                try await unique(StreetOffice.self, \.$name, name, field: "name")
                office.name = name
            }
        }
        if let address = changes.address { office.address = Text.optional(address, "address", max: 200, &errors) }
        if let phone = changes.phone { office.phone = Text.optional(phone, "phone", max: 40, &errors) }
        if let outline = try checkPath(changes.outline, field: "outline", minPoints: 4, &errors) { office.outline = outline }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await write(office, action: .update, entityType: "streetOffice", before: before)
    }

    // MARK: Communities

    func communities(streetOfficeID: UUID?) async throws -> [Community] {
        // Companies see their compounds, not the street offices' communities.
        guard let query = Community.query(on: db).sort(\.$name)
            .scoped(to: Policy.registryScope(actor), by: Community.scopeColumns) else { return [] }
        if let streetOfficeID { query.filter(\.$streetOffice.$id == streetOfficeID) }
        return try await query.all()
    }

    func createCommunity(streetOfficeID: UUID, name rawName: String) async throws -> Community {
        _ = try await streetOffice(streetOfficeID)
        try authorize(.create, .community(streetOfficeID: streetOfficeID), notFound: "street office")
        var errors: [FieldError] = []
        guard let name = Text.required(rawName, "name", max: 100, &errors) else { throw DomainError.validation(errors) }
        if try await Community.query(on: db).filter(\.$streetOffice.$id == streetOfficeID).filter(\.$name == name).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "this street office already has a community named \(name)",
                              fields: [FieldError(field: "name", reason: "already exists in this street office")])
        }
        return try await write(Community(streetOfficeID: streetOfficeID, name: name), action: .create, entityType: "community", before: nil)
    }

    func updateCommunity(_ id: UUID, name rawName: String) async throws -> Community {
        guard let community = try await Community.find(id, on: db) else { throw DomainError.notFound("community") }
        try authorize(.update, .community(streetOfficeID: community.$streetOffice.id), notFound: "community")
        let before = try AuditLog.snapshot(community)
        var errors: [FieldError] = []
        guard let name = Text.required(rawName, "name", max: 100, &errors) else { throw DomainError.validation(errors) }
        if name != community.name,
           try await Community.query(on: db).filter(\.$streetOffice.$id == community.$streetOffice.id).filter(\.$name == name).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "this street office already has a community named \(name)",
                              fields: [FieldError(field: "name", reason: "already exists in this street office")])
        }
        community.name = name
        return try await write(community, action: .update, entityType: "community", before: before)
    }

    // MARK: Barriers

    func barriers() async throws -> [Barrier] {
        try await Barrier.query(on: db).sort(\.$name).all()
    }

    func saveBarrier(_ id: UUID?, name: String?, kind: BarrierKind?, path: [[Double]]?) async throws -> Barrier {
        let barrier: Barrier
        let before: String?
        if let id {
            guard let found = try await Barrier.find(id, on: db) else { throw DomainError.notFound("barrier") }
            try authorize(.update, .barrier, notFound: "barrier")
            barrier = found
            before = try AuditLog.snapshot(found)
        } else {
            try authorize(.create, .barrier, notFound: "barrier")
            barrier = Barrier()
            before = nil
        }
        var errors: [FieldError] = []
        if id == nil || name != nil, let name = Text.required(name, "name", max: 100, &errors) { barrier.name = name }
        if let kind { barrier.kind = kind } else if id == nil { errors.append(FieldError(field: "kind", reason: "is required")) }
        if id == nil && path == nil { errors.append(FieldError(field: "path", reason: "is required")) }
        if let path = try checkPath(path, field: "path", minPoints: 2, &errors) { barrier.path = path }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await write(barrier, action: id == nil ? .create : .update, entityType: "barrier", before: before)
    }

    func deleteBarrier(_ id: UUID) async throws {
        guard let barrier = try await Barrier.find(id, on: db) else { throw DomainError.notFound("barrier") }
        try authorize(.delete, .barrier, notFound: "barrier")
        let before = try AuditLog.snapshot(barrier)
        try await db.transaction { tx in
            try await barrier.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "barrier", entityID: id,
                                      before: RawJSON(before), at: now)
        }
    }

    // MARK: Departments

    func departments() async throws -> [Department] {
        try await Department.query(on: db).sort(\.$name).all()
    }

    func saveDepartment(_ id: UUID?, kind: DepartmentKind?, name: String?, phone: String??) async throws -> Department {
        let department: Department
        let before: String?
        if let id {
            guard let found = try await Department.find(id, on: db) else { throw DomainError.notFound("department") }
            try authorize(.update, .department(id: id), notFound: "department")
            department = found
            before = try AuditLog.snapshot(found)
            if kind != nil, kind != found.kind {
                throw DomainError.validation([FieldError(field: "kind", reason: "cannot be changed; create another department")])
            }
        } else {
            try authorize(.create, .department(id: UUID()), notFound: "department")
            department = Department()
            before = nil
        }
        var errors: [FieldError] = []
        if let kind { department.kind = kind } else if id == nil { errors.append(FieldError(field: "kind", reason: "is required")) }
        if id == nil || name != nil, let name = Text.required(name, "name", max: 100, &errors), name != department.$name.value {
            try await unique(Department.self, \.$name, name, field: "name")
            department.name = name
        }
        if let phone { department.phone = Text.optional(phone, "phone", max: 40, &errors) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await write(department, action: id == nil ? .create : .update, entityType: "department", before: before)
    }

    // MARK: Companies

    func companies() async throws -> [Company] {
        try await Company.query(on: db).sort(\.$name).all()
    }

    func company(_ id: UUID) async throws -> Company {
        guard let company = try await Company.find(id, on: db) else { throw DomainError.notFound("company") }
        return company
    }

    struct CompanyChanges {
        var name: String?
        var registrationNumber: String?
        /// Chosen at registration (default: a property company) and fixed after, like the number.
        var kind: CompanyKind? = nil
        var legalRepresentative: String??
        var phone: String??
        var staff: Int?
        var serviceStations: Int?
        var machines: Int?
    }

    func saveCompany(_ id: UUID?, _ changes: CompanyChanges) async throws -> Company {
        let company: Company
        let before: String?
        if let id {
            company = try await self.company(id)
            try authorize(.update, .company(id: id), notFound: "company")
            before = try AuditLog.snapshot(company)
        } else {
            try authorize(.create, .company(id: UUID()), notFound: "company")
            company = Company()
            company.staff = 0
            company.serviceStations = 0
            company.machines = 0
            before = nil
        }
        var errors: [FieldError] = []
        if id == nil || changes.name != nil, let name = Text.required(changes.name, "name", max: 100, &errors), name != company.$name.value {
            try await unique(Company.self, \.$name, name, field: "name")
            company.name = name
        }
        if let number = changes.registrationNumber {
            if id != nil, number != company.registrationNumber {
                errors.append(FieldError(field: "registrationNumber", reason: "cannot be changed once registered"))
            } else if !CompanyRules.isValidCreditCode(number) {
                errors.append(FieldError(field: "registrationNumber", reason: "must be an 18-character unified social credit code (统一社会信用代码) with a valid check character"))
            } else if id == nil {
                try await unique(Company.self, \.$registrationNumber, number, field: "registrationNumber")
                company.registrationNumber = number
            }
        } else if id == nil {
            errors.append(FieldError(field: "registrationNumber", reason: "is required"))
        }
        if id == nil {
            company.kind = changes.kind ?? .property
        } else if let kind = changes.kind, kind != company.kind {
            errors.append(FieldError(field: "kind", reason: "cannot be changed once registered (it is \(company.kind.rawValue))"))
        }
        if let value = changes.legalRepresentative { company.legalRepresentative = Text.optional(value, "legalRepresentative", max: 40, &errors) }
        if let value = changes.phone { company.phone = Text.optional(value, "phone", max: 40, &errors) }
        for (field, value, keyPath) in [("staff", changes.staff, \Company.staff), ("serviceStations", changes.serviceStations, \Company.serviceStations),
                                        ("machines", changes.machines, \Company.machines)] {
            guard let value else { continue }
            if (0...100_000).contains(value) { company[keyPath: keyPath] = value }
            else { errors.append(FieldError(field: field, reason: "must be between 0 and 100000, got \(value)")) }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await write(company, action: id == nil ? .create : .update, entityType: "company", before: before)
    }

    // MARK: Shared helpers

    /// Saves a record and its audit row in one transaction.
    func write<M: Model>(_ model: M, action: AuditLog.Action, entityType: String, before: String?) async throws -> M where M.IDValue == UUID {
        try await db.transaction { tx in
            try await model.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: action, entityType: entityType, entityID: model.id,
                                      before: before.map(RawJSON.init), after: model, at: now)
        }
        return model
    }

    func unique<M: Model>(_ type: M.Type, _ field: KeyPath<M, FieldProperty<M, String>>, _ value: String, field name: String) async throws {
        if try await M.query(on: db).filter(field == value).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "\(name) \"\(value)\" is already taken",
                              fields: [FieldError(field: name, reason: "\"\(value)\" is already taken")])
        }
    }

    func checkPath(_ raw: [[Double]]?, field: String, minPoints: Int, _ errors: inout [FieldError]) throws -> [GeoPoint]? {
        guard let raw else { return nil }
        if raw.count < minPoints { errors.append(FieldError(field: field, reason: "needs at least \(minPoints) positions")); return nil }
        if raw.count > 5_000 { errors.append(FieldError(field: field, reason: "has more than 5000 positions")); return nil }
        var points: [GeoPoint] = []
        for (i, pair) in raw.enumerated() {
            guard pair.count == 2 else { errors.append(FieldError(field: "\(field)[\(i)]", reason: "must be [lon, lat]")); continue }
            let problems = GeoRules.check(lon: pair[0], lat: pair[1], fieldPrefix: "\(field)[\(i)].")
            if problems.isEmpty { points.append(GeoPoint(lon: pair[0], lat: pair[1])) } else { errors += problems }
        }
        return points
    }
}

/// A snapshot already serialised, passed through to the audit log unchanged.
struct RawJSON: Encodable {
    let json: String
    init(_ json: String) { self.json = json }
    func encode(to encoder: any Encoder) throws {
        let value = try JSONDecoder().decode(AnyCodable.self, from: Data(json.utf8))
        try value.encode(to: encoder)
    }
}

/// Round-trips arbitrary JSON through Codable.
struct AnyCodable: Codable {
    let value: JSONLike
    indirect enum JSONLike {
        case null, bool(Bool), number(Double), string(String), array([AnyCodable]), object([String: AnyCodable])
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = .null }
        else if let b = try? c.decode(Bool.self) { value = .bool(b) }
        else if let n = try? c.decode(Double.self) { value = .number(n) }
        else if let s = try? c.decode(String.self) { value = .string(s) }
        else if let a = try? c.decode([AnyCodable].self) { value = .array(a) }
        else { value = .object(try c.decode([String: AnyCodable].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// Text field rules: trimmed, length-limited, empty means absent.
enum Text {
    static func required(_ value: String?, _ field: String, max: Int, _ errors: inout [FieldError]) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            errors.append(FieldError(field: field, reason: "is required"))
            return nil
        }
        guard value.count <= max else {
            errors.append(FieldError(field: field, reason: "is longer than \(max) characters"))
            return nil
        }
        return value
    }

    static func optional(_ value: String?, _ field: String, max: Int, _ errors: inout [FieldError]) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        guard value.count <= max else {
            errors.append(FieldError(field: field, reason: "is longer than \(max) characters"))
            return nil
        }
        return value
    }
}
