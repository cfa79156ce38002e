import Fluent

/// `TokenUses`: a token's last use, one row per token used, gone with the token.
struct CreateTokenUses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TokenUses.schema)
            .field("token_id", .uuid, .identifier(auto: false), .references(UserToken.schema, "id", onDelete: .cascade))
            .field("last_used_at", .datetime, .required)
            .field("last_address", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TokenUses.schema).delete()
    }
}
