import Fluent
import FluentSQLiteDriver
import Foundation
import PostgresKit
import PostgresNIO
import SQLKit
import YijuCore

/// Many rows of one table written by their row table (`RowColumn`s), without a Fluent model
/// per row and without SQLKit's `Encodable` binds: building and reading a model's property
/// wrappers, and encoding a value through `Encodable`, each cost far more than the
/// database's own insert (the demo's history, 14,000 cases and 100,000 events, took 40 s
/// through `[Model].create` and 9 s through SQLKit's multi-row INSERT in a debug build).
/// SQLite is handed its own values in multi-row INSERTs; PostgreSQL one array per column,
/// unnested in one statement; another SQL driver gets SQLKit's INSERT.
enum RowInserts {
    /// Binds one SQLite (or SQLKit) statement may carry: under SQLite's 32,766 and PostgreSQL's 65,535.
    static let bindsPerStatement = 30_000

    /// All of `rows`. Call it inside a transaction when the rows must land together.
    static func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        if let sqlite = sql as? any SQLiteDatabase {
            try await insertSQLite(into: table, columns, rows, on: sqlite)
        } else if let postgres = sql as? any PostgresDatabase {
            try await insertPostgres(into: table, columns, rows, on: postgres)
        } else {
            try await insertSQLKit(into: table, columns, rows, on: sql)
        }
    }

    /// The same on a Fluent database (the SQL drivers Yiju runs on are all SQL databases).
    static func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        try await insert(into: table, columns, rows, on: sql)
    }

    /// `INSERT INTO table (columns) VALUES (?, …), …` for `count` rows, as SQLite takes it.
    static func sqliteStatement(into table: String, names: [String], rows count: Int) -> String {
        let placeholders = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        return "INSERT INTO \"\(table)\" (\(names.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES "
            + Array(repeating: placeholders, count: count).joined(separator: ", ")
    }

    /// The values of `rows`, row by row, as SQLite stores them.
    static func sqliteBinds<Row, Model>(_ columns: [RowColumn<Row, Model>], _ rows: some Collection<Row>) -> [SQLiteData] {
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * columns.count)
        for row in rows { for column in columns { binds.append(column.value(row).sqlite) } }
        return binds
    }

    private static func insertSQLite<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row],
                                                 on sqlite: any SQLiteDatabase) async throws {
        let perStatement = max(1, bindsPerStatement / columns.count)
        let names = columns.names()
        let full = sqliteStatement(into: table, names: names, rows: min(perStatement, rows.count))
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let slice = rows[start..<min(start + perStatement, rows.count)]
            let statement = slice.count == perStatement || slice.count == rows.count ? full : sqliteStatement(into: table, names: names, rows: slice.count)
            _ = try await sqlite.query(statement, sqliteBinds(columns, slice))
        }
    }

    /// One statement whatever the number of rows: each column's values as one array.
    private static func insertPostgres<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row],
                                                   on postgres: any PostgresDatabase) async throws {
        let arrays = columns.enumerated().map { n, column in "$\(n + 1)::\(column.kind.postgresType)[]" }.joined(separator: ", ")
        let statement = "INSERT INTO \"\(table)\" (\(columns.names().map { "\"\($0)\"" }.joined(separator: ", "))) SELECT * FROM unnest(\(arrays))"
        var bindings = PostgresBindings(capacity: columns.count)
        for column in columns { try bindings.append(RowColumnArray(kind: column.kind, values: rows.map(column.value))) }
        let query = PostgresQuery(unsafeSQL: statement, binds: bindings)
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                for try await _ in try await connection.query(query, logger: connection.logger) {}
            }
        }.get()
    }

    private static func insertSQLKit<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row],
                                                 on sql: any SQLDatabase) async throws {
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
}
