import Foundation
import Testing
@testable import YijuCore

/// Builds a planner file (docs/ZONING.md) from compact rows, so each test reads like the situation it sets up.
func zoningFile(_ compounds: [(id: String, street: String, lon: Double, lat: Double, area: Double, neighbors: [String]?)],
                barriers: [[(Double, Double)]] = [], zoning: String = #""minFloorArea": 40000, "maxFloorArea": 150000"#,
                extra: [String] = []) -> Data {
    var features = compounds.map { c -> String in
        let neighbors = c.neighbors.map { ", \"neighbors\": [" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
        return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(c.lon),\#(c.lat)]},"properties":{"id":"\#(c.id)","name":"\#(c.id)","street":"\#(c.street)","kind":"estate","floorArea":\#(c.area),"households":\#(Int(c.area / 70))\#(neighbors)}}"#
    }
    features += barriers.map { path in
        #"{"type":"Feature","geometry":{"type":"LineString","coordinates":[\#(path.map { "[\($0.0),\($0.1)]" }.joined(separator: ","))]},"properties":{"barrier":"river"}}"#
    }
    features += extra
    return Data(#"{"type":"FeatureCollection","zoning":{\#(zoning)},"features":[\#(features.joined(separator: ","))]}"#.utf8)
}

@Suite("Zoning: Delaunay adjacency")
struct DelaunayTests {
    /// Brute force: an edge is Delaunay when it belongs to a triangle whose circumcircle holds no other point.
    func bruteForce(_ p: [(x: Double, y: Double)]) -> Set<[Int]> {
        var edges = Set<[Int]>()
        let n = p.count
        for i in 0..<n { for j in (i + 1)..<n { for k in (j + 1)..<n {
            let ax = p[i].x, ay = p[i].y, bx = p[j].x, by = p[j].y, cx = p[k].x, cy = p[k].y
            let d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))
            guard abs(d) > 1e-9 else { continue }
            let ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d
            let uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d
            let r2 = (ax - ux) * (ax - ux) + (ay - uy) * (ay - uy)
            let empty = (0..<n).allSatisfy { m in m == i || m == j || m == k || (p[m].x - ux) * (p[m].x - ux) + (p[m].y - uy) * (p[m].y - uy) > r2 * (1 + 1e-9) }
            if empty { edges.insert([i, j]); edges.insert([i, k]); edges.insert([j, k]) }
        } } }
        return edges
    }

    @Test("Matches the brute-force definition on random point sets", arguments: 1...12)
    func randomSets(seed: Int) {
        var rng = SeededGenerator(seed: UInt64(seed))
        let points = (0..<(8 + seed * 3)).map { _ in (x: rng.uniform(0...1000), y: rng.uniform(0...1000)) }
        let edges = Set(Delaunay.edges(points).map { [$0.0, $0.1] })
        #expect(edges == bruteForce(points))
    }

    @Test("Degenerate inputs: collinear, duplicates, tiny sets")
    func degenerate() {
        #expect(Delaunay.edges([]).isEmpty)
        #expect(Delaunay.edges([(x: 0, y: 0)]).isEmpty)
        #expect(Delaunay.edges([(x: 0, y: 0), (x: 1, y: 0)]).map { [$0.0, $0.1] } == [[0, 1]])
        let line = Delaunay.edges([(x: 0, y: 0), (x: 2, y: 0), (x: 1, y: 0), (x: 3, y: 0)])
        #expect(Set(line.map { [$0.0, $0.1] }) == [[0, 2], [1, 2], [1, 3]])
        let withTwin = Delaunay.edges([(x: 0, y: 0), (x: 10, y: 0), (x: 0, y: 10), (x: 10, y: 0)])
        #expect(withTwin.contains { $0 == (1, 3) })
        let grid: [(x: Double, y: Double)] = (0..<100).map { i -> (x: Double, y: Double) in
            let column = Double(i % 10), row = Double(i / 10)
            return (x: column * 100, y: row * 100)
        }
        let gridEdges = Delaunay.edges(grid)
        // A 10 × 10 grid: 180 axis edges plus one diagonal per cell.
        #expect(gridEdges.count == 180 + 81)
    }

    @Test("Adjacency: barriers cut edges, long edges are dropped, street offices never connect")
    func adjacency() throws {
        // Four compounds on a 200 m square; a river runs north–south through the middle.
        let d = 0.0018  // ≈ 200 m of latitude, ≈ 140 m of longitude at 45.7°
        let problem = try ZoningProblem.read(zoningFile([
            ("A", "甲街道", 126.6, 45.7, 50_000, nil), ("B", "甲街道", 126.6 + d, 45.7, 50_000, nil),
            ("C", "甲街道", 126.6, 45.7 + d, 50_000, nil), ("D", "甲街道", 126.6 + d, 45.7 + d, 50_000, nil),
            ("E", "乙街道", 126.6 + d / 2, 45.7 + d / 2, 50_000, nil), ("F", "甲街道", 126.7, 45.7, 50_000, nil),
        ], barriers: [[(126.6 + d / 2, 45.69), (126.6 + d / 2, 45.71)]]))
        let graph = ZoningGraph(problem: problem)
        let ids = problem.compounds.map(\.id)
        func neighbours(_ id: String) -> Set<String> { Set(graph.neighbors[ids.firstIndex(of: id)!].map { ids[$0] }) }
        #expect(neighbours("A") == ["C"])
        #expect(neighbours("B") == ["D"])
        #expect(neighbours("E").isEmpty)  // alone in its street office
        #expect(neighbours("F").isEmpty)  // 7 km away: beyond the cut-off
    }

    @Test("Given neighbours are the adjacency, exactly (cross-street ones ignored)")
    func givenNeighbours() throws {
        let problem = try ZoningProblem.read(zoningFile([
            ("A", "甲", 126.6, 45.7, 50_000, ["C"]), ("B", "甲", 126.6001, 45.7, 50_000, []),
            ("C", "甲", 126.9, 45.9, 50_000, ["A", "D"]), ("D", "乙", 126.6, 45.7, 50_000, ["C"]),
        ]))
        let graph = ZoningGraph(problem: problem)
        #expect(graph.neighbors == [[2], [], [0], []])
    }
}

