import Fluent
import SQLKit

struct CreateZoningPlan: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ZoningPlanRecord.schema)
            .id()
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.version, .int, .required)
            .field(.status, .string, .required)
            .field(.revision, .int, .required)
            .field(.document, .string, .required)
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .streetOfficeID, .version)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ZoningPlanRecord.schema).delete()
    }
}
