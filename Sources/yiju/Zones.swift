import ArgumentParser
import Dispatch
import Foundation
import YijuCore

struct Zones: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Plan and check management zones (大区划片) from a docs/ZONING.md GeoJSON file.",
        subcommands: [Plan.self, Check.self])

    static func read(_ path: String, overrides: [String: Double] = [:]) throws -> ZoningProblem {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandFailure(description: "\(path): cannot read the file")
        }
        do {
            return try ZoningProblem.read(data, overrides: overrides)
        } catch {
            throw CommandFailure(file: path, error)
        }
    }

    static func summary(_ report: PlanReport, seconds: Double) -> String {
        String(format: "zones %d, lots %d, band violations %d (lower %d, upper %d; unavoidable %d), dispersion %.3f km², subsidy %.0f yuan/year, %.3f s",
               report.zones.count, report.lots.count, report.bandViolations, report.lowerViolations, report.upperViolations,
               report.unavoidable.count, report.dispersion, report.subsidy, seconds)
    }

    static func explain(_ report: PlanReport) -> [String] {
        report.unavoidable.map { "unavoidable: \($0.description)" }
            + report.structuralErrors.map { "invalid: \($0)" }
            + report.zones.filter { !$0.violations.isEmpty }.map { "zone \($0.id): " + $0.violations.map(\.description).joined(separator: "; ") }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plan zones and lots; write the input with zone and lot on each compound and a plan member.")

        @Option(name: .shortAndLong, help: "Input GeoJSON (compounds as Points, barriers as LineStrings, parameters in `zoning`).")
        var input: String
        @Option(name: .shortAndLong, help: "Output GeoJSON.")
        var output: String
        @Option(help: "viable (most zones within the bands, the default) or fewest (zones packed up to the upper band).")
        var objective: String = "viable"
        @Option(help: "Seed; the same input and seed give the same plan.")
        var seed: UInt64 = 1
        @Option(help: "Stop restarting after this many seconds (the result may then depend on the machine).")
        var timeLimit: Double?
        @Option(help: "Lower band in m² (overrides zoning.minFloorArea).")
        var minFloorArea: Double?
        @Option(help: "Upper band in m² (overrides zoning.maxFloorArea).")
        var maxFloorArea: Double?
        @Option(help: "Zones per tender lot (overrides zoning.zonesPerLot; default 3).")
        var zonesPerLot: Int?

        func validate() throws {
            guard ZoningObjective(rawValue: objective) != nil else { throw ValidationError("--objective must be viable or fewest") }
            if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be above 0") }
        }

        func run() async throws {
            var overrides: [String: Double] = [:]
            overrides["minFloorArea"] = minFloorArea
            overrides["maxFloorArea"] = maxFloorArea
            overrides["zonesPerLot"] = zonesPerLot.map(Double.init)
            let problem = try Zones.read(input, overrides: overrides)
            let start = DispatchTime.now().uptimeNanoseconds
            let graph = ZoningGraph(problem: problem)
            let plan = ZoningPlanner.plan(problem, graph: graph, options: PlannerOptions(
                objective: ZoningObjective(rawValue: objective)!, seed: seed, timeLimit: timeLimit))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let report = PlanEvaluation.report(problem, graph, plan)
            do { try ZoningOutput.write(problem, plan, report, elapsedSeconds: seconds).write(to: URL(fileURLWithPath: output)) } catch {
                throw CommandFailure(description: "\(output): cannot write the file")
            }
            print(Zones.summary(report, seconds: seconds))
            for line in report.unavoidable.map({ "unavoidable: \($0.description)" }) { print(line) }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check any plan (zone and lot on each compound); exits non-zero when it is invalid.")

        @Option(name: .shortAndLong, help: "A plan: the planner input (docs/ZONING.md) with `zone` (and `lot`) on each compound.")
        var input: String

        func run() async throws {
            let problem = try Zones.read(input)
            let start = DispatchTime.now().uptimeNanoseconds
            let plan: ZoningPlan
            do { plan = try ZoningOutput.readPlan(problem) } catch {
                throw CommandFailure(file: input, error)
            }
            let graph = ZoningGraph(problem: problem)
            let report = PlanEvaluation.report(problem, graph, plan)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(Zones.summary(report, seconds: seconds))
            Zones.explain(report).forEach { print($0) }
            if !report.isValid {
                throw CommandFailure(description: "\(input): the plan is invalid (\(report.bandViolations - report.unavoidable.count > 0 ? "avoidable band violations" : "structural problems"))")
            }
            print("valid")
        }
    }
}