@Suite("Zoning: input errors name the feature and field")
struct ZoningInputTests {
    func errors(_ data: Data) -> [String] {
        do { _ = try ZoningProblem.read(data); return [] } catch { return error.fields.map(\.field) }
    }

    @Test("Every bad-input case is an error, never a crash")
    func badInput() {
        #expect(errors(Data()) == ["file"])
        #expect(errors(Data("[1,2]".utf8)) == ["type"])
        #expect(errors(Data(#"{"type":"FeatureCollection","features":[]}"#.utf8)).contains("zoning"))
        #expect(errors(zoningFile([], zoning: #""minFloorArea": 40000, "maxFloorArea": 150000"#)) == ["features"])
        #expect(Set(errors(zoningFile([("A", "甲", 126.6, 45.7, 1, nil)], zoning: #""minFloorArea": -1, "maxFloorArea": "x", "zonesPerLot": 0"#)))
                == ["zoning.minFloorArea", "zoning.maxFloorArea", "zoning.zonesPerLot"])
        #expect(errors(zoningFile([("A", "甲", 126.6, 45.7, 1, nil)], zoning: #""minFloorArea": 9, "maxFloorArea": 5"#)) == ["zoning.minFloorArea"])
        let wrongTypes = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[126.6,45.7]},"properties":{"id":7,"street":"甲","floorArea":"big","households":-2}}"#
        #expect(Set(errors(zoningFile([], extra: [wrongTypes]))) == ["features[0].properties.id", "features[0].properties.floorArea", "features[0].properties.households"])
        let outOfRange = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[226.6,95.7]},"properties":{"id":"X","street":"甲","floorArea":5,"households":1}}"#
        #expect(errors(zoningFile([], extra: [outOfRange])) == ["features[0].geometry.coordinates"])
        let nan = #"{"type":"Feature","geometry":{"type":"Point","coordinates":["NaN",45.7]},"properties":{"id":"X","street":"甲","floorArea":5,"households":1}}"#
        #expect(errors(zoningFile([], extra: [nan])) == ["features[0].geometry.coordinates"])
        #expect(errors(zoningFile([("A", "甲", 126.6, 45.7, 1, nil), ("A", "甲", 126.6, 45.7, 1, nil)])) == ["features[1].properties.id"])
        let badNeighbours = errors(zoningFile([("A", "甲", 126.6, 45.7, 1, ["A", "Z", "B"]), ("B", "甲", 126.6, 45.7, 1, []), ("C", "甲", 126.6, 45.7, 1, nil)]))
        #expect(badNeighbours.filter { $0 == "features[0].properties.neighbors" }.count == 3)  // self, unknown, not symmetric
        #expect(badNeighbours.contains("features[2].properties.neighbors"))  // missing while others have them
    }

    @Test("A 100,000-compound file is read and planned without trouble")
    func large() throws {
        let problem = SyntheticDistrict.make(compounds: 100_000, seed: 3)
        let read = try ZoningProblem.read(ZoningOutput.inputData(problem))
        #expect(read.compounds.count == problem.compounds.count)
        let graph = ZoningGraph(problem: read)
        let plan = ZoningPlanner.plan(read, graph: graph, options: PlannerOptions(restarts: 1))
        let report = PlanEvaluation.report(read, graph, plan)
        #expect(report.isValid)
    }
}

