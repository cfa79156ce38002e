import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("yiju backup: a copy of the whole database, never over an existing file")
    struct BackupTests {
        static func scratch() -> String {
            FileManager.default.temporaryDirectory.appendingPathComponent("yiju-backup-\(UUID().uuidString)").path
        }

        @Test("The copy is the database as it stands (SQLite: a database with the same rows; PostgreSQL: pg_dump's archive); an existing file is refused and left alone")
        func copiesAndRefusesToOverwrite() async throws {
            try await withApp { app in
                let context = try await CommandContext(app: app, username: nil)
                let path = Self.scratch()
                defer { try? FileManager.default.removeItem(atPath: path) }
                let backup = try await context.backup(to: path)
                #expect(backup.path == path && backup.bytes > 100_000)
                let head = try #require(FileHandle(forReadingAtPath: path)?.readData(ofLength: 16))
                let sql = app.db as! any SQLDatabase
                if sql.dialect.name == "postgresql" {
                    #expect(head.prefix(5) == Data("PGDMP".utf8))
                } else {
                    #expect(head == Data("SQLite format 3\0".utf8))
                    // Served from the copy, the registry is the same.
                    let copy = try await Application.make(.testing)
                    try await configure(copy, config: AppConfig(database: .sqlite(path: path), bcryptCost: 4))
                    let counted = try await Compound.query(on: copy.db).count()
                    try await copy.asyncShutdown()
                    #expect(counted == (try await Compound.query(on: app.db).count()))
                }
                await #expect(throws: DomainError.self) { try await context.backup(to: path) }
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == backup.bytes)
            }
        }
    }
}
