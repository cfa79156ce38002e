import Fluent
import Foundation
import SQLKit
import YijuCore

/// The case figures per Shanghai day, street office, handler and domain, kept by triggers
/// on `cases`: an inserted case adds its contribution to its day's row, an update takes
/// the old contribution away and adds the new one. Every path that changes a case (a step,
/// a timer's conditional UPDATE, an import) is covered without remembering to, and a
/// year's figures read a few ten thousand rows instead of a million cases.
///
/// Each counter is one SQL expression over a case row, used by the triggers and by the
/// direct count over `cases` alike, so the two cannot disagree.
enum CaseFigureRollUp {
    static let table = "case_figures_daily"
    /// Stands for "no company" / "no department" in the roll-up's key, where NULL would
    /// make every such row distinct.
    static let none = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// (column, expression over a case row written as `R.`).
    static let counters: [(String, String)] = [
        ("total", "1"),
        ("dispatched", "CASE WHEN R.dispatched_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("accepted_in_time", "CASE WHEN R.dispatched_at IS NOT NULL AND R.unanswered_at IS NULL AND R.state NOT IN ('dispatched', 'returned') THEN 1 ELSE 0 END"),
        ("resolved", "CASE WHEN R.state IN ('replied', 'followedUp', 'closed') THEN 1 ELSE 0 END"),
        // Every dissatisfied follow-up reopened the case once, so the follow-ups are the
        // satisfied ones plus the reopenings.
        ("followed_up", "CASE WHEN R.satisfaction IN ('satisfied', 'basicallySatisfied') THEN 1 ELSE 0 END + R.reopen_count"),
        ("satisfied", "CASE WHEN R.satisfaction IN ('satisfied', 'basicallySatisfied') THEN 1 ELSE 0 END"),
        ("replied", "CASE WHEN R.replied_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("on_time", "CASE WHEN R.replied_at IS NOT NULL AND R.overdue_at IS NULL THEN 1 ELSE 0 END"),
        ("overdue", "CASE WHEN R.overdue_at IS NOT NULL THEN 1 ELSE 0 END"),
        ("repeats", "CASE WHEN R.repeat_count > 1 THEN 1 ELSE 0 END"),
        ("green", "CASE WHEN R.colour = 'green' THEN 1 ELSE 0 END"),
    ]

    static let keyColumns = ["day", "street_office_id", "company_id", "department_id", "domain"]

    /// The Shanghai day of receipt as days since 1970-01-01. China has kept UTC+8 all year
    /// since 1991, so a fixed offset is exact for every case.
    static func dayNumber(_ date: Date) -> Int {
        Int(((date.timeIntervalSince1970 + 28_800) / 86_400).rounded(.down))
    }

    static func date(ofDay day: Int) -> Date {
        Date(timeIntervalSince1970: Double(day) * 86_400 - 28_800)
    }

    private static func dayExpression(_ row: String, dialect: String) -> String {
        dialect == "postgresql"
            ? "FLOOR((EXTRACT(EPOCH FROM \(row).received_at) + 28800) / 86400)::integer"
            : "CAST((\(row).received_at + 28800) / 86400 AS INTEGER)"
    }

    private static func keyValues(_ row: String, dialect: String) -> String {
        let none = "'\(self.none.uuidString)'"
        return [dayExpression(row, dialect: dialect), "\(row).street_office_id", "COALESCE(\(row).handler_company_id, \(none))",
                "COALESCE(\(row).handler_department_id, \(none))", "\(row).domain"].joined(separator: ", ")
    }

    /// Adds (or with `sign` -1 takes away) one case row's contribution.
    private static func upsert(_ row: String, sign: String, dialect: String) -> String {
        let values = counters.map { "\(sign)(\($0.1.replacingOccurrences(of: "R.", with: "\(row).")))" }.joined(separator: ", ")
        let updates = counters.map { "\($0.0) = \(table).\($0.0) + excluded.\($0.0)" }.joined(separator: ", ")
        return """
            INSERT INTO \(table) (\((keyColumns + counters.map(\.0)).joined(separator: ", ")))
            VALUES (\(keyValues(row, dialect: dialect)), \(values))
            ON CONFLICT (\(keyColumns.joined(separator: ", "))) DO UPDATE SET \(updates)
            """
    }

    /// The counters summed over rows of `cases` (the direct count) or of the roll-up.
    static func sums(overCases: Bool) -> String {
        counters.map { name, expression in
            let summed = overCases ? expression.replacingOccurrences(of: "R.", with: "") : name
            return "CAST(SUM(\(summed)) AS BIGINT) AS \(name)"
        }.joined(separator: ", ")
    }

    /// The table, its triggers and the roll-up of the cases already there.
    static func create(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        let dialect = sql.dialect.name
        var schema = database.schema(table)
            .field("day", .int32, .required)
            .field("street_office_id", .uuid, .required)
            .field("company_id", .uuid, .required)
            .field("department_id", .uuid, .required)
            .field("domain", .string, .required)
        for (name, _) in counters { schema = schema.field(.string(name), .int64, .required) }
        try await schema.unique(on: .string("day"), .string("street_office_id"), .string("company_id"), .string("department_id"), .string("domain"))
            .create()

        switch dialect {
        case "postgresql":
            try await sql.raw(SQLQueryString("""
                CREATE OR REPLACE FUNCTION case_figures_roll_up() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'UPDATE' THEN
                    \(upsert("OLD", sign: "-", dialect: dialect));
                  END IF;
                  \(upsert("NEW", sign: "", dialect: dialect));
                  RETURN NULL;
                END; $$ LANGUAGE plpgsql
                """)).run()
            try await sql.raw("""
                CREATE TRIGGER case_figures_roll_up AFTER INSERT OR UPDATE ON cases
                FOR EACH ROW EXECUTE FUNCTION case_figures_roll_up()
                """).run()
        default:
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER case_figures_after_insert AFTER INSERT ON cases BEGIN
                  \(upsert("NEW", sign: "", dialect: dialect));
                END
                """)).run()
            try await sql.raw(SQLQueryString("""
                CREATE TRIGGER case_figures_after_update AFTER UPDATE ON cases BEGIN
                  \(upsert("OLD", sign: "-", dialect: dialect));
                  \(upsert("NEW", sign: "", dialect: dialect));
                END
                """)).run()
        }
        // Cases taken in before the roll-up existed.
        try await sql.raw(SQLQueryString("""
            INSERT INTO \(table) (\((keyColumns + counters.map(\.0)).joined(separator: ", ")))
            SELECT \(keyValues("c", dialect: dialect)), \(counters.map { "SUM(\($0.1.replacingOccurrences(of: "R.", with: "c.")))" }.joined(separator: ", "))
            FROM cases c GROUP BY 1, 2, 3, 4, 5
            """)).run()
    }

    static func drop(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER IF EXISTS case_figures_roll_up ON cases").run()
            try await sql.raw("DROP FUNCTION IF EXISTS case_figures_roll_up()").run()
        } else {
            try await sql.raw("DROP TRIGGER IF EXISTS case_figures_after_insert").run()
            try await sql.raw("DROP TRIGGER IF EXISTS case_figures_after_update").run()
        }
        try await database.schema(table).delete()
    }
}

struct CreateCaseFigureRollUp: AsyncMigration {
    func prepare(on database: any Database) async throws { try await CaseFigureRollUp.create(on: database) }
    func revert(on database: any Database) async throws { try await CaseFigureRollUp.drop(on: database) }
}
