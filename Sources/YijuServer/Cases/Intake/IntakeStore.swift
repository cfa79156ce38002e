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
    /// What a group needs to know of the cases already there, and the reference data's
    /// version, in one statement: each statement is a round trip, and on PostgreSQL under
    /// load one costs as much as the group's whole INSERT.
    func read(_ request: IntakeRead) async throws -> [IntakeReadRow]
}

/// What a group of intakes asks of the cases already written.
struct IntakeRead: Sendable {
    struct External: Hashable, Sendable {
        let channel: String
        let number: String
    }

    struct RepeatKey: Hashable, Sendable {
        let compound: UUID
        let domain: CaseDomain
    }

    /// The cases these channels and external numbers already made.
    var externals: [External]
    /// The cases on these compounds and domains received within `window`.
    var repeatKeys: [RepeatKey]
    var window: ClosedRange<Date>?
}

/// One row of the answer to an `IntakeRead`.
enum IntakeReadRow: Sendable {
    case existing(id: UUID)
    case earlier(id: UUID, compound: UUID, domain: String, receivedAt: Date)
    /// The reference data's version (`IntakeReference.changes`) as the read saw it.
    case version(Int)
}

extension IntakeStore {
    /// The three reads as one UNION ALL through SQLKit, each row marked with its part.
    /// Plain rows: decoding these as Fluent models cost more than the rest of the intake.
    func read(_ request: IntakeRead) async throws -> [IntakeReadRow] {
        // Every part but the version's selects real columns, and that one comes last: a
        // database may type a column of NULLs in the first parts as text, which then cannot meet a uuid.
        let columns = ["id", "compound_id", "domain", "received_at"]
        func part(_ name: String, _ table: String) -> SQLSelectBuilder {
            sql.select().column(SQLAlias(SQLLiteral.string(name), as: SQLIdentifier("part"))).columns(columns)
                .column(SQLAlias(SQLLiteral.numeric("0"), as: SQLIdentifier("version"))).from(table)
        }
        var parts: [SQLSelect] = []
        if !request.externals.isEmpty {
            // Channel first, so the unique (channel, external_number) index answers it.
            let existing = part("existing", CaseRecord.schema)
            for (channel, externals) in Dictionary(grouping: request.externals, by: \.channel) {
                existing.orWhere { $0.where("channel", .equal, channel).where("external_number", .in, externals.map(\.number)) }
            }
            parts.append(existing.select)
        }
        if let window = request.window, !request.repeatKeys.isEmpty {
            // Exactly the group's (compound, domain) pairs, each a range of the (compound_id,
            // domain, received_at) index: asking for all its compounds × all its domains
            // returned some thirty rows per case, nearly all thrown away.
            let earlier = part("earlier", CaseRecord.schema)
            for key in request.repeatKeys {
                earlier.orWhere { $0.where("compound_id", .equal, key.compound).where("domain", .equal, key.domain.rawValue)
                    .where("received_at", .greaterThanOrEqual, window.lowerBound).where("received_at", .lessThanOrEqual, window.upperBound) }
            }
            parts.append(earlier.select)
        }
        let version = sql.select().column(SQLAlias(SQLLiteral.string("version"), as: SQLIdentifier("part")))
        for column in columns { version.column(SQLAlias(SQLLiteral.null, as: SQLIdentifier(column))) }
        parts.append(version.column(SQLAlias(SQLColumn(ChangeCounter.column), as: SQLIdentifier("version"))).from(IntakeReference.changes.table).select)
        let union = SQLUnionBuilder(on: sql, initialQuery: parts[0])
        for part in parts.dropFirst() { _ = union.union(all: part) }

        return try await union.all().map { row in
            switch try row.decode(column: "part", as: String.self) {
            case "version": .version(try row.decode(column: "version", as: Int.self))
            case "existing": .existing(id: try row.decode(column: "id", as: UUID.self))
            default: .earlier(id: try row.decode(column: "id", as: UUID.self), compound: try row.decode(column: "compound_id", as: UUID.self),
                              domain: try row.decode(column: "domain", as: String.self), receivedAt: try row.decode(column: "received_at", as: Date.self))
            }
        }
    }
}

/// What a group of intakes writes: its cases (numbers not yet claimed), their first events
/// and the credit events of third repeats, as plain values written by their tables.
struct IntakeGroup: Sendable {
    var cases: [NewCase]
    var events: [NewCase.Event]
    var credits: [CreditEvents.Emission]
}

extension NewCase {
    /// The Shanghai day of receipt, whose count numbers the case.
    var day: String { Calendar.shanghai.day(receivedAt) }
}

/// A store that writes a group statement by statement inside a transaction: on SQLite a
/// statement is a function call on the writer's thread, so their number hardly matters.
protocol StepwiseIntakeStore: IntakeStore {
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// One multi-row INSERT of `rows` into `table` by its columns, inside the transaction.
    func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on tx: any SQLDatabase) async throws
}

extension StepwiseIntakeStore {
    func insert(_ group: IntakeGroup) async throws -> [String] {
        try await transaction { tx in
            var cases = group.cases
            let byDay = Dictionary(grouping: cases.indices) { cases[$0].day }
            for (day, indices) in byDay.sorted(by: { $0.key < $1.key }) {
                let claimed = try await CaseNumbers.claim(indices.count, day: day, sql: tx)
                for (index, number) in zip(indices, claimed) { cases[index].number = number }
            }
            try await insert(into: CaseRecord.schema, NewCase.columns, cases, on: tx)
            try await insert(into: CaseEvent.schema, NewCase.Event.columns, group.events, on: tx)
            for credit in group.credits { try await CreditEvents.emit(credit, sql: tx) }
            return cases.map(\.number)
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

    /// Through RowInserts: each driver handed its own values.
    func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on tx: any SQLDatabase) async throws {
        try await RowInserts.insert(into: table, columns, rows, on: tx)
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
    func insert<Row, Model>(into table: String, _ columns: [RowColumn<Row, Model>], _ rows: [Row], on tx: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        _ = try await connection.query(RowInserts.sqliteStatement(into: table, names: columns.names(), rows: rows.count),
                                       RowInserts.sqliteBinds(columns, rows))
    }
}
