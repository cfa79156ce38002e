import Fluent
import Foundation
import SQLKit
import YijuCore

/// PostgreSQL: the roll-up's row trigger becomes two statement triggers (see
/// `createStatementTriggers`). SQLite has row triggers only and keeps them.
struct RollUpCaseFiguresPerStatement: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP TRIGGER IF EXISTS case_figures_roll_up ON cases").run()
        try await sql.raw("DROP FUNCTION IF EXISTS case_figures_roll_up()").run()
        try await CaseFigureRollUp.createStatementTriggers(on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await CaseFigureRollUp.dropStatementTriggers(on: sql)
        try await CaseFigureRollUp.createRowTriggers(on: sql)
    }
}
