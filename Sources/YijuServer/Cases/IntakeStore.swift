import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import YijuCore

/// What the intake writer needs of a database: plain SQL for its reads, a way to write a
/// group, and Fluent for the rare model loads (a case taken in twice, a compound found by
/// address).
protocol IntakeStore: Sendable {
    var sql: any SQLDatabase { get }
    var models: any Database { get }
    /// Claims the numbers of the group's cases (consecutive per day of receipt) and inserts
    /// the cases, their events and credit events: all of it or, on an error, none. Answers
    /// the numbers in the order of `group.cases`.
    func insert(_ group: IntakeGroup) async throws -> [String]
}

/// What a group of intakes writes, as rows of typed values.
struct IntakeGroup: Sendable {
    struct Case: Sendable {
        let id: UUID
        /// The Shanghai day of receipt, whose count numbers the case.
        let day: String
        /// Every column but the number.
        let values: [(String, IntakeValue)]
    }

    var cases: [Case]
    var events: [[(String, IntakeValue)]]
    var credits: [CreditEvents.Emission]
}

/// A store that writes a group statement by statement inside a transaction: on SQLite a
/// statement is a function call on the writer's thread, so their number hardly matters.
protocol StepwiseIntakeStore: IntakeStore {
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// One multi-row INSERT, inside the transaction.
    func insert(into table: String, _ rows: [[(String, IntakeValue)]], on tx: any SQLDatabase) async throws
}

extension StepwiseIntakeStore {
    func insert(_ group: IntakeGroup) async throws -> [String] {
        try await transaction { tx in
            var numbers = [String](repeating: "", count: group.cases.count)
            let byDay = Dictionary(grouping: group.cases.indices) { group.cases[$0].day }
            for (day, indices) in byDay.sorted(by: { $0.key < $1.key }) {
                let claimed = try await CaseIntakeWriter.claimNumbers(indices.count, day: day, sql: tx)
                for (index, number) in zip(indices, claimed) { numbers[index] = number }
            }
            try await insert(into: CaseRecord.schema, zip(group.cases, numbers).map { [("number", .text($1))] + $0.values }, on: tx)
            try await insert(into: CaseEvent.schema, group.events, on: tx)
            for credit in group.credits { try await CreditEvents.emit(credit, sql: tx) }
            return numbers
        }
    }
}

/// A value of a row intake inserts, typed, so that each driver is handed it the way Fluent
/// stores it without going through `Encodable` (SQLKit's encoding and serialising of some
/// 37 columns × a group's cases and events was a fifth of the writer's thread).
enum IntakeValue: Sendable {
    // Each kind keeps its own nil: PostgreSQL wants a NULL of the column's type.
    case text(String?)
    case integer(Int?)
    case bool(Bool)
    case uuid(UUID?)
    case date(Date?)

    init(_ value: String?) { self = .text(value) }
    init(_ value: Int?) { self = .integer(value) }
    init(_ value: Bool) { self = .bool(value) }
    init(_ value: UUID?) { self = .uuid(value) }
    init(_ value: Date?) { self = .date(value) }

    /// As SQLite-kit stores it: UUIDs as their text, dates as seconds since 1970, booleans as 0 or 1.
    var sqlite: SQLiteData {
        switch self {
        case .text(let text): text.map { .text($0) } ?? .null
        case .integer(let integer): integer.map { .integer($0) } ?? .null
        case .bool(let bool): .integer(bool ? 1 : 0)
        case .uuid(let uuid): uuid.map { .text($0.uuidString) } ?? .null
        case .date(let date): date.map { .float($0.timeIntervalSince1970) } ?? .null
        }
    }

    /// For the other drivers, through SQLKit, as Fluent hands them the same Swift values.
    var encodable: any Encodable & Sendable {
        switch self {
        case .text(let text): text
        case .integer(let integer): integer
        case .bool(let bool): bool
        case .uuid(let uuid): uuid
        case .date(let date): date
        }
    }
}

/// Any Fluent database: what intake uses without a queue (and so without the writer's lane).
struct FluentIntakeStore: StepwiseIntakeStore {
    let db: any Database

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var models: any Database { db }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            return try await body(sql)
        }
    }

    /// Through SQLKit, the values as Fluent hands them to the driver.
    func insert(into table: String, _ rows: [[(String, IntakeValue)]], on tx: any SQLDatabase) async throws {
        guard let first = rows.first else { return }
        let insert = tx.insert(into: table).columns(first.map(\.0))
        for row in rows { insert.values(row.map(\.1.encodable)) }
        try await insert.run()
    }
}

/// The writer's own SQLite connection, used by nothing else, so a transaction is simply
/// BEGIN … COMMIT on it. IMMEDIATE takes the write lock up front, so a concurrent writer
/// elsewhere (the timers) makes it wait, never fail half-way.
struct SQLiteLaneStore: StepwiseIntakeStore {
    let connection: SQLiteConnection
    let models: any Database