@Suite("Zoning: plans")
struct ZoningPlannerTests {
    @Test("Synthetic districts: valid, every violation unavoidable, lots connected and at most zonesPerLot", arguments: [60, 400, 1_000])
    func syntheticDistricts(size: Int) {
        let problem = SyntheticDistrict.make(compounds: size, seed: 9)
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph)
        let report = PlanEvaluation.report(problem, graph, plan)
        #expect(report.isValid)
        #expect(report.bandViolations == report.unavoidable.count)
        #expect(Set(plan.zoneIDs).count == plan.zoneIDs.count)
        #expect(plan.zoneOf.allSatisfy { $0 >= 0 })
        #expect(report.lots.allSatisfy { $0.connected && $0.zoneIDs.count <= 3 })
        #expect(plan.lotOf.allSatisfy { $0 >= 0 })
        // A lot is smaller than zonesPerLot only when no neighbouring lot could take its zones.
        var zoneNeighbours = Array(repeating: Set<Int>(), count: plan.zoneIDs.count)
        for v in 0..<graph.count { for u in graph.neighbors[v] where plan.zoneOf[u] != plan.zoneOf[v] { zoneNeighbours[plan.zoneOf[v]].insert(plan.zoneOf[u]) } }
        var zonesOfLot = Array(repeating: [Int](), count: plan.lotIDs.count)
        for z in 0..<plan.zoneIDs.count { zonesOfLot[plan.lotOf[z]].append(z) }
        for a in zonesOfLot.indices { for b in zonesOfLot.indices where a < b && zonesOfLot[a].count + zonesOfLot[b].count <= 3 {
            let touching = zonesOfLot[a].contains { za in zonesOfLot[b].contains { zoneNeighbours[za].contains($0) } }
            #expect(!touching, "lots \(plan.lotIDs[a]) and \(plan.lotIDs[b]) could be one")
        } }
        if size >= 400 { #expect(report.lots.filter { $0.zoneIDs.count == 3 }.count * 2 >= report.lots.count) }
        // Viable zones: each close to the lower band, so there are many.
        let total = graph.area.reduce(0, +)
        #expect(Double(report.zones.count) >= 0.6 * total / problem.parameters.minFloorArea)
    }

    @Test("Same input and seed, same plan; the fewest objective packs fewer zones")
    func determinismAndObjective() {
        let problem = SyntheticDistrict.make(compounds: 300, seed: 5)
        let a = ZoningPlanner.plan(problem), b = ZoningPlanner.plan(problem)
        #expect(a == b)
        let fewest = ZoningPlanner.plan(problem, options: PlannerOptions(objective: .fewest))
        let graph = ZoningGraph(problem: problem)
        let report = PlanEvaluation.report(problem, graph, fewest)
        #expect(report.isValid)
        #expect(fewest.zoneIDs.count < a.zoneIDs.count)
    }

