import Fluent
import SQLKit

/// The client address of each login attempt, so failures are also counted per address:
/// one address trying many usernames (password spraying) is throttled too, not only one
/// username tried many times. Indexed like the username, since every login counts both.
struct AddLoginAttemptAddress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).field(.address, .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_attempts_address_at_idx").on(LoginAttempt.schema).column("address").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "login_attempts_address_at_idx").run()
        }
        try await database.schema(LoginAttempt.schema).deleteField(.address).update()
    }
}
