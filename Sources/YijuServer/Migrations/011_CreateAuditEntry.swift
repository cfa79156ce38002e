import Fluent
import SQLKit

/// The audit log, with database triggers that refuse UPDATE and DELETE: append-only is
/// enforced below the application, so no code path (or future bug) can rewrite history.
struct CreateAuditEntry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field(.at, .datetime, .required)
            .field(.actorID, .uuid)
            .field(.actorName, .string, .required)
            .field(.action, .string, .required)
            .field(.entityType, .string, .required)
            .field(.entityID, .uuid)
            .field(.before, .string)
            .field(.after, .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_entries_at_idx").on(AuditEntry.schema).column("at").run()
        try await sql.create(index: "audit_entries_entity_idx").on(AuditEntry.schema).column("entity_type").column("entity_id").run()
        try await AppendOnly.enforce(on: AuditEntry.schema, sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
    }
}
