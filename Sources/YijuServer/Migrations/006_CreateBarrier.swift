import Fluent
import SQLKit

struct CreateBarrier: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Barrier.schema)
            .id()
            .field(.name, .string, .required)
            .field(.kind, .string, .required)
            .field(.path, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Barrier.schema).delete()
    }
}
