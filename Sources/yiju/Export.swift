import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export compounds as CSV or GeoJSON (the zoning planner's input format).")

    @Option(help: "csv or geojson.")
    var format: String = "csv"

    @Option(name: .shortAndLong, help: "Output file; standard output when omitted.")
    var output: String?

    @Option(help: "Only this street office (name or code).")
    var street: String?

    func validate() throws {
        guard ["csv", "geojson"].contains(format) else { throw ValidationError("--format must be csv or geojson, got \(format)") }
    }

    func run() async throws {
        let (format, street) = (self.format, self.street)
        let data = try await reportingErrors { try await Runner.withContext(as: nil) { try await $0.export(format: format, street: street) } }
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}