    @Test("Unavoidable violations are named with their reason")
    func unavoidable() throws {
        let d = 0.0015
        let problem = try ZoningProblem.read(zoningFile([
            ("BIG", "甲", 126.6, 45.7, 200_000, nil), ("S1", "甲", 126.6 + d, 45.7, 10_000, nil),
            ("S2", "甲", 126.6 + 2 * d, 45.7, 35_000, nil), ("S3", "甲", 126.6 + 3 * d, 45.7, 30_000, nil),
            ("LONE", "乙", 126.65, 45.75, 5_000, nil),
            ("P1", "丙", 126.7, 45.7, 10_000, nil), ("P2", "丙", 126.7 + d, 45.7, 12_000, nil),
        ]))
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph)
        let report = PlanEvaluation.report(problem, graph, plan)
        let reasons = Dictionary(uniqueKeysWithValues: report.unavoidable.map { ($0.compoundIDs.joined(separator: ","), $0.reason) })
        #expect(reasons["BIG"]?.contains("above the upper band") == true)
        #expect(reasons["LONE"]?.contains("isolated") == true)
        #expect(reasons["P1,P2"]?.contains("connected piece of 2") == true)
        #expect(report.isValid)
        #expect(report.bandViolations == 3)
        // S1–S3 make one valid zone of 75,000 m²; BIG stands alone.
        let zoneOfS = Set(["S1", "S2", "S3"].map { id in plan.zoneOf[problem.compounds.firstIndex { $0.id == id }!] })
        #expect(zoneOfS.count == 1)
    }

    @Test("Locked compounds keep their zone id; a hand-made plan that breaks rules is reported invalid")
    func lockedAndChecks() throws {
        var problem = SyntheticDistrict.make(compounds: 120, seed: 11)
        problem.compounds[0].locked = "KEEP-1"
        problem.compounds[1].locked = "KEEP-1"
        problem.document = ZoningOutput.document(for: problem)
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph)
        #expect(plan.zoneIDs[plan.zoneOf[0]] == "KEEP-1")
        #expect(PlanEvaluation.report(problem, graph, plan).zones.first { $0.id == "KEEP-1" }?.violations.contains(.lockedCompoundMoved(problem.compounds[0].id)) == false)

        // Everything in one zone: above the band, and across street offices.
        var broken = plan
        broken.zoneOf = Array(repeating: 0, count: problem.compounds.count)
        let report = PlanEvaluation.report(problem, graph, broken)
        #expect(!report.isValid)
        #expect(report.zones[0].violations.contains { if case .aboveMaxFloorArea = $0 { true } else { false } })
        #expect(report.zones[0].violations.contains(.crossesStreetOffices) || graph.streets.count == 1)
    }

    @Test("The output is the input with zone and lot on every compound, and checks back as valid")
    func outputRoundTrip() throws {
        let problem = SyntheticDistrict.make(compounds: 150, seed: 2)
        let graph = ZoningGraph(problem: problem)
        let plan = ZoningPlanner.plan(problem, graph: graph)
        let data = ZoningOutput.write(problem, plan, PlanEvaluation.report(problem, graph, plan))
        let reread = try ZoningProblem.read(data)
        let checked = try ZoningOutput.readPlan(reread)
        let report = PlanEvaluation.report(reread, ZoningGraph(problem: reread), checked)
        #expect(report.isValid)
        #expect(report.zones.count == plan.zoneIDs.count)
        #expect(report.lots.count == plan.lotIDs.count)
        let root = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(root["plan"]?["totals"]?["valid"] == .bool(true))
    }

    /// Every partition of a small street office into connected zones, to know whether a
    /// plan without band violations exists.
    func validPlanExists(_ graph: ZoningGraph, _ p: ZoningParameters) -> Bool {
        let n = graph.count
        var zoneOf = Array(repeating: -1, count: n)
        func check(_ zones: Int) -> Bool {
            let part = ZonePartition(graph: graph, zoneOf: zoneOf)
            return (0..<zones).allSatisfy { z in
                let s = part.stats[z]
                return s.area >= p.minFloorArea && s.area <= p.maxFloorArea && part.isConnected(z)
            }
        }
        func assign(_ v: Int, _ zones: Int) -> Bool {
            if v == n { return check(zones) }
            for z in 0...zones {
                zoneOf[v] = z
                if assign(v + 1, max(zones, z + 1)) { return true }
            }
            return false
        }
        return assign(0, 0)
    }

    @Test("Property: whenever brute force finds a valid plan, the planner returns one", arguments: 0..<40)
    func bruteForceProperty(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) &* 7919)
        let n = 5 + seed % 4
        let compounds = (0..<n).map { i in
            (id: "C\(i)", street: "甲", lon: 126.6 + rng.uniform(0...0.01), lat: 45.7 + rng.uniform(0...0.008),
             area: (rng.uniform(5_000...60_000) / 10).rounded() * 10, neighbors: [String]?.none)
        }
        let problem = try ZoningProblem.read(zoningFile(compounds, zoning: #""minFloorArea": 40000, "maxFloorArea": 90000"#))
        let graph = ZoningGraph(problem: problem)
        let report = PlanEvaluation.report(problem, graph, ZoningPlanner.plan(problem, graph: graph))
        #expect(report.isStructurallySound)
        if validPlanExists(graph, problem.parameters) {
            #expect(report.bandViolations == 0, "seed \(seed): a valid plan exists but the planner left \(report.bandViolations) violations")
        }
    }
}

