import Fluent
import Foundation
import SQLKit
import YijuCore

/// Many rows of one table written by their row table (`RowColumn`s) as multi-row INSERTs,
/// without a Fluent model per row: building and reading a model's property wrappers costs
/// far more than the database's own insert (the demo's history, 14,000 cases and 60,000
/// events, took 40 s in a debug build through `[Model].create`).
enum RowInserts {
    /// Binds one statement may carry: under SQLite's 32,766 and PostgreSQL's 65,535.
    static let bindsPerStatement = 30_000

    /// All of `rows`, in statements as large as the bind limit allows. Call it inside a
    /// transaction when the rows must land together.
    static func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        let perStatement = max(1, bindsPerStatement / columns.count)
        let names = columns.names()
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = sql.insert(into: table).columns(names)
            for row in rows[start..<min(start + perStatement, rows.count)] {
                insert.values(columns.values(of: row).map(\.encodable))
            }
            try await insert.run()
        }
    }

    /// The same on a Fluent database (the SQL drivers Yiju runs on are all SQL databases).
    static func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        try await insert(into: table, columns, rows, on: sql)
    }
}
