import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Yiju: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yiju",
        abstract: "宜居 Yiju: renovation, registry, zoning, cases and credit for old residential compounds.",
        discussion: """
        Configuration comes from the environment: DATABASE_URL (PostgreSQL 12 or later; otherwise SQLite), \
        SQLITE_PATH (default ./yiju.sqlite), HOST (127.0.0.1), PORT (8080), LOG_LEVEL (info), LOG_FORMAT (text or json), \
        BCRYPT_COST (12), COOKIE_SECURE (false; set true behind HTTPS), MAX_BODY_MB (10), \
        TOKEN_DAYS (90: how long an API token is valid), CASE_TIMERS (on).
        """,
        subcommands: [Serve.self, Migrate.self, Demo.self, Import.self, Export.self, Users.self, Zones.self, Check.self, Backup.self],
        defaultSubcommand: Serve.self)
}

/// A failure in the data, not in the command line: printed without the usage banner.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(description: String) { self.description = description }

    /// A file's problems, one line each (file, line or feature, field, reason), at most 50.
    init(file: String, _ error: DomainError) {
        let lines = error.fields.prefix(50).map { "  \(file): \($0.description)" }
        let more = error.fields.count > 50 ? ["  … and \(error.fields.count - 50) more"] : []
        description = "\(file): \(error.message)\n" + (lines + more).joined(separator: "\n")
    }
}

/// Turns a domain error into the command-line's error message (file, line, field, reason).
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DomainError {
        throw CommandFailure(description: error.description)
    }
}
