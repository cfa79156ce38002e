import Fluent
import Foundation
import SQLKit
import YijuCore

/// A number that database triggers bump on every change to some tables, whoever writes
/// (this process, another `yiju serve` on the same PostgreSQL, an import, plain SQL). What a
/// process holds in memory about those tables stays good while the number has not moved:
/// checking it is one tiny read instead of reading everything again.
struct ChangeCounter: Sendable {
    enum Operation: String, CaseIterable, Sendable { case insert, update, delete }

    /// The one-row table holding the number; its name also names the triggers.
    let table: String
    /// The number's column, for a read folded into another statement.
    static let column = "version"
    let watchedTables: [String]
    /// The changes that count: a cache of rows that can only be invalidated by changes to
    /// them need not count inserts.
    let operations: [Operation]

    func read(on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        return try await read(on: sql)
    }

    func read(on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var version: Int }
        return try await sql.select().column(SQLAlias(SQLColumn(Self.column), as: SQLIdentifier("version"))).from(table).first(decoding: Row.self)?.version ?? 0
    }

    private var bumpFunction: String { "bump_\(table)" }

    private func triggerName(_ watched: String, _ operation: Operation?) -> String {
        "\(watched)_\(table)" + (operation.map { "_\($0.rawValue)" } ?? "")
    }

    /// The table, its row and the triggers on `tables` (all it watches when nil): for a
    /// migration's `prepare`. A table created by a later migration is watched from there.
    func create(on database: any Database, watching tables: [String]? = nil) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await database.schema(table).field("id", .int, .identifier(auto: false)).field(.string(Self.column), .int64, .required).create()
        try await sql.insert(into: table).columns("id", Self.column).values(SQLBind(1), SQLBind(0)).run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(SQLQueryString("""
                CREATE OR REPLACE FUNCTION \(unsafeRaw: bumpFunction)() RETURNS trigger AS $$
                BEGIN \(unsafeRaw: bump); RETURN NULL; END; $$ LANGUAGE plpgsql
                """)).run()
        }
        try await watch(tables ?? watchedTables, on: database)
    }

    private var bump: String { "UPDATE \(table) SET \(Self.column) = \(Self.column) + 1 WHERE id = 1" }

    /// The triggers that bump the number on a change to `tables` (each one of `watchedTables`).
    func watch(_ tables: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        precondition(Set(tables).isSubset(of: watchedTables), "watch only the tables the counter names")
        if sql.dialect.name == "postgresql" {
            let events = operations.map { $0.rawValue.uppercased() }.joined(separator: " OR ")
            for watched in tables {
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER \(unsafeRaw: triggerName(watched, nil)) AFTER \(unsafeRaw: events) ON \(unsafeRaw: watched)
                    FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: bumpFunction)()
                    """)).run()
            }
        } else {
            for watched in tables {
                for operation in operations {
                    try await sql.raw(SQLQueryString("""
                        CREATE TRIGGER \(unsafeRaw: triggerName(watched, operation)) AFTER \(unsafeRaw: operation.rawValue.uppercased()) ON \(unsafeRaw: watched)
                        BEGIN \(unsafeRaw: bump); END
                        """)).run()
                }
            }
        }
    }

    /// For a migration's `revert`.
    func drop(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await unwatch(watchedTables, on: database)
        if sql.dialect.name == "postgresql" { try await sql.raw(SQLQueryString("DROP FUNCTION IF EXISTS \(unsafeRaw: bumpFunction)()")).run() }
        try await database.schema(table).delete()
    }

    /// Drops the triggers on `tables`, where they exist.
    func unwatch(_ tables: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        for watched in tables {
            if sql.dialect.name == "postgresql" {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: triggerName(watched, nil)) ON \(unsafeRaw: watched)")).run()
            } else {
                for operation in operations {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(unsafeRaw: triggerName(watched, operation))")).run()
                }
            }
        }
    }
}
