import Dispatch
import Foundation
import YijuCore

// Zoning planner benchmark (issue 3). Build and run in release:
//   swift run -c release ZoningBenchmark [--runs N] [--sizes 60,400,2000,10000] [--write-instances DIR]
// Prints, per generated district: median and minimum time over the runs, zones, lower and
// upper band violations, how many of those are provably unavoidable, dispersion and lots;
// then the median time of one incremental move on a 200-compound street office.

var runs = 7
var sizes = [60, 400, 2_000, 10_000]
var instanceDirectory: String?
var planFile: String?
var outputFile: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--sizes": sizes = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
    case "--write-instances": instanceDirectory = arguments.next()
    case "--plan": planFile = arguments.next()
    case "--output": outputFile = arguments.next()
    default:
        print("usage: ZoningBenchmark [--runs N] [--sizes 60,400,2000,10000] [--write-instances DIR] | --plan FILE --output FILE [--runs N]")
        exit(2)
    }
}

func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

/// Plans `problem` `runs` times (adjacency included in the time); sorted times in ms and the last plan.
func timedPlans(_ problem: ZoningProblem, runs: Int) -> (times: [Double], plan: ZoningPlan, graph: ZoningGraph) {
    var times: [Double] = []
    var last: (ZoningPlan, ZoningGraph)?
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph)
        times.append(milliseconds(since: start))
        last = (plan, graph)
    }
    return (times.sorted(), last!.0, last!.1)
}

// --plan: plan one file (the comparison scripts in bench/ call this), print the median time.
if let planFile {
    let problem = try ZoningProblem.read(Data(contentsOf: URL(fileURLWithPath: planFile)))
    let (times, plan, graph) = timedPlans(problem, runs: runs)
    let report = PlanEvaluation.report(problem, graph, plan)
    if let outputFile { try ZoningOutput.write(problem, plan, report).write(to: URL(fileURLWithPath: outputFile)) }
    print(String(format: "median_ms %.2f zones %d violations %d dispersion_km2 %.4f", times[times.count / 2], report.zones.count,
                 report.bandViolations, report.dispersion))
    exit(0)
}

print("compounds  median_ms  min_ms  zones  lower  upper  unavoidable  dispersion_km2  lots  streets")
for size in sizes {
    let problem = SyntheticDistrict.make(compounds: size, seed: 42)
    if let dir = instanceDirectory {
        // With the adjacency written out as `neighbors`, other tools plan on exactly our graph.
        var explicit = problem
        let graph = ZoningGraph(problem: problem)
        for v in explicit.compounds.indices { explicit.compounds[v].neighbors = graph.neighbors[v].map { problem.compounds[$0].id } }
        explicit.document = ZoningOutput.document(for: explicit)
        try ZoningOutput.inputData(explicit).write(to: URL(fileURLWithPath: "\(dir)/district-\(size).geojson"))
    }
    let (times, plan, graph) = timedPlans(problem, runs: runs)
    let last = (plan: plan, graph: graph)
    let report = PlanEvaluation.report(problem, graph, plan)
    print(String(format: "%9d  %9.1f  %6.1f  %5d  %5d  %5d  %11d  %14.3f  %4d  %7d", problem.compounds.count, times[times.count / 2], times[0],
                 report.zones.count, report.lowerViolations, report.upperViolations, report.unavoidable.count,
                 report.dispersion, report.lots.count, last.graph.streets.count))
}

// One incremental move on a 200-compound street office: a boundary compound moved to the
// zone it borders, re-checked, with the local re-optimisation the console shows.
var street = SyntheticDistrict.make(compounds: 200, seed: 7)
for i in street.compounds.indices { street.compounds[i].street = "一条街道" }
street.document = ZoningOutput.document(for: street)
let streetGraph = ZoningGraph(problem: street)
let streetPlan = ZoningPlanner.plan(street, graph: streetGraph)
var moveTimes: [Double] = []
var applied = 0
for v in 0..<streetGraph.count where moveTimes.count < 50 {
    let from = streetPlan.zoneOf[v]
    guard let u = streetGraph.neighbors[v].first(where: { streetPlan.zoneOf[$0] != from }) else { continue }
    var editor = ZoningEditor(problem: street, graph: streetGraph, plan: streetPlan)
    let start = DispatchTime.now().uptimeNanoseconds
    let outcome = editor.apply(.move(compound: street.compounds[v].id, toZone: streetPlan.zoneIDs[streetPlan.zoneOf[u]]))
    moveTimes.append(milliseconds(since: start))
    if outcome.refusal == nil { applied += 1 }
}
moveTimes.sort()
print(String(format: "incremental move on a %d-compound street office: median %.2f ms, max %.2f ms over %d moves (%d applied, %d refused as disconnecting)",
             street.compounds.count, moveTimes[moveTimes.count / 2], moveTimes.last!, moveTimes.count, applied, moveTimes.count - applied))
