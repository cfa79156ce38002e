import Foundation

/// Hand adjustment of a plan, one change at a time, fast enough to run on every drag in the
/// console. A change that breaks a structural rule (street office, connectivity, a locked
/// zone) is refused with the reason; one that only leaves a zone outside its band is
/// applied and reported, with a suggestion: the local re-optimisation of the street
/// office around it (the changed compounds and locked zones stay where they are).
public struct ZoningEditor: Sendable {
    public enum Change: Sendable, Equatable {
        /// Move a compound to an existing zone, or to a new zone when `toZone` is nil.
        case move(compound: String, toZone: String?)
        case lockZone(String)
        case unlockZone(String)
        case split(String)
        case merge(String, String)
    }

    public struct Outcome: Sendable {
        /// Nil when applied; otherwise why the change was refused (the plan is unchanged).
        public var refusal: String?
        /// The zones the change touched, as they are now.
        public var zones: [ZoneReport]
        public var isValid: Bool
        public var bandViolations: Int
        public var zoneCount: Int
        /// km².
        public var dispersion: Double
        /// Moves (compound id → zone id) the local re-optimisation proposes; empty when it finds nothing better.
        public var suggestion: [String: String]
    }

    public let problem: ZoningProblem
    public let graph: ZoningGraph
    var partition: ZonePartition
    var zoneIDs: [String]
    var lotOf: [Int]
    var lotIDs: [String]
    public private(set) var lockedZones: Set<String> = []
    /// Compounds a person placed by hand: the suggestion never moves them.
    var pinned: Set<Int> = []
    let index: [String: Int]
    /// Fixed by the input, so computed once.
    let unavoidableCount: Int