@Suite("Zoning: hand adjustment")
struct ZoningEditorTests {
    func setUp() -> (ZoningEditor, ZoningProblem) {
        let problem = SyntheticDistrict.make(compounds: 200, seed: 21)
        let graph = ZoningGraph(problem: problem)
        return (ZoningEditor(problem: problem, graph: graph, plan: ZoningPlanner.plan(problem, graph: graph)), problem)
    }

    /// A compound on a zone boundary whose zone stays connected without it, and the zone it borders.
    func boundaryMove(_ editor: ZoningEditor) -> (String, String)? {
        let plan = editor.plan
        for v in 0..<editor.graph.count {
            let from = plan.zoneOf[v]
            let members = (0..<editor.graph.count).filter { plan.zoneOf[$0] == from }
            guard members.count > 1 else { continue }
            var partition = ZonePartition(graph: editor.graph, zoneOf: plan.zoneOf)
            guard partition.isConnected(from, without: v) else { continue }
            if let u = editor.graph.neighbors[v].first(where: { plan.zoneOf[$0] != from }) {
                partition.assign(v, to: plan.zoneOf[u])
                return (editor.problem.compounds[v].id, plan.zoneIDs[plan.zoneOf[u]])
            }
        }
        return nil
    }

    @Test("A move to a bordering zone is applied, re-checked and answered with a suggestion")
    func move() throws {
        var (editor, _) = setUp()
        let (compound, target) = try #require(boundaryMove(editor))
        let outcome = editor.apply(.move(compound: compound, toZone: target))
        #expect(outcome.refusal == nil)
        #expect(outcome.zones.contains { $0.id == target && $0.compoundIDs.contains(compound) })
        #expect(editor.plan.zoneIDs[editor.plan.zoneOf[editor.problem.compounds.firstIndex { $0.id == compound }!]] == target)
        // The suggestion never moves the compound a person just placed.
        #expect(outcome.suggestion[compound] == nil)
    }

    @Test("Structural changes are refused with the reason and change nothing")
    func refusals() throws {
        var (editor, problem) = setUp()
        let before = editor.plan
        #expect(editor.apply(.move(compound: "nope", toZone: nil)).refusal?.contains("no compound") == true)
        #expect(editor.apply(.move(compound: problem.compounds[0].id, toZone: "Z99-99")).refusal?.contains("no zone") == true)
        // A zone far away does not border the compound.
        let far = editor.plan.zoneIDs.first { id in
            let z = editor.plan.zoneIDs.firstIndex(of: id)!
            return !editor.graph.neighbors[0].contains { editor.plan.zoneOf[$0] == z } && editor.plan.zoneOf[0] != z
        }!
        #expect(editor.apply(.move(compound: problem.compounds[0].id, toZone: far)).refusal != nil)
        let zone = editor.plan.zoneIDs[editor.plan.zoneOf[0]]
        #expect(editor.apply(.lockZone(zone)).refusal == nil)
        #expect(editor.apply(.move(compound: problem.compounds[0].id, toZone: nil)).refusal?.contains("locked") == true)
        #expect(editor.apply(.merge(zone, far)).refusal != nil)
        #expect(editor.plan == before)
        #expect(editor.apply(.unlockZone(zone)).refusal == nil)
    }

    @Test("Split adds a zone, merge takes one away")
    func splitAndMerge() throws {
        var (editor, _) = setUp()
        let zones = editor.plan.zoneIDs.count
        let big = try #require(editor.plan.zoneIDs.indices.first { z in editor.plan.zoneOf.filter { $0 == z }.count >= 4 })
        let id = editor.plan.zoneIDs[big]
        let split = editor.apply(.split(id))
        #expect(split.refusal == nil)
        #expect(split.zoneCount == zones + 1)
        #expect(split.zones.count == 2)
        let other = try #require(split.zones.first { $0.id != id }?.id)
        let merged = editor.apply(.merge(id, other))
        #expect(merged.refusal == nil)
        #expect(merged.zoneCount == zones)
    }
}
