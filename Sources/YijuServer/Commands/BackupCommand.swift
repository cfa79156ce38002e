import Foundation
import SQLKit
import Vapor
import YijuCore

/// `yiju backup`: a consistent copy of the whole database, taken while the server runs.
extension CommandContext {
    public struct Backup: Sendable {
        public let path: String
        public let bytes: Int
        public let seconds: Double
    }

    /// SQLite: `VACUUM INTO`, which reads one snapshot of the database inside a read
    /// transaction — writers go on meanwhile (WAL) and none of their half-done work is in it —
    /// and writes it compacted to `path`. PostgreSQL: `pg_dump --format=custom` (Debian's
    /// postgresql-client, the server's major version or later), one snapshot as well; the
    /// password goes to it in its environment, never on its command line.
    public func backup(to path: String) async throws -> Backup {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw DomainError(.conflict, code: "file_exists", message: "\(path) already exists; a backup never overwrites a file")
        }
        guard let sql = app.db as? any SQLDatabase else { throw DomainError.internalError }
        let started = Date()
        if sql.dialect.name == "postgresql" {
            try Self.pgDump(url: ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "", to: path)
        } else {
            try await sql.raw("VACUUM INTO \(bind: path)").run()
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        return Backup(path: path, bytes: bytes, seconds: Date().timeIntervalSince(started))
    }

    static func pgDump(url: String, to path: String) throws {
        guard var components = URLComponents(string: url), components.host != nil else {
            throw DomainError(.invalid, code: "bad_database_url", message: "DATABASE_URL is not a postgres:// URL")
        }
        var environment = ProcessInfo.processInfo.environment
        if let password = components.password { environment["PGPASSWORD"] = password }
        components.password = nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_dump", "--format=custom", "--file=\(path)", "--dbname=\(components.string ?? url)"]
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DomainError(.invalid, code: "pg_dump_missing", message: "pg_dump could not be started (install postgresql-client): \(error.localizedDescription)")
        }
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw DomainError(.invalid, code: "pg_dump_failed", message: "pg_dump failed: \(said.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
