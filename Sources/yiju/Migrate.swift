import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")

    func run() async throws {
        try await reportingErrors { try await Runner.withApplication { _ in } }
        print("database is up to date")
    }
}