    /// `lockedZones` restores the locks a person set in an earlier session; zones locked in
    /// the input file are locked whatever it says.
    public init(problem: ZoningProblem, graph: ZoningGraph? = nil, plan: ZoningPlan, lockedZones: Set<String> = []) {
        self.problem = problem
        let graph = graph ?? ZoningGraph(problem: problem)
        self.graph = graph
        partition = ZonePartition(graph: graph, zoneOf: plan.zoneOf)
        zoneIDs = plan.zoneIDs
        while partition.zoneCount < zoneIDs.count { _ = partition.newZone() }
        lotOf = plan.lotOf
        lotIDs = plan.lotIDs
        index = Dictionary(problem.compounds.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.lockedZones = Set(problem.compounds.compactMap(\.locked)).union(lockedZones.filter { plan.zoneIDs.contains($0) })
        unavoidableCount = PlanEvaluation.unavoidable(problem, graph).count
    }

    public var plan: ZoningPlan {
        ZoningPlan(zoneOf: partition.zoneOf, zoneIDs: zoneIDs, lotOf: lotOf, lotIDs: lotIDs)
    }

    public mutating func apply(_ change: Change) -> Outcome {
        let before = partition
        let beforeIDs = zoneIDs, beforeLots = lotOf
        var touched: [Int] = []
        if let refusal = perform(change, touched: &touched) {
            partition = before
            zoneIDs = beforeIDs
            lotOf = beforeLots
            return outcome(touched: [], refusal: refusal, suggestion: [:])
        }
        if !touched.isEmpty { rebuildLots() }
        return outcome(touched: touched, refusal: nil, suggestion: suggest(around: touched))
    }

    private func zone(_ id: String) -> Int? {
        zoneIDs.firstIndex(of: id).flatMap { partition.members[$0].isEmpty ? nil : $0 }
    }

    private mutating func perform(_ change: Change, touched: inout [Int]) -> String? {
        switch change {
        case .move(let compoundID, let target):
            guard let v = index[compoundID] else { return "no compound has id \(compoundID)" }
            let from = partition.zoneOf[v]
            if from >= 0, lockedZones.contains(zoneIDs[from]) { return "zone \(zoneIDs[from]) is locked" }
            if problem.compounds[v].locked != nil { return "compound \(compoundID) is locked to zone \(problem.compounds[v].locked!)" }
            let to: Int
            if let target {
                guard let z = zone(target) else { return "no zone has id \(target)" }
                guard z != from else { return "compound \(compoundID) is already in zone \(target)" }
                if lockedZones.contains(target) { return "zone \(target) is locked" }
                guard graph.street[partition.members[z][0]] == graph.street[v] else {
                    return "zone \(target) belongs to \(graph.streets[graph.street[partition.members[z][0]]]); zones never cross street offices"
                }
                guard graph.neighbors[v].contains(where: { partition.zoneOf[$0] == z }) else {
                    return "compound \(compoundID) does not border zone \(target); the zone would not be connected"
                }
                to = z
            } else {
                to = partition.newZone()
                zoneIDs.append(freshZoneID(street: graph.street[v]))
                lotOf.append(-1)
            }
            if from >= 0, !partition.isConnected(from, without: v) {
                return "zone \(zoneIDs[from]) would fall apart without compound \(compoundID)"
            }
            partition.assign(v, to: to)
            pinned.insert(v)
            touched = [from, to].filter { $0 >= 0 }
        case .lockZone(let id):
            guard zone(id) != nil else { return "no zone has id \(id)" }
            lockedZones.insert(id)
        case .unlockZone(let id):
            guard zone(id) != nil else { return "no zone has id \(id)" }
            if problem.compounds.contains(where: { $0.locked == id }) { return "zone \(id) is locked in the input file" }
            lockedZones.remove(id)
        case .split(let id):
            guard let z = zone(id) else { return "no zone has id \(id)" }
            if lockedZones.contains(id) { return "zone \(id) is locked" }
            guard partition.members[z].count >= 2 else { return "zone \(id) has one compound" }
            let (sub, local, _) = streetSubGraph(graph.street[partition.members[z][0]])
            let solver = StreetSolver(sub: sub, parameters: problem.parameters, objective: .viable, seed: 1, deadline: nil, restarts: 1)
            let localPart = ZonePartition(graph: sub.graph, zoneOf: local.map { partition.zoneOf[$0] == z ? 0 : -1 })
            guard let half = solver.bisect(localPart, 0, requireBands: false) else { return "zone \(id) has no split into two connected zones" }
            let fresh = partition.newZone()
            zoneIDs.append(freshZoneID(street: graph.street[partition.members[z][0]]))
            lotOf.append(lotOf.indices.contains(z) ? lotOf[z] : -1)
            for v in half { partition.assign(local[v], to: fresh) }
            touched = [z, fresh]
        case .merge(let a, let b):
            guard let za = zone(a) else { return "no zone has id \(a)" }
            guard let zb = zone(b), zb != za else { return "no other zone has id \(b)" }
            if lockedZones.contains(a) || lockedZones.contains(b) { return "a locked zone cannot be merged" }
            guard graph.street[partition.members[za][0]] == graph.street[partition.members[zb][0]] else { return "zones \(a) and \(b) are in different street offices" }
            guard partition.members[zb].contains(where: { v in graph.neighbors[v].contains { partition.zoneOf[$0] == za } }) else {
                return "zones \(a) and \(b) do not touch"
            }
            for v in partition.members[zb] { partition.assign(v, to: za) }
            touched = [za]
        }
        return nil
    }

    /// Zones changed, so the lots are bundled again from the zones as they now are: a lot
    /// must stay connected and a new zone must land in one.
    private mutating func rebuildLots() {
        let live = (0..<partition.zoneCount).filter { !partition.members[$0].isEmpty }
        var compact = Array(repeating: -1, count: partition.zoneCount)
        for (i, z) in live.enumerated() { compact[z] = i }
        let built = LotBuilder.build(graph: graph, zoneOf: partition.zoneOf.map { $0 >= 0 ? compact[$0] : -1 }, zoneCount: live.count,
                                     zoneStreet: live.map { graph.street[partition.members[$0][0]] }, zonesPerLot: problem.parameters.zonesPerLot)
        lotOf = Array(repeating: -1, count: zoneIDs.count)
        for (i, z) in live.enumerated() { lotOf[z] = built.lotOf[i] }
        lotIDs = built.lotIDs
    }

    private func freshZoneID(street: Int) -> String {
        var n = zoneIDs.count + 1
        var id: String
        repeat { id = String(format: "Z%02d-%02d", street + 1, n); n += 1 } while zoneIDs.contains(id)
        return id
    }

    /// The street office's compounds as a subgraph; pinned compounds and locked zones are locked in it.
    private func streetSubGraph(_ street: Int) -> (SubGraph, [Int], [Int: Int]) {
        let members = (0..<graph.count).filter { graph.street[$0] == street }
        var local = [Int: Int]()
        for (i, v) in members.enumerated() { local[v] = i }
        // Locked zones move together and never merge; hand-placed compounds stay put.
        let lockGroup = members.map { v -> Int in
            let z = partition.zoneOf[v]
            if z >= 0, lockedZones.contains(zoneIDs[z]) { return z }
            return pinned.contains(v) ? graph.count + v : -1
        }
        return (SubGraph(graph: graph, members: members, lockGroup: lockGroup), members, local)
    }

    /// Repair and local search over the touched zones' street office, reported as moves.
    private func suggest(around touched: [Int]) -> [String: String] {
        guard let first = touched.first(where: { !partition.members[$0].isEmpty }) else { return [:] }
        let (sub, members, _) = streetSubGraph(graph.street[partition.members[first][0]])
        let solver = StreetSolver(sub: sub, parameters: problem.parameters, objective: .viable, seed: 1, deadline: nil, restarts: 1)
        var localZones = Array(Set(members.map { partition.zoneOf[$0] })).sorted()
        localZones.removeAll { $0 < 0 }
        let localIndex = Dictionary(uniqueKeysWithValues: localZones.enumerated().map { ($1, $0) })
        var part = ZonePartition(graph: sub.graph, zoneOf: members.map { localIndex[partition.zoneOf[$0]] ?? -1 })
        solver.repair(&part)
        solver.localSearch(&part)
        var moves: [String: String] = [:]
        for (i, v) in members.enumerated() {
            let z = part.zoneOf[i]
            guard z >= 0, z < localZones.count, localZones[z] != partition.zoneOf[v] else { continue }
            moves[problem.compounds[v].id] = zoneIDs[localZones[z]]
        }
        return moves
    }

    /// Whole-plan figures from the running zone sums (O(zones)); full reports only for the touched zones.
    private func outcome(touched: [Int], refusal: String?, suggestion: [String: String]) -> Outcome {
        let p = problem.parameters
        var violations = 0, zones = 0, dispersion = 0.0
        for z in 0..<partition.zoneCount where !partition.members[z].isEmpty {
            zones += 1
            let s = partition.stats[z]
            dispersion += s.dispersion
            var outside = s.area < p.minFloorArea || s.area > p.maxFloorArea
                || (p.minHouseholds.map { s.households < $0 } ?? false) || (p.maxHouseholds.map { s.households > $0 } ?? false)
            if !outside, let r = p.maxRadiusMeters { outside = partition.radius(z) > r }
            if outside { violations += 1 }
        }
        let reports = Set(touched).filter { !partition.members[$0].isEmpty }.sorted().map { z in
            PlanEvaluation.zoneReport(problem, partition, z, id: zoneIDs[z],
                                      lot: lotOf.indices.contains(z) && lotOf[z] >= 0 ? lotIDs[lotOf[z]] : "")
        }
        // Moves refuse to disconnect a zone, merges join touching zones and splits give
        // connected halves, so only the bands can make an edited plan invalid.
        return Outcome(refusal: refusal, zones: reports, isValid: violations <= unavoidableCount, bandViolations: violations,
                       zoneCount: zones, dispersion: dispersion / 1e6, suggestion: suggestion)
    }
}
