import Fluent
import Foundation
import YijuCore

/// Compounds: the registry's core records.
extension RegistryService {
    struct CompoundFilter {
        var q: String?
        var streetOfficeID: UUID?
        var communityID: UUID?
        var companyID: UUID?
        var kind: CompoundKind?
        var management: ManagementMode?
        var renovation: RenovationState?
        var limit = 100
        var offset = 0
    }

    /// The compounds the actor may see, filtered; `nil` query when the actor sees none.
    func compoundQuery(_ filter: CompoundFilter) -> QueryBuilder<Compound>? {
        guard let query = Compound.query(on: db).scoped(to: Policy.registryScope(actor), by: Compound.scopeColumns) else { return nil }
        if let id = filter.streetOfficeID { query.filter(\.$streetOffice.$id == id) }
        if let id = filter.communityID { query.filter(\.$community.$id == id) }
        if let id = filter.companyID { query.filter(\.$company.$id == id) }
        if let kind = filter.kind { query.filter(\.$kind == kind) }
        if let mode = filter.management { query.filter(\.$management == mode) }
        if let state = filter.renovation { query.filter(\.$renovation == state) }
        if let q = filter.q?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            query.group(.or) { group in
                group.filter(\.$name ~~ q).filter(\.$code ~~ q.uppercased()).filter(\.$address ~~ q)
            }
        }
        return query
    }

    func compounds(_ filter: CompoundFilter) async throws -> (items: [Compound], total: Int) {
        guard (1...1_000).contains(filter.limit) else {
            throw DomainError(.badRequest, code: "bad_parameter", message: "limit must be 1–1000", fields: [FieldError(field: "limit", reason: "must be 1–1000")])
        }
        guard filter.offset >= 0 else {
            throw DomainError(.badRequest, code: "bad_parameter", message: "offset must be 0 or more", fields: [FieldError(field: "offset", reason: "must be 0 or more")])
        }
        guard let query = compoundQuery(filter) else { return ([], 0) }
        let total = try await query.copy().count()
        let items = try await query.with(\.$streetOffice).with(\.$community).with(\.$company).with(\.$contract)
            .sort(\.$code).range(filter.offset..<(filter.offset + filter.limit)).all()
        return (items, total)
    }

    /// Every visible compound with its references, for maps and exports.
    func allCompounds(streetOfficeID: UUID? = nil) async throws -> [Compound] {
        guard let query = compoundQuery(CompoundFilter(streetOfficeID: streetOfficeID)) else { return [] }
        return try await query.with(\.$streetOffice).with(\.$community).with(\.$company).sort(\.$code).all()
    }

    func compound(_ id: UUID) async throws -> Compound {
        guard let compound = try await Compound.query(on: db).filter(\.$id == id)
            .with(\.$streetOffice).with(\.$community).with(\.$company).with(\.$contract).first() else {
            throw DomainError.notFound("compound")
        }
        try authorize(.read, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        return compound
    }

    /// Creates a compound from field values named as in the interchange formats
    /// (`CompoundRecord.columns`), the same rules as a one-row import.
    func createCompound(_ values: [String: RawValue], referenceErrors: [FieldError] = []) async throws -> Compound {
        let record = try parse(values, referenceErrors: referenceErrors)
        let resolved = try await resolve(record, line: nil)
        try authorize(.create, .compound(streetOfficeID: try resolved.streetOffice.requireID(), companyID: resolved.company?.id), notFound: "street office")
        if try await Compound.query(on: db).filter(\.$code == record.code).first() != nil {
            throw DomainError(.conflict, code: "duplicate", message: "compound code \(record.code) is already taken",
                              fields: [FieldError(field: "code", reason: "\"\(record.code)\" is already taken")])
        }
        let compound = Compound()
        try apply(record, resolved, to: compound)
        _ = try await write(compound, action: .create, entityType: "compound", before: nil)
        return try await self.compound(try compound.requireID())
    }

    /// Changes the given fields; the others keep their values. Both the compound's old and
    /// new street office must be in the actor's scope.
    func updateCompound(_ id: UUID, _ changes: [String: RawValue], referenceErrors: [FieldError] = []) async throws -> Compound {
        let compound = try await self.compound(id)
        try authorize(.update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        if changes["id"] != nil, changes["id"] != .text(compound.code) {
            throw DomainError.validation([FieldError(field: "code", reason: "cannot be changed; other systems and files refer to it")])
        }
        var values = Self.values(of: compound)
        values.merge(changes) { _, new in new }
        // Leaving professional management ends the company's role unless a company is given.
        if let mode = changes["management"], mode != .text(ManagementMode.professional.rawValue), changes["company"] == nil {
            values["company"] = .null
        }
        let record = try parse(values, referenceErrors: referenceErrors)
        let resolved = try await resolve(record, line: nil)
        try authorize(.update, .compound(streetOfficeID: try resolved.streetOffice.requireID(), companyID: resolved.company?.id), notFound: "street office")
        let before = try AuditLog.snapshot(compound)
        try apply(record, resolved, to: compound)
        _ = try await write(compound, action: .update, entityType: "compound", before: before)
        return try await self.compound(id)
    }

    // MARK: Import

    struct ImportOutcome: Equatable {
        var added = 0
        var updated = 0
        var unchanged = 0
        var skippedFeatures = 0
    }

    /// All or nothing: every row is resolved and authorised before anything is written,
    /// then everything is written in one transaction with one audit row per change.
    func importCompounds(_ parsed: CompoundFile.Parsed) async throws -> ImportOutcome {
        guard Policy.mayImport(actor) else { throw DomainError.forbidden }
        let context = try await ResolutionContext.load(db)
        let existing = Dictionary(try await Compound.query(on: db).all().map { ($0.code.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        var errors = parsed.errors
        var planned: [(Compound?, CompoundRecord, Resolved)] = []
        for row in parsed.rows {
            do {
                let resolved = try context.resolve(row.record, line: row.line)
                let current = existing[row.record.code.lowercased()]
                let scopes = [(try resolved.streetOffice.requireID(), resolved.company?.id)] + (current.map { [($0.$streetOffice.id, $0.$company.id)] } ?? [])
                for (streetID, companyID) in scopes where Policy.decide(actor, current == nil ? .create : .update,
                                                                        .compound(streetOfficeID: streetID, companyID: companyID)) != .allow {
                    throw DomainError.validation([FieldError(field: "street", reason: "you may not change compounds of this street office", line: row.line)])
                }
                planned.append((current, row.record, resolved))
            } catch let error as DomainError {
                errors += error.fields
            }
        }
        // One list in file order: field problems and unknown references together.
        errors.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        guard errors.isEmpty else { throw DomainError.importFailed(errors) }

        let plan = planned
        return try await db.transaction { tx in
            var outcome = ImportOutcome(skippedFeatures: parsed.skippedFeatures)
            for (current, record, resolved) in plan {
                let compound = current ?? Compound()
                let before = try current.map(AuditLog.snapshot)
                try apply(record, resolved, to: compound)
                if let before, try before == AuditLog.snapshot(compound) { outcome.unchanged += 1; continue }
                try await compound.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .import, entityType: "compound", entityID: compound.id,
                                          before: before.map(RawJSON.init), after: compound, at: now)
                if current == nil { outcome.added += 1 } else { outcome.updated += 1 }
            }
            return outcome
        }
    }

    // MARK: Records and resolution

    /// Turns record ids from a form or request body into the names the compound rules
    /// resolve, answering 422 with the id field when one names nothing.
    /// Returns the problems instead of throwing them, so the caller reports them together
    /// with every other bad field.
    func addReferences(to values: inout [String: RawValue], streetOfficeId: String?, communityId: String?,
                       companyId: String?) async throws -> [FieldError] {
        var errors: [FieldError] = []
        if let raw = streetOfficeId {
            if let id = UUID(uuidString: raw), let office = try await StreetOffice.find(id, on: db) {
                values["street"] = .text(office.name)
            } else { errors.append(FieldError(field: "streetOfficeId", reason: "no street office has id \(raw)")) }
        }
        if let raw = communityId {
            if raw.isEmpty { values["community"] = .null }
            else if let id = UUID(uuidString: raw), let community = try await Community.find(id, on: db) {
                values["community"] = .text(community.name)
            } else { errors.append(FieldError(field: "communityId", reason: "no community has id \(raw)")) }
        }
        if let raw = companyId {
            if raw.isEmpty { values["company"] = .null }
            else if let id = UUID(uuidString: raw), let company = try await Company.find(id, on: db) {
                if company.kind == .property { values["company"] = .text(company.registrationNumber) }
                else { errors.append(FieldError(field: "companyId", reason: "\(company.name) is a \(company.kind.rawValue) company; only a property company manages a compound")) }
            } else { errors.append(FieldError(field: "companyId", reason: "no company has id \(raw)")) }
        }
        return errors
    }

    /// Checks field values with the compound rules; `referenceErrors` (ids that named
    /// nothing) are reported with them, replacing the rules' complaint about the same field.
    func parse(_ values: [String: RawValue], referenceErrors: [FieldError] = []) throws -> CompoundRecord {
        let referenced: [String: String] = ["streetOfficeId": "street", "communityId": "community", "companyId": "company"]
        let shadowed = Set(referenceErrors.compactMap { referenced[$0.field] })
        switch CompoundRules.parse(values, line: nil, currentYear: currentYear) {
        case .success(let record):
            guard referenceErrors.isEmpty else { throw DomainError.validation(referenceErrors) }
            return record
        case .failure(let errors):
            let named = errors.filter { !shadowed.contains($0.field) }.map {
                $0.field == "id" ? FieldError(field: "code", reason: $0.reason) : $0
            }
            throw DomainError.validation(referenceErrors + named)
        }
    }

    func resolve(_ record: CompoundRecord, line: Int?) async throws -> Resolved {
        try await ResolutionContext.load(db).resolve(record, line: line)
    }

    struct Resolved {
        var streetOffice: StreetOffice
        var community: Community?
        var company: Company?
        var contract: Contract?
    }

    func apply(_ record: CompoundRecord, _ resolved: Resolved, to compound: Compound) throws {
        compound.code = record.code
        compound.name = record.name
        compound.kind = record.kind
        compound.$streetOffice.id = try resolved.streetOffice.requireID()
        compound.$community.id = resolved.community?.id
        compound.address = record.address
        compound.lon = record.location.lon
        compound.lat = record.location.lat
        compound.floorArea = record.floorArea
        compound.households = record.households
        compound.buildings = record.buildings
        compound.yearBuilt = record.yearBuilt
        compound.renovation = record.renovation
        compound.management = record.management
        // A contract stays only while the compound stays with that contract's company.
        if compound.$company.id != resolved.company?.id { compound.$contract.id = nil }
        compound.$company.id = resolved.company?.id
    }

    /// A compound as interchange field values (for merging a patch, and for export).
    static func values(of c: Compound) -> [String: RawValue] {
        var values: [String: RawValue] = [
            "id": .text(c.code), "name": .text(c.name), "street": .text(c.streetOffice.name), "kind": .text(c.kind.rawValue),
            "lon": .number(c.lon), "lat": .number(c.lat), "floorArea": .number(c.floorArea),
            "households": .number(Double(c.households)), "buildings": .number(Double(c.buildings)),
            "renovation": .text(c.renovation.rawValue), "management": .text(c.management.rawValue),
        ]
        if let community = c.community { values["community"] = .text(community.name) }
        if let address = c.address { values["address"] = .text(address) }
        if let year = c.yearBuilt { values["yearBuilt"] = .number(Double(year)) }
        if let company = c.company { values["company"] = .text(company.registrationNumber) }
        return values
    }

    static func record(of c: Compound) -> CompoundRecord {
        CompoundRecord(code: c.code, name: c.name, street: c.streetOffice.name, community: c.community?.name, kind: c.kind,
                       address: c.address, location: c.location, floorArea: c.floorArea, households: c.households,
                       buildings: c.buildings, yearBuilt: c.yearBuilt, renovation: c.renovation, management: c.management,
                       company: c.company?.registrationNumber)
    }
}

/// Name → record lookups for resolving files, loaded once per import instead of per row.
struct ResolutionContext {
    var streetOffices: [String: StreetOffice] = [:]
    var communities: [UUID: [String: Community]] = [:]
    var companies: [String: Company] = [:]

    static func load(_ db: any Database) async throws -> ResolutionContext {
        var context = ResolutionContext()
        for office in try await StreetOffice.query(on: db).all() {
            context.streetOffices[office.name] = office
            context.streetOffices[office.code.lowercased()] = office
        }
        for community in try await Community.query(on: db).all() {
            context.communities[community.$streetOffice.id, default: [:]][community.name] = community
        }
        for company in try await Company.query(on: db).all() {
            context.companies[company.name] = company
            context.companies[company.registrationNumber] = company
        }
        return context
    }

    func resolve(_ record: CompoundRecord, line: Int?) throws -> RegistryService.Resolved {
        var errors: [FieldError] = []
        let office = streetOffices[record.street] ?? streetOffices[record.street.lowercased()]
        if office == nil { errors.append(FieldError(field: "street", reason: "unknown street office \"\(record.street)\"", line: line)) }
        var community: Community?
        if let name = record.community, let office {
            community = communities[try office.requireID()]?[name]
            if community == nil { errors.append(FieldError(field: "community", reason: "\(office.name) has no community \"\(name)\"", line: line)) }
        }
        var company: Company?
        if let key = record.company {
            company = companies[key] ?? companies[key.uppercased()]
            if company == nil { errors.append(FieldError(field: "company", reason: "unknown company \"\(key)\" (use its registration number or exact name)", line: line)) }
            else if let kind = company?.kind, kind != .property {
                errors.append(FieldError(field: "company", reason: "\(key) is a \(kind.rawValue) company; only a property company manages a compound", line: line))
            }
        }
        guard errors.isEmpty, let office else { throw DomainError.validation(errors) }
        return .init(streetOffice: office, community: community, company: company)
    }
}
