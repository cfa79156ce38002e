import Fluent
import SQLKit
import YijuCore

/// Indexes for the ledger's filters at scale: colour (with state, so "open red" is read from
/// the index alone), open work per street office, and
/// overdue cases (partial, since few cases ever are).
struct IndexCaseLedger: AsyncMigration {
    static let statements = [
        "CREATE INDEX cases_colour_received ON cases (colour, state, received_at)",
        "CREATE INDEX cases_office_state_received ON cases (street_office_id, state, received_at)",
        "CREATE INDEX cases_office_overdue ON cases (street_office_id, received_at) WHERE overdue_at IS NOT NULL",
        "CREATE INDEX cases_company_received ON cases (handler_company_id, received_at)",
        "CREATE INDEX cases_department_received ON cases (handler_department_id, received_at)",
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for name in ["cases_colour_received", "cases_office_state_received", "cases_office_overdue", "cases_company_received", "cases_department_received"] {
            try await sql.raw(SQLQueryString("DROP INDEX \(unsafeRaw: name)")).run()
        }
    }
}
