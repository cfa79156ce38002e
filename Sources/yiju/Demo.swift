import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the generated demo district into an empty database.")

    @Option(help: "Seed of the generated district; the same seed always gives the same district.")
    var seed: UInt64 = DemoDistrict.defaultSeed

    func run() async throws {
        print(try await reportingErrors { try await Runner.loadDemo(seed: seed) })
    }
}
