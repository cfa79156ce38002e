import Fluent
import SQLKit

struct CreateUserToken: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserToken.schema)
            .id()
            .field(.userID, .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field(.tokenHash, .string, .required)
            .field(.label, .string)
            .field(.createdAt, .datetime)
            .field(.expiresAt, .datetime)
            .unique(on: .tokenHash)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserToken.schema).delete()
    }
}
