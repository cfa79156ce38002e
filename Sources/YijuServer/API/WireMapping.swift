import Foundation
import OpenAPIRuntime
import YijuCore

/// Fluent models → generated wire types. The API never returns a model itself.
extension Components.Schemas.User {
    init(_ user: User) throws {
        self.init(id: try user.requireID().uuidString, username: user.username, displayName: user.displayName,
                  role: .init(rawValue: user.role.rawValue)!, streetOfficeId: user.$streetOffice.id?.uuidString,
                  departmentId: user.$department.id?.uuidString, companyId: user.$company.id?.uuidString)
    }
}

extension Components.Schemas.StreetOffice {
    init(_ office: StreetOffice, compoundCount: Int) throws {
        let outline = office.outline
        self.init(id: try office.requireID().uuidString, code: office.code, name: office.name, address: office.address, phone: office.phone,
                  outline: outline.isEmpty ? nil : outline.map { [$0.lon, $0.lat] }, compoundCount: compoundCount)
    }
}

extension Components.Schemas.Community {
    init(_ community: Community, compoundCount: Int) throws {
        self.init(id: try community.requireID().uuidString, streetOfficeId: community.$streetOffice.id.uuidString, name: community.name,
                  compoundCount: compoundCount)
    }
}

extension Components.Schemas.Compound {
    /// Expects street office, community, company and contract eager-loaded; `area` is the
    /// compound's open management-area assignment, if any.
    init(_ c: Compound, area: (ManagementArea, AreaAssignment)? = nil) throws {
        self.init(
            id: try c.requireID().uuidString, code: c.code, name: c.name, kind: .init(rawValue: c.kind.rawValue)!,
            streetOfficeId: c.$streetOffice.id.uuidString, streetOfficeName: c.streetOffice.name,
            communityId: c.$community.id?.uuidString, communityName: c.loadedCommunity?.name, address: c.address,
            location: [c.lon, c.lat], floorArea: c.floorArea, households: c.households, buildings: c.buildings,
            yearBuilt: c.yearBuilt, renovation: .init(rawValue: c.renovation.rawValue)!, management: .init(rawValue: c.management.rawValue)!,
            company: try c.loadedCompany.map { .init(id: try $0.requireID().uuidString, name: $0.name) },
            contract: try c.loadedContract.map { try .init($0) },
            managementArea: try area.map { .init(id: try $0.0.requireID().uuidString, code: $0.0.code, since: $0.1.startDate) },
            updatedAt: c.updatedAt ?? c.createdAt ?? Date(timeIntervalSince1970: 0))
    }
}

extension Components.Schemas.Contract {
    init(_ contract: Contract) throws {
        self.init(id: try contract.requireID().uuidString, code: contract.code, companyId: contract.$company.id.uuidString,
                  feeRateFen: contract.feeRateFen, start: contract.startDate, end: contract.endDate,
                  tenderId: contract.tenderID?.uuidString, started: contract.tenderID == nil ? nil : contract.appliedAt != nil)
    }
}

extension Components.Schemas.Barrier {
    init(_ barrier: Barrier) throws {
        self.init(id: try barrier.requireID().uuidString, name: barrier.name, kind: .init(rawValue: barrier.kind.rawValue)!,
                  path: barrier.path.map { [$0.lon, $0.lat] })
    }
}

extension Components.Schemas.Department {
    init(_ department: Department) throws {
        self.init(id: try department.requireID().uuidString, kind: .init(rawValue: department.kind.rawValue)!, name: department.name,
                  phone: department.phone)
    }
}

extension Components.Schemas.Company {
    init(_ company: Company, totals: RegistryCounts.CompanyTotals?) throws {
        self.init(id: try company.requireID().uuidString, name: company.name, kind: .init(rawValue: company.kind.rawValue)!,
                  registrationNumber: company.registrationNumber,
                  legalRepresentative: company.legalRepresentative, phone: company.phone, staff: company.staff,
                  serviceStations: company.serviceStations, machines: company.machines,
                  compoundCount: totals?.compounds ?? 0, floorArea: totals?.floorArea ?? 0)
    }
}

extension Components.Schemas.AuditEntry {
    init(_ entry: AuditEntry) throws {
        func object(_ json: String?) throws -> Components.Schemas.AuditEntry.beforePayload? {
            guard let json else { return nil }
            return try JSONDecoder().decode(Components.Schemas.AuditEntry.beforePayload.self, from: Data(json.utf8))
        }
        self.init(id: try entry.requireID().uuidString, at: entry.at, actor: entry.actorName,
                  action: .init(rawValue: entry.action) ?? .update, entityType: entry.entityType,
                  entityId: entry.entityID?.uuidString, before: try object(entry.before),
                  after: try object(entry.after).map { try JSONDecoder().decode(Components.Schemas.AuditEntry.afterPayload.self, from: JSONEncoder().encode($0)) })
    }
}
