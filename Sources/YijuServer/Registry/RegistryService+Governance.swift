import Fluent
import Foundation
import YijuCore

/// A compound's governance (居民自治): its owners' or management committee and its yard and
/// building heads and residents' representatives. Kept by whoever keeps the compound's
/// record; read by whoever reads the compound, phones masked for all but its keepers.
extension RegistryService {
    struct Governance: Sendable {
        var compound: Compound
        var governance: CompoundGovernance
        var phonesMasked: Bool
        var updatedBy: String?
        var updatedAt: Date?
    }

    func governance(of compoundID: UUID) async throws -> Governance {
        let compound = try await compound(compoundID)
        return try await governance(compound, record: try await Self.governanceRecord(compoundID, on: db))
    }

    /// Replaces the compound's governance whole, checked by `GovernanceRules`.
    func saveGovernance(of compoundID: UUID, _ input: CompoundGovernance) async throws -> Governance {
        let compound = try await compound(compoundID)
        try authorize(.update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        let checked = try GovernanceRules.checked(input, buildings: compound.buildings)
        let record = try await db.transaction { tx in
            let record = try await Self.governanceRecord(compoundID, on: tx) ?? CompoundGovernanceRecord()
            let before = record.id == nil ? nil : record.governance
            record.$compound.id = compoundID
            record.governance = checked
            record.updatedBy = actor.username
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "compoundGovernance", entityID: compoundID,
                                      before: before, after: checked, at: now)
            return record
        }
        return try await governance(compound, record: record)
    }

    static func governanceRecord(_ compoundID: UUID, on db: any Database) async throws -> CompoundGovernanceRecord? {
        try await CompoundGovernanceRecord.query(on: db).filter(\.$compound.$id == compoundID).first()
    }

    private func governance(_ compound: Compound, record: CompoundGovernanceRecord?) async throws -> Governance {
        let masked = !Policy.maySeeResidentPhones(actor, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id))
        let saved = record?.governance ?? .empty
        let g = masked ? saved.withMaskedPhones : saved
        return Governance(compound: compound, governance: g, phonesMasked: masked, updatedBy: record?.updatedBy, updatedAt: record?.updatedAt)
    }
}
