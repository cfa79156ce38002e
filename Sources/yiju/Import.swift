import ArgumentParser
import Foundation
import YijuCore
import YijuServer

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import compounds from a CSV or GeoJSON file, all or nothing.",
        discussion: "Rows are matched on id: new ones are added, known ones updated. Any bad row fails the whole file with one line per problem.")

    @Option(name: .shortAndLong, help: "The file (.csv or .geojson/.json).")
    var file: String

    @Option(help: "The user the changes are recorded against in the audit log.")
    var user = "admin"

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw CommandFailure(description: "\(file): cannot read the file (\(error.localizedDescription))")
        }
        let file = self.file
        try await reportingErrors {
            try await Runner.withContext(as: user) { registry in
                let parsed: CompoundFile.Parsed
                do {
                    parsed = file.lowercased().hasSuffix("json")
                        ? try CompoundFile.readGeoJSON(data, currentYear: registry.currentYear)
                        : try CompoundFile.readCSV(String(decoding: data, as: UTF8.self), currentYear: registry.currentYear)
                    let outcome = try await registry.importCompounds(parsed)
                    print("\(file): \(outcome.added) added, \(outcome.updated) updated, \(outcome.unchanged) unchanged, \(outcome.skippedFeatures) non-compound features skipped")
                } catch let error as DomainError {
                    throw CommandFailure(file: file, error)
                }
            }
        }
    }
}
