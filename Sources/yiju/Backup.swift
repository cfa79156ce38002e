import ArgumentParser
import Foundation
import YijuServer

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a new file, while the server runs.",
        discussion: """
        SQLite (SQLITE_PATH): a compacted copy of one snapshot, itself a Yiju database: serve it \
        with SQLITE_PATH=<file>, or put it in place of the old file with the server stopped. \
        PostgreSQL (DATABASE_URL): pg_dump's custom format, restored with pg_restore; needs \
        pg_dump on the PATH. Writes going on meanwhile are in the copy whole or not at all; \
        run `yiju check` on a restored copy to see so.
        """)

    @Option(name: .shortAndLong, help: "The file to write; it must not exist yet.")
    var output: String

    func run() async throws {
        let output = self.output
        let backup = try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.backup(to: output) } }
        print("backed up to \(backup.path): \(backup.bytes) bytes in \(String(format: "%.1f", backup.seconds)) s")
    }
}
