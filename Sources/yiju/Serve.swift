import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the server (the default). Migrates the database and, on an empty one, loads the demo district.")

    @Flag(help: "Do not load the demo district into an empty database.")
    var noDemo = false

    @Option(help: "Seed of the generated demo district.")
    var seed: UInt64 = DemoDistrict.defaultSeed

    func run() async throws {
        try await reportingErrors { try await Runner.serve(loadDemo: !noDemo, seed: seed) }
    }
}
