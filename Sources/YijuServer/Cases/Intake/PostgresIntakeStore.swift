import Fluent
import Foundation
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import YijuCore

/// The writer's own PostgreSQL connection. Each statement is a round trip to a server that,
/// on a small machine, shares the cores with this one — a wake-up on each side, ~1.2 ms
/// under load — so a group is two statements: one read, one write, which is its own
/// transaction.
///
/// Both are prepared statements of a fixed text, the group's rows bound as one array per
/// column: a text that grew with the group was parsed and planned anew for every group
/// (measured with pg_stat_statements: 0.9 ms of planning per group, a third of the
/// database's time on it), and building it was most of the writer's own work on SQL. The
/// connection asks for generic plans (`IntakeLane`), so each is planned once per connection.
struct PostgresLaneStore: IntakeStore {
    let connection: PostgresConnection
    let models: any Database

    var sql: any SQLDatabase { connection.sql() }

    func read(_ request: IntakeRead) async throws -> [IntakeReadRow] {
        var rows: [IntakeReadRow] = []
        for try await row in try await connection.execute(PostgresIntakeRead(request), logger: connection.logger) { rows.append(row) }
        return rows
    }

    func insert(_ group: IntakeGroup) async throws -> [String] {
        var numbers: [UUID: String] = [:]
        for try await (id, number) in try await connection.execute(PostgresIntakeWrite(group), logger: connection.logger) {
            numbers[id] = number
        }
        return try group.cases.map { item in
            guard let number = numbers[item.id] else { throw DomainError.internalError }
            return number
        }
    }
}

/// The group's read: the cases its external numbers already made, the earlier cases on its
/// compounds and domains within the repeat window, and the reference data's version.
struct PostgresIntakeRead: PostgresPreparedStatement {
    typealias Row = IntakeReadRow

    // The earlier cases are a LATERAL subquery that OFFSET 0 keeps from being merged into a
    // join: a generic plan cannot know how narrow the window is, and as a join it read the
    // whole window by received_at (27,000 rows, 21 ms) instead of ten ranges of the
    // (compound_id, domain, received_at) index (0.1 ms).
    static let sql = """
        SELECT 'existing' AS part, c.id, NULL::uuid AS compound_id, NULL::text AS domain, NULL::timestamptz AS received_at, 0::bigint AS version
          FROM unnest($1::text[], $2::text[]) AS k(channel, external_number)
          JOIN \(CaseRecord.schema) c ON c.channel = k.channel AND c.external_number = k.external_number
        UNION ALL
        SELECT 'earlier', c.id, c.compound_id, c.domain, c.received_at, 0
          FROM unnest($3::uuid[], $4::text[]) AS k(compound_id, domain)
          CROSS JOIN LATERAL (SELECT id, compound_id, domain, received_at FROM \(CaseRecord.schema)
                              WHERE compound_id = k.compound_id AND domain = k.domain AND received_at >= $5 AND received_at <= $6
                              OFFSET 0) AS c
        UNION ALL
        SELECT 'version', NULL, NULL, NULL, NULL, \(ChangeCounter.column) FROM \(IntakeReference.changes.table)
        """

    let request: IntakeRead

    init(_ request: IntakeRead) { self.request = request }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(request.externals.map(\.channel))
        bindings.append(request.externals.map(\.number))
        bindings.append(request.repeatKeys.map(\.compound))
        bindings.append(request.repeatKeys.map(\.domain.rawValue))
        // Without a window no keys are sent, so these bound nothing.
        bindings.append(request.window?.lowerBound ?? Date(timeIntervalSince1970: 0))
        bindings.append(request.window?.upperBound ?? Date(timeIntervalSince1970: 0))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> IntakeReadRow {
        let (part, id, compound, domain, receivedAt, version) = try row.decode((String, UUID?, UUID?, String?, Date?, Int).self)
        switch part {
        case "version": return .version(version)
        case "existing":
            guard let id else { throw DomainError.internalError }
            return .existing(id: id)
        default:
            guard let id, let compound, let domain, let receivedAt else { throw DomainError.internalError }
            return .earlier(id: id, compound: compound, domain: domain, receivedAt: receivedAt)
        }
    }
}

/// The group's write: WITH input AS (the cases, numbered within their day), counters AS
/// (INSERT … RETURNING), new_cases AS (INSERT … the number from counters … RETURNING id,
/// number), events AS (INSERT …), credits AS (INSERT …) SELECT id, number FROM new_cases.
/// PostgreSQL runs every part, and fires the foreign keys' checks and the roll-up's
/// triggers once they all have.
struct PostgresIntakeWrite: PostgresPreparedStatement {
    typealias Row = (UUID, String)

    /// The columns the statement names: the tables', the case's number apart, which the
    /// statement computes.
    static let caseColumns = NewCase.columns.without(.number)

