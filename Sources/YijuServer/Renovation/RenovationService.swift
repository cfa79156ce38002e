import Fluent
import Foundation
import YijuCore

/// Renovation (旧改): the settings the bureau edits, compounds' facilities inventories and
/// their gaps against the complete-community standard, and projects (RenovationService+Projects,
/// +Lifecycle). Every write checks Policy, is validated whole and is audited with its change.
struct RenovationService {
    let db: any Database
    let actor: Actor
    let now: Date

    var today: String { Calendar.shanghai.day(now) }

    // MARK: Settings

    func settings() async throws -> RenovationSettingsStore.Current {
        try Policy.require(actor, .read, .renovationSettings, notFound: "renovation settings")
        return try await RenovationSettingsStore.current(on: db)
    }

    /// A new version (the bureau), checked whole; projects keep the version they were planned with.
    func updateSettings(_ settings: RenovationSettings, note: String?) async throws -> RenovationSettingsStore.Current {
        try Policy.require(actor, .update, .renovationSettings, notFound: "renovation settings")
        let problems = settings.problems()
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        return try await db.transaction { tx in
            let current = try await RenovationSettingsStore.current(on: tx)
            let record = try RenovationSettingsStore.record(settings, version: current.version + 1,
                                                           note: note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty, by: actor.username)
            try await record.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationSettings", entityID: record.id,
                                      after: ["version": String(record.version), "catalogue": record.catalogue, "standard": record.standard,
                                              "rules": record.rules], at: now)
            return try RenovationSettingsStore.decode(record)
        }
    }

    // MARK: Facilities inventory (缺什么、补什么)

    /// A compound's inventory and what it lacks against the standard in force.
    struct Inventory: Sendable {
        var compound: Compound
        var facilities: [CompoundFacility]
        var gaps: [FacilityGap]
        var settingsVersion: Int
    }

    func inventory(of compoundID: UUID) async throws -> Inventory {
        let compound = try await readableCompound(compoundID)
        return try await inventory(compound, on: db)
    }

    func inventory(_ compound: Compound, on db: any Database) async throws -> Inventory {
        let facilities = try await CompoundFacility.query(on: db).filter(\.$compound.$id == compound.requireID()).all()
        let current = try await RenovationSettingsStore.current(on: db)
        let ordered = Self.ordered(facilities, by: current.settings.catalogue)
        return Inventory(compound: compound, facilities: ordered,
                         gaps: current.settings.standard.gaps(inventory: ordered.map(\.facility), households: compound.households),
                         settingsVersion: current.version)
    }

    /// In the catalogue's order; items a newer catalogue dropped last, by code.
    static func ordered(_ facilities: [CompoundFacility], by catalogue: WorkItemCatalogue) -> [CompoundFacility] {
        let position = Dictionary(uniqueKeysWithValues: catalogue.items.enumerated().map { ($1.code, $0) })
        return facilities.sorted { (position[$0.item] ?? Int.max, $0.item) < (position[$1.item] ?? Int.max, $1.item) }
    }

    /// Replaces a compound's inventory whole (its street officer, or the bureau): each item
    /// from the catalogue once, quantities not negative.
    func saveInventory(of compoundID: UUID, _ facilities: [Facility]) async throws -> Inventory {
        let compound = try await readableCompound(compoundID)
        try Policy.require(actor, .update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        let catalogue = try await RenovationSettingsStore.current(on: db).settings.catalogue
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, f) in facilities.enumerated() {
            if catalogue.item(f.item) == nil {
                errors.append(FieldError(field: "items[\(i)].item", reason: "\(f.item) is not in the catalogue"))
            } else if !seen.insert(f.item).inserted {
                errors.append(FieldError(field: "items[\(i)].item", reason: "\(f.item) is listed twice"))
            }
            if !(f.quantity >= 0 && f.quantity <= 1_000_000) {
                errors.append(FieldError(field: "items[\(i)].quantity", reason: "must be 0 to 1000000"))
            }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await db.transaction { tx in
            let before = try await CompoundFacility.query(on: tx).filter(\.$compound.$id == compoundID).all()
            try await CompoundFacility.query(on: tx).filter(\.$compound.$id == compoundID).delete()
            for f in facilities {
                let row = CompoundFacility()
                row.$compound.id = compoundID
                row.item = f.item
                row.quantity = f.quantity
                row.condition = f.condition
                try await row.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "compoundFacilities", entityID: compoundID,
                                      before: before.map(\.facility), after: facilities, at: now)
            return try await inventory(compound, on: tx)
        }
    }

    /// The compound, if the actor may see it (404 otherwise).
    func readableCompound(_ id: UUID) async throws -> Compound {
        guard let compound = try await Compound.find(id, on: db) else { throw DomainError.notFound("compound") }
        try Policy.require(actor, .read, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id), notFound: "compound")
        return compound
    }
}
