import Fluent
import SQLKit

/// Database triggers that refuse UPDATE and DELETE on a table (the same statements on every
/// table, named after it).
enum AppendOnly {
    static func enforce(on table: String, _ sql: any SQLDatabase) async throws {
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw(SQLQueryString("""
                CREATE OR REPLACE FUNCTION \(unsafeRaw: table)_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '\(unsafeRaw: table) is append-only'; END; $$ LANGUAGE plpgsql
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_append_only()
                """)).run()
        default:
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_no_update BEFORE UPDATE ON \(unsafeRaw: table)
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER \(unsafeRaw: table)_no_delete BEFORE DELETE ON \(unsafeRaw: table)
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                """)).run()
        }
    }
}