    var sql: any SQLDatabase { connection.sql() }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = self.sql
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Straight to the connection: the statement as text, the values as SQLite's.
    func insert(into table: String, _ rows: [[(String, IntakeValue)]], on tx: any SQLDatabase) async throws {
        guard let first = rows.first else { return }
        let columns = first.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let placeholders = "(" + Array(repeating: "?", count: first.count).joined(separator: ", ") + ")"
        let statement = "INSERT INTO \"\(table)\" (\(columns)) VALUES " + Array(repeating: placeholders, count: rows.count).joined(separator: ", ")
        var binds: [SQLiteData] = []
        binds.reserveCapacity(rows.count * first.count)
        for row in rows { for (_, value) in row { binds.append(value.sqlite) } }
        _ = try await connection.query(statement, binds)
    }
}

/// The writer's own PostgreSQL connection. A group's writes are one statement: each
/// statement is a round trip to a server that, on a small machine, shares the cores with
/// this one — a wake-up on each side, ~1.2 ms under load — and BEGIN, the numbers, the
/// cases, the events and COMMIT were five of them. One statement is its own transaction.
struct PostgresLaneStore: IntakeStore {
    let connection: PostgresConnection
    let models: any Database

    var sql: any SQLDatabase { connection.sql() }

    /// WITH counters AS (INSERT … RETURNING), new_cases AS (INSERT … (SELECT the number
    /// FROM counters) … RETURNING id, number), events AS (INSERT …), credits AS (INSERT …)
    /// SELECT id, number FROM new_cases. PostgreSQL runs every part, and fires the foreign
    /// keys' checks and the roll-up's triggers once they all have.
    func insert(_ group: IntakeGroup) async throws -> [String] {
        guard let firstCase = group.cases.first else { return [] }
        var statement = PostgresStatement()
        let days = Dictionary(grouping: group.cases.indices) { group.cases[$0].day }
        var dayParameter: [String: String] = [:], prefixParameter: [String: String] = [:]
        let counters = days.keys.sorted().map { day in
            dayParameter[day] = statement.bind(.text(day))
            prefixParameter[day] = statement.bind(.text(CaseIntakeWriter.numberPrefix(day: day)))
            return "(\(dayParameter[day]!), \(days[day]!.count))"
        }
        var ordinal: [String: Int] = [:]
        let caseRows = group.cases.map { item in
            let count = days[item.day]!.count
            ordinal[item.day, default: 0] += 1
            // The day's count was raised by `count`: this case's is `count - ordinal` below it,
            // written as `claimNumbers` writes it (at least four digits).
            let number = """
                (SELECT \(prefixParameter[item.day]!) || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END \
                FROM (SELECT next_value - \(count - ordinal[item.day]!) AS n FROM counters WHERE day = \(dayParameter[item.day]!)) AS claimed)
                """
            return "(" + item.values.map { statement.bind($0.1) }.joined(separator: ", ") + ", " + number + ")"
        }
        var text = """
            WITH counters AS (INSERT INTO case_counters (day, next_value) VALUES \(counters.joined(separator: ", "))
              ON CONFLICT (day) DO UPDATE SET next_value = case_counters.next_value + excluded.next_value RETURNING day, next_value),
            new_cases AS (INSERT INTO \(CaseRecord.schema) (\(PostgresStatement.columns(firstCase.values)), number)
              VALUES \(caseRows.joined(separator: ", ")) RETURNING id, number)
            """
        for (name, table, rows, conflict) in [("new_events", CaseEvent.schema, group.events, ""),
                                             ("new_credits", "case_credit_events", group.credits.map(\.sqlValues), " ON CONFLICT (source_key) DO NOTHING")] {
            guard let first = rows.first else { continue }
            let values = rows.map { row in "(" + row.map { statement.bind($0.1) }.joined(separator: ", ") + ")" }
            text += ",\n\(name) AS (INSERT INTO \(table) (\(PostgresStatement.columns(first))) VALUES \(values.joined(separator: ", "))\(conflict))"
        }
        text += "\nSELECT id, number FROM new_cases"
        let rows = try await connection.query(PostgresQuery(unsafeSQL: text, binds: statement.bindings), logger: connection.logger)
        var numbers: [UUID: String] = [:]
        for try await (id, number) in rows.decode((UUID, String).self) { numbers[id] = number }
        return try group.cases.map { item in
            guard let number = numbers[item.id] else { throw DomainError.internalError }
            return number
        }
    }
}

/// A statement's text and its bound values, numbered $1, $2 … as they are bound.
private struct PostgresStatement {
    var bindings = PostgresBindings()

    /// The placeholder of a newly bound value. A NULL's type comes from the column it goes in.
    mutating func bind(_ value: IntakeValue) -> String {
        switch value {
        case .text(let text): bindings.append(text)
        case .integer(let integer): bindings.append(integer)
        case .bool(let bool): bindings.append(bool)
        case .uuid(let uuid): bindings.append(uuid)
        case .date(let date): bindings.append(date)
        }
        return "$\(bindings.count)"
    }

    static func columns(_ row: [(String, IntakeValue)]) -> String {
        row.map { "\"\($0.0)\"" }.joined(separator: ", ")
    }
}
