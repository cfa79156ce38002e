import Fluent

/// What a confirmed exit (清退) changes: the day the company's contracts end, and the
/// emergency providers' contracts that cover its compounds until the lot is re-tendered.
struct CreateExits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ExitRecommendation.schema).field(.endDate, .string).update()
        try await database.schema(Contract.schema).field(.exitID, .uuid, .references(ExitRecommendation.schema, .id)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contract.schema).deleteField(.exitID).update()
        try await database.schema(ExitRecommendation.schema).deleteField(.endDate).update()
    }
}
