import Foundation
import SQLKit
import Testing
import Vapor
@testable import YijuServer

extension ServerTests {
    @Suite("The server's database connections")
    struct DatabaseTests {
        @Test("Every SQLite connection of the server's pool holds the server's pragmas, not only the first one opened",
              .enabled(if: ProcessInfo.processInfo.environment["DATABASE_URL"]?.isEmpty ?? true, "SQLite only"))
        func sqlitePragmasOnEveryConnection() async throws {
            try await withApp(demo: false) { app in
                let loops = Array(app.eventLoopGroup.makeIterator())
                #expect(loops.count >= 2, "one loop would not show a connection left out")
                for loop in loops {
                    // Fluent keeps at most one SQLite connection per loop: this is that loop's.
                    let sql = try #require(app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase)
                    func pragma(_ name: String) async throws -> String? {
                        let row = try await sql.raw(SQLQueryString("PRAGMA \(unsafeRaw: name)")).first()
                        return try row.map { row in
                            // The one column's name is not always the pragma's (busy_timeout answers "timeout").
                            let column = try #require(row.allColumns.first)
                            if let text = try? row.decode(column: column, as: String.self) { return text }
                            return String(try row.decode(column: column, as: Int.self))
                        }
                    }
                    #expect(try await pragma("journal_mode") == "wal")
                    #expect(try await pragma("synchronous") == "2", "FULL")
                    #expect(try await pragma("foreign_keys") == "1")
                    #expect(try await pragma("busy_timeout") == "5000")
                    #expect(try await pragma("cache_size") == "-65536")
                    #expect(try await pragma("temp_store") == "2", "MEMORY")
                    #expect(try await pragma("journal_size_limit") == "67108864")
                }
            }
        }
    }
}
