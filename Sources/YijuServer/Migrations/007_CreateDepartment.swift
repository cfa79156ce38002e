import Fluent
import SQLKit

struct CreateDepartment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Department.schema)
            .id()
            .field(.kind, .string, .required)
            .field(.name, .string, .required)
            .field(.phone, .string)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Department.schema).delete()
    }
}
