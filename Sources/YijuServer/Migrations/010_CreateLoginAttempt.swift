import Fluent
import SQLKit

struct CreateLoginAttempt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema)
            .id()
            .field(.username, .string, .required)
            .field(.succeeded, .bool, .required)
            .field(.at, .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_attempts_username_at_idx").on(LoginAttempt.schema).column("username").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
    }
}
