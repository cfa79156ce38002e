import Fluent
import SQLKit

struct CreateStreetOffice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StreetOffice.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.address, .string)
            .field(.phone, .string)
            .field(.outline, .string)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .unique(on: .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StreetOffice.schema).delete()
    }
}
