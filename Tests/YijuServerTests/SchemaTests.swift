import Fluent
import Foundation
import SQLKit
import Testing
@testable import YijuServer

extension ServerTests {
    /// The tables intake writes as plain rows are the one source of their columns: each must
    /// name exactly the live schema's columns, with their types, and exactly the model's fields.
    @Suite("Schema: the row tables match the live schema and the models")
    struct SchemaTests {
        @Test("cases, case_events, case_credit_events and the demo history's orders and counters: every column once, of its kind, in the table, the schema and the model")
        func rowTablesMatchTheSchema() async throws {
            try await withApp(demo: false) { app in
                let sql = try #require(app.db as? any SQLDatabase)
                try await expectTable(CaseRecord.schema, NewCase.columns, sql)
                try await expectTable(CaseEvent.schema, NewCase.Event.columns, sql)
                try await expectTable(CaseCreditEvent.schema, CreditEvents.Emission.columns, sql)
                // The demo's history, written as rows too.
                try await expectTable(CaseRecord.schema, HistoricCase.columns, sql)
                try await expectTable(SupervisionOrder.schema, HistoricOrder.columns, sql)
                try await expectTable(CaseCounter.schema, HistoricCounter.columns, sql)
            }
        }

        private func expectTable<Row, Model: Fluent.Model>(_ table: String, _ columns: [RowColumn<Row, Model>], _ sql: any SQLDatabase,
                                                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let names = columns.names()
            #expect(Set(names).count == names.count, "\(table): a column is named twice in its table", sourceLocation: sourceLocation)
            let fields = Set(Model.keys.map(\.description)), listed = Set(names)
            #expect(fields.subtracting(listed).isEmpty, "\(table): fields of \(Model.self) the table leaves out: \(fields.subtracting(listed).sorted())",
                    sourceLocation: sourceLocation)
            let live = Set(try await liveColumns(table, sql).keys)
            #expect(live.subtracting(listed).isEmpty, "\(table): columns of the live schema the table leaves out: \(live.subtracting(listed).sorted())",
                    sourceLocation: sourceLocation)
            #expect(listed.subtracting(live).isEmpty, "\(table): columns of the table the live schema lacks (a migration?): \(listed.subtracting(live).sorted())",
                    sourceLocation: sourceLocation)
            let types = try await liveColumns(table, sql)
            for column in columns {
                guard let type = types[column.name] else { continue }
                #expect(Self.types(column.kind, dialect: sql.dialect.name).contains(type),
                        "\(table).\(column.name): the schema says \(type), the table \(column.kind)", sourceLocation: sourceLocation)
            }
        }

        /// The declared types Fluent's migrations give each kind.
        static func types(_ kind: RowValue.Kind, dialect: String) -> Set<String> {
            if dialect == "postgresql" {
                return switch kind {
                case .text: ["text"]
                case .integer: ["bigint"]
                case .bool: ["boolean"]
                case .uuid: ["uuid"]
                case .date: ["timestamp with time zone"]
                }
            }
            return switch kind {
            case .text: ["TEXT"]
            case .integer: ["INTEGER"]
            case .bool: ["INTEGER"]
            case .uuid: ["UUID"]
            case .date: ["REAL"]
            }
        }

        /// Column name → declared type, as the database reports them.
        private func liveColumns(_ table: String, _ sql: any SQLDatabase) async throws -> [String: String] {
            struct Info: Decodable { var name: String; var type: String }
            let rows: [Info]
            if sql.dialect.name == "postgresql" {
                rows = try await sql.raw("""
                    SELECT column_name AS name, data_type AS type FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = \(bind: table)
                    """).all(decoding: Info.self)
            } else {
                rows = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all(decoding: Info.self)
            }
            return Dictionary(rows.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        }
    }
}
