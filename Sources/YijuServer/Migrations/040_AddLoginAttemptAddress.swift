import Fluent

/// The client address of each login attempt, so failures are also counted per address:
/// one address trying many usernames (password spraying) is throttled too, not only one
/// username tried many times.
struct AddLoginAttemptAddress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).field(.address, .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).deleteField(.address).update()
    }
}
