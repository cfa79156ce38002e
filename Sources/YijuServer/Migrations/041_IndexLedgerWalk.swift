import Fluent
import SQLKit

/// An export walks the whole ledger newest first by (received_at, id), a page after the
/// last case it read (`CaseService.ledgerPage`): with both columns in one index each page
/// is a seek, where `received_at` alone left the tie between equal times to a scan. It
/// replaces the index on `received_at`, which is its prefix.
struct IndexLedgerWalk: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_received_id").on(CaseRecord.schema).column("received_at").column("id").run()
        try await sql.drop(index: "cases_received").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_received").on(CaseRecord.schema).column("received_at").run()
        try await sql.drop(index: "cases_received_id").run()
    }
}
