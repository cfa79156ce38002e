import Foundation
import OpenAPIRuntime
import YijuCore

/// Fluent models → generated wire types. The API never returns a model itself.
extension Components.Schemas.User {
    init(_ user: User) {
        self.init(id: user.id!.uuidString, username: user.username, displayName: user.displayName,
                  role: .init(rawValue: user.role.rawValue)!, streetOfficeId: user.$streetOffice.id?.uuidString,
                  departmentId: user.$department.id?.uuidString, companyId: user.$company.id?.uuidString)
    }
}

extension Components.Schemas.StreetOffice {
    init(_ office: StreetOffice, compoundCount: Int) {
        let outline = office.outline
        self.init(id: office.id!.uuidString, code: office.code, name: office.name, address: office.address, phone: office.phone,
                  outline: outline.isEmpty ? nil : outline.map { [$0.lon, $0.lat] }, compoundCount: compoundCount)
    }
}

extension Components.Schemas.Community {
    init(_ community: Community, compoundCount: Int) {
        self.init(id: community.id!.uuidString, streetOfficeId: community.$streetOffice.id.uuidString, name: community.name,
                  compoundCount: compoundCount)
    }
}

extension Components.Schemas.Compound {
    /// Expects street office, community, company and contract eager-loaded; `area` is the
    /// compound's open management-area assignment, if any.
    init(_ c: Compound, area: (ManagementArea, AreaAssignment)? = nil) {
        self.init(
            id: c.id!.uuidString, code: c.code, name: c.name, kind: .init(rawValue: c.kind.rawValue)!,
            streetOfficeId: c.$streetOffice.id.uuidString, streetOfficeName: c.streetOffice.name,
            communityId: c.$community.id?.uuidString, communityName: c.loadedCommunity?.name, address: c.address,
            location: [c.lon, c.lat], floorArea: c.floorArea, households: c.households, buildings: c.buildings,
            yearBuilt: c.yearBuilt, renovation: .init(rawValue: c.renovation.rawValue)!, management: .init(rawValue: c.management.rawValue)!,
            company: c.loadedCompany.map { .init(id: $0.id!.uuidString, name: $0.name) },
            contract: c.loadedContract.map { .init($0) },
            managementArea: area.map { .init(id: $0.0.id!.uuidString, code: $0.0.code, since: $0.1.startDate) },
            updatedAt: c.updatedAt ?? c.createdAt ?? Date(timeIntervalSince1970: 0))
    }
}

extension Components.Schemas.Contract {
    init(_ contract: Contract) {
        self.init(id: contract.id!.uuidString, code: contract.code, companyId: contract.$company.id.uuidString,
                  feeRateFen: contract.feeRateFen, start: contract.startDate, end: contract.endDate,
                  tenderId: contract.tenderID?.uuidString, started: contract.tenderID == nil ? nil : contract.appliedAt != nil)
    }
}

extension Components.Schemas.Barrier {
    init(_ barrier: Barrier) {
        self.init(id: barrier.id!.uuidString, name: barrier.name, kind: .init(rawValue: barrier.kind.rawValue)!,
                  path: barrier.path.map { [$0.lon, $0.lat] })
    }
}

extension Components.Schemas.Department {
    init(_ department: Department) {
        self.init(id: department.id!.uuidString, kind: .init(rawValue: department.kind.rawValue)!, name: department.name,
                  phone: department.phone)
    }
}

extension Components.Schemas.Company {
    init(_ company: Company, totals: RegistryCounts.CompanyTotals?) {
        self.init(id: company.id!.uuidString, name: company.name, registrationNumber: company.registrationNumber,
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
        self.init(id: entry.id!.uuidString, at: entry.at, actor: entry.actorName,
                  action: .init(rawValue: entry.action) ?? .update, entityType: entry.entityType,
                  entityId: entry.entityID?.uuidString, before: try object(entry.before),
                  after: try object(entry.after).map { try JSONDecoder().decode(Components.Schemas.AuditEntry.afterPayload.self, from: JSONEncoder().encode($0)) })
    }
}
