import ArgumentParser
import Foundation
import YijuServer

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the database's invariants; exits 1 if any is broken.",
        discussion: """
        Run it after a crash, a restore or a hand edit, on the database the environment names \
        (DATABASE_URL or SQLITE_PATH), with or without the server running. Each line names an \
        invariant — every compound in at most one open management area and one running contract, \
        every credit entry's source present, every case in the state its timeline left it in, the \
        figures equal to a recount, … — and under a broken one the first rows that break it. \
        Only reads; the schema is brought up to date first, as every command does.
        """)

    func run() async throws {
        let report = try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.check() } }
        print(report.text)
        if !report.clean { throw ExitCode(1) }
    }
}
