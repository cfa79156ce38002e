import Fluent
import SQLKit

struct CreateCommunity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Community.schema)
            .id()
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.name, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .streetOfficeID, .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Community.schema).delete()
    }
}