        static let sql: String = {
        var parameter = 0
        /// `$n::type[]` for each kind, numbered on from the last.
        func arrays(_ kinds: [RowValue.Kind]) -> String {
            kinds.map { kind in
                parameter += 1
                return "$\(parameter)::\(kind.postgresType)[]"
            }.joined(separator: ", ")
        }
        func names(_ names: [String], prefix: String = "") -> String {
            names.map { prefix + "\"\($0)\"" }.joined(separator: ", ")
        }
        let days = arrays([.text, .text])
        let cases = arrays(caseColumns.map(\.kind)), events = arrays(NewCase.Event.columns.map(\.kind))
        let credits = arrays(CreditEvents.Emission.columns.map(\.kind))
        let caseNames = caseColumns.names(), eventNames = NewCase.Event.columns.names(), creditNames = CreditEvents.Emission.columns.names()
        // A case's number is its day's count after the group, less the cases of its day after it
        // in the group; written as `CaseNumbers` writes it (at least four digits). The days'
        // counters are raised in the order of the days, as every other writer of them does.
        return """
            WITH input AS (
              SELECT v.*, row_number() OVER (PARTITION BY v.day ORDER BY v.ordinal) AS nth, count(*) OVER (PARTITION BY v.day) AS of_day
              FROM unnest(\(days), \(cases)) WITH ORDINALITY AS v(day, prefix, \(names(caseNames)), ordinal)
            ),
            counters AS (
              INSERT INTO case_counters (day, next_value) SELECT day, count(*) FROM input GROUP BY day ORDER BY day
              ON CONFLICT (day) DO UPDATE SET next_value = case_counters.next_value + excluded.next_value RETURNING day, next_value
            ),
            new_cases AS (
              INSERT INTO \(CaseRecord.schema) (\(names(caseNames)), number)
              SELECT \(names(caseNames, prefix: "i.")), i.prefix || CASE WHEN n < 10000 THEN lpad(n::text, 4, '0') ELSE n::text END
              FROM input i JOIN counters k ON k.day = i.day CROSS JOIN LATERAL (SELECT k.next_value - i.of_day + i.nth AS n) AS claimed
              RETURNING id, number
            ),
            new_events AS (INSERT INTO \(CaseEvent.schema) (\(names(eventNames))) SELECT * FROM unnest(\(events))),
            new_credits AS (INSERT INTO \(CaseCreditEvent.schema) (\(names(creditNames))) SELECT * FROM unnest(\(credits))
              ON CONFLICT (source_key) DO NOTHING)
            SELECT id, number FROM new_cases
            """
    }()

    private let arrays: [RowColumnArray]

    init(_ group: IntakeGroup) {
        arrays = [RowColumnArray(kind: .text, values: group.cases.map { .text($0.day) }),
                  RowColumnArray(kind: .text, values: group.cases.map { .text(CaseNumbers.prefix(day: $0.day)) })]
            + Self.columnArrays(Self.caseColumns, group.cases)
            + Self.columnArrays(NewCase.Event.columns, group.events)
            + Self.columnArrays(CreditEvents.Emission.columns, group.credits)
    }

    /// The rows as one array per column.
    private static func columnArrays<Row, Model>(_ columns: [RowColumn<Row, Model>], _ rows: [Row]) -> [RowColumnArray] {
        columns.map { column in RowColumnArray(kind: column.kind, values: rows.map(column.value)) }
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: arrays.count)
        for array in arrays { try bindings.append(array) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (UUID, String) {
        try row.decode((UUID, String).self)
    }
}

extension RowValue.Kind {
    var postgresType: String {
        switch self {
        case .text: "text"
        case .integer: "bigint"
        case .bool: "boolean"
        case .uuid: "uuid"
        case .date: "timestamptz"
        }
    }

    fileprivate var element: PostgresDataType {
        switch self {
        case .text: .text
        case .integer: .int8
        case .bool: .bool
        case .uuid: .uuid
        case .date: .timestamptz
        }
    }

    fileprivate var array: PostgresDataType {
        switch self {
        case .text: .textArray
        case .integer: .int8Array
        case .bool: .boolArray
        case .uuid: .uuidArray
        case .date: .timestamptzArray
        }
    }
}

/// One column of a group's rows as a PostgreSQL array, NULLs included — PostgresNIO's own
/// arrays have no NULL elements. The binary array format: dimensions, whether any element
/// is NULL, the element type, then the one dimension's length and lower bound, then each
/// element as its length (-1 for NULL) and its bytes.
struct RowColumnArray: PostgresThrowingDynamicTypeEncodable {
    let kind: RowValue.Kind
    var values: [RowValue]

    var psqlType: PostgresDataType { kind.array }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        buffer.writeInteger(values.isEmpty ? 0 : 1, as: Int32.self)
        buffer.writeInteger(values.contains(where: \.isNull) ? 1 : 0, as: Int32.self)
        buffer.writeInteger(kind.element.rawValue)
        guard !values.isEmpty else { return }
        buffer.writeInteger(Int32(values.count))
        buffer.writeInteger(1, as: Int32.self)
        for value in values {
            switch value {
            case .text(let text?): try Self.element(text, into: &buffer, context: context)
            case .integer(let integer?): try Self.element(integer, into: &buffer, context: context)
            case .bool(let bool?): try Self.element(bool, into: &buffer, context: context)
            case .uuid(let uuid?): try Self.element(uuid, into: &buffer, context: context)
            case .date(let date?): try Self.element(date, into: &buffer, context: context)
            case .text(nil), .integer(nil), .bool(nil), .uuid(nil), .date(nil): buffer.writeInteger(-1, as: Int32.self)
            }
        }
    }

    /// An element: its length, then its binary form.
    private static func element<Value: PostgresEncodable, JSONEncoder: PostgresJSONEncoder>(
        _ value: Value, into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) throws {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(0, as: Int32.self)
        try value.encode(into: &buffer, context: context)
        buffer.setInteger(Int32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
    }
}
