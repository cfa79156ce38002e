import Fluent
import Foundation

/// Each compound's owners' or management committee and its representatives (居民自治).
struct CreateCompoundGovernance: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CompoundGovernanceRecord.schema)
            .id()
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.governance, .string, .required)
            .field(.updatedBy, .string, .required)
            .field(.updatedAt, .datetime)
            .unique(on: .compoundID)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CompoundGovernanceRecord.schema).delete()
    }
}
