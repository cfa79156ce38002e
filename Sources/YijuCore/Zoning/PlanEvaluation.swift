import Foundation

/// Measures any plan (ours, hand-made or another tool's) against its problem.
public enum PlanEvaluation {
    public static func report(_ problem: ZoningProblem, _ graph: ZoningGraph, _ plan: ZoningPlan) -> PlanReport {
        var structural: [String] = []
        let zoneCount = plan.zoneIDs.count
        for (v, z) in plan.zoneOf.enumerated() where z < 0 || z >= zoneCount {
            structural.append("compound \(problem.compounds[v].id) is in no zone")
        }
        let partition = ZonePartition(graph: graph, zoneOf: plan.zoneOf.map { $0 < zoneCount ? $0 : -1 })
        var zones: [ZoneReport] = []
        var reportOfZone = [Int: Int]()
        for z in 0..<min(zoneCount, partition.members.count) where !partition.members[z].isEmpty {
            let lot = z < plan.lotOf.count && plan.lotOf[z] >= 0 && plan.lotOf[z] < plan.lotIDs.count ? plan.lotIDs[plan.lotOf[z]] : ""
            reportOfZone[z] = zones.count
            zones.append(zoneReport(problem, partition, z, id: plan.zoneIDs[z], lot: lot))
        }
        // Zones grouped by lot in one pass (a district has thousands of both).
        var zonesOfLot = Array(repeating: [Int](), count: plan.lotIDs.count)
        for z in 0..<min(zoneCount, plan.lotOf.count) where plan.lotOf[z] >= 0 && plan.lotOf[z] < plan.lotIDs.count && reportOfZone[z] != nil {
            zonesOfLot[plan.lotOf[z]].append(z)
        }
        var lots: [LotReport] = []
        for (l, id) in plan.lotIDs.enumerated() where !zonesOfLot[l].isEmpty {
            let reports = zonesOfLot[l].map { zones[reportOfZone[$0]!] }
            lots.append(LotReport(
                id: id, street: reports[0].street, zoneIDs: reports.map(\.id),
                floorArea: reports.reduce(0) { $0 + $1.floorArea }, households: reports.reduce(0) { $0 + $1.households },
                income: reports.reduce(0) { $0 + $1.income }, cost: reports.reduce(0) { $0 + $1.cost },
                subsidy: reports.reduce(0) { $0 + $1.subsidy },
                connected: zonesConnected(zonesOfLot[l], partition)))
        }
        return PlanReport(zones: zones, lots: lots, unavoidable: unavoidable(problem, graph), structuralErrors: structural)
    }

    /// One zone measured: bands, structure, locks, and the cost model's money.
    static func zoneReport(_ problem: ZoningProblem, _ partition: ZonePartition, _ z: Int, id: String, lot: String) -> ZoneReport {
        let p = problem.parameters
        let graph = partition.graph
        let members = partition.members[z]
        let s = partition.stats[z]
        var violations: [ZoneViolation] = []
        if s.area < p.minFloorArea { violations.append(.belowMinFloorArea(s.area)) }
        if s.area > p.maxFloorArea { violations.append(.aboveMaxFloorArea(s.area)) }
        if let low = p.minHouseholds, s.households < low { violations.append(.belowMinHouseholds(s.households)) }
        if let high = p.maxHouseholds, s.households > high { violations.append(.aboveMaxHouseholds(s.households)) }
        let radius = partition.radius(z)
        if let r = p.maxRadiusMeters, radius > r { violations.append(.radiusTooLarge(radius)) }
        if !partition.isConnected(z) { violations.append(.disconnected) }
        if Set(members.map { graph.street[$0] }).count > 1 { violations.append(.crossesStreetOffices) }
        for v in members {
            if let locked = problem.compounds[v].locked, locked != id { violations.append(.lockedCompoundMoved(problem.compounds[v].id)) }
        }
        let (cx, cy) = s.centre
        let meanDistance = members.reduce(0) { $0 + ((graph.x[$1] - cx) * (graph.x[$1] - cx) + (graph.y[$1] - cy) * (graph.y[$1] - cy)).squareRoot() } / Double(members.count)
        let income = p.cost.income(floorArea: s.area)
        let cost = p.cost.cost(floorArea: s.area, meanDistanceMetres: meanDistance)
        return ZoneReport(
            id: id, street: graph.streets[graph.street[members[0]]], lot: lot,
            compoundIDs: members.sorted().map { problem.compounds[$0].id }, floorArea: s.area, households: s.households,
            radiusMeters: radius, dispersion: s.dispersion / 1e6, income: income, cost: cost, subsidy: max(0, cost - income),
            violations: violations)
    }

    static func zonesConnected(_ zones: [Int], _ partition: ZonePartition) -> Bool {
        guard zones.count > 1 else { return true }
        let set = Set(zones)
        var seen: Set<Int> = [zones[0]]
        var stack = [zones[0]]
        while let z = stack.popLast() {
            for v in partition.members[z] {
                for u in partition.graph.neighbors[v] {
                    let w = partition.zoneOf[u]
                    if w >= 0, set.contains(w), seen.insert(w).inserted { stack.append(w) }
                }
            }
        }
        return seen.count == zones.count
    }

    /// Violations no plan can avoid: a compound above the upper band on its own, and a
    /// connected piece (an isolated building included) whose whole total is below the
    /// lower band. Everything else a good plan avoids.
    public static func unavoidable(_ problem: ZoningProblem, _ graph: ZoningGraph) -> [UnavoidableViolation] {
        let p = problem.parameters
        var result: [UnavoidableViolation] = []
        for v in 0..<graph.count {
            if graph.area[v] > p.maxFloorArea {
                result.append(.init(compoundIDs: [problem.compounds[v].id],
                                    reason: String(format: "floor area %.0f m² alone is above the upper band (%.0f m²)", graph.area[v], p.maxFloorArea)))
            } else if let high = p.maxHouseholds, graph.households[v] > high {
                result.append(.init(compoundIDs: [problem.compounds[v].id], reason: "\(graph.households[v]) households alone is above the upper band (\(high))"))
            }
        }
        var seen = Array(repeating: false, count: graph.count)
        for start in 0..<graph.count where !seen[start] {
            var piece = [start]
            seen[start] = true
            var i = 0
            while i < piece.count {
                for u in graph.neighbors[piece[i]] where !seen[u] { seen[u] = true; piece.append(u) }
                i += 1
            }
            let area = piece.reduce(0) { $0 + graph.area[$1] }
            let households = piece.reduce(0) { $0 + graph.households[$1] }
            let ids = piece.sorted().map { problem.compounds[$0].id }
            let short = area < p.minFloorArea ? String(format: "%.0f m² of floor area", area)
                : (p.minHouseholds.map { households < $0 } ?? false) ? "\(households) households" : nil
            guard let short else { continue }
            let lower = area < p.minFloorArea ? String(format: "%.0f m²", p.minFloorArea) : "\(p.minHouseholds!) households"
            if piece.count == 1 {
                result.append(.init(compoundIDs: ids, reason: "isolated (no neighbour in its street office) with \(short), below the lower band (\(lower))"))
            } else {
                result.append(.init(compoundIDs: ids, reason: "a connected piece of \(piece.count) compounds with only \(short) in all, below the lower band (\(lower))"))
            }
        }
        return result
    }
}
