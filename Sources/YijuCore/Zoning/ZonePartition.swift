import Foundation

/// Compounds assigned to zones, with running sums per zone so that moving one compound
/// updates floor area, households, centre and dispersion in O(1).
struct ZonePartition: Sendable {
    struct Stats: Sendable {
        var count = 0
        var area = 0.0
        var households = 0
        var sx = 0.0, sy = 0.0, sxx = 0.0
        var wx = 0.0, wy = 0.0

        var centre: (x: Double, y: Double) { area > 0 ? (wx / area, wy / area) : (0, 0) }

        /// Σ over members of the squared distance (m²) to the floor-area-weighted centre.
        var dispersion: Double {
            guard count > 0, area > 0 else { return 0 }
            let (cx, cy) = centre
            return max(0, sxx - 2 * (cx * sx + cy * sy) + Double(count) * (cx * cx + cy * cy))
        }

        mutating func add(_ g: ZoningGraph, _ v: Int, sign: Double = 1) {
            count += sign > 0 ? 1 : -1
            area += sign * g.area[v]
            households += sign > 0 ? g.households[v] : -g.households[v]
            sx += sign * g.x[v]; sy += sign * g.y[v]
            sxx += sign * (g.x[v] * g.x[v] + g.y[v] * g.y[v])
            wx += sign * g.area[v] * g.x[v]; wy += sign * g.area[v] * g.y[v]
        }

        func adding(_ g: ZoningGraph, _ v: Int) -> Stats { var s = self; s.add(g, v); return s }
        func removing(_ g: ZoningGraph, _ v: Int) -> Stats { var s = self; s.add(g, v, sign: -1); return s }
    }

    let graph: ZoningGraph
    /// Zone of each compound; -1 while unassigned.
    var zoneOf: [Int]
    var members: [[Int]] = []
    var stats: [Stats] = []
    private var position: [Int]

    init(graph: ZoningGraph) {
        self.graph = graph
        zoneOf = Array(repeating: -1, count: graph.count)
        position = Array(repeating: -1, count: graph.count)
    }

    init(graph: ZoningGraph, zoneOf: [Int]) {
        self.init(graph: graph)
        let zones = (zoneOf.max() ?? -1) + 1
        members = Array(repeating: [], count: zones)
        stats = Array(repeating: Stats(), count: zones)
        for (v, z) in zoneOf.enumerated() where z >= 0 { assign(v, to: z) }
    }

    var zoneCount: Int { members.count }

    mutating func newZone() -> Int {
        members.append([])
        stats.append(Stats())
        return members.count - 1
    }

    mutating func assign(_ v: Int, to z: Int) {
        if zoneOf[v] >= 0 { unassign(v) }
        zoneOf[v] = z
        position[v] = members[z].count
        members[z].append(v)
        stats[z].add(graph, v)
    }

    mutating func unassign(_ v: Int) {
        let z = zoneOf[v]
        guard z >= 0 else { return }
        let p = position[v]
        let last = members[z].removeLast()
        if last != v { members[z][p] = last; position[last] = p }
        stats[z].add(graph, v, sign: -1)
        zoneOf[v] = -1
        position[v] = -1
    }

    /// Removes zones left empty, renumbering the rest in order.
    mutating func compact() {
        var map = Array(repeating: -1, count: members.count)
        var newMembers: [[Int]] = [], newStats: [Stats] = []
        for z in 0..<members.count where !members[z].isEmpty {
            map[z] = newMembers.count
            newMembers.append(members[z]); newStats.append(stats[z])
        }
        for v in 0..<zoneOf.count where zoneOf[v] >= 0 { zoneOf[v] = map[zoneOf[v]] }
        members = newMembers
        stats = newStats
    }

    /// Whether zone `z` without compound `without` (if given) is connected in the adjacency.
    func isConnected(_ z: Int, without: Int = -1) -> Bool {
        let list = members[z]
        let size = list.count - (without >= 0 && zoneOf[without] == z ? 1 : 0)
        guard size > 1 else { return true }
        guard let start = list.first(where: { $0 != without }) else { return true }
        var seen: Set<Int> = [start]
        var stack = [start]
        while let v = stack.popLast() {
            for u in graph.neighbors[v] where u != without && zoneOf[u] == z && seen.insert(u).inserted {
                stack.append(u)
            }
        }
        return seen.count == size
    }

    /// Largest distance (m) from the zone's weighted centre to a member, with optional changes.
    func radius(_ z: Int, adding: Int = -1, removing: Int = -1) -> Double {
        var s = stats[z]
        if adding >= 0 { s.add(graph, adding) }
        if removing >= 0 { s.add(graph, removing, sign: -1) }
        let (cx, cy) = s.centre
        var r2 = 0.0
        for v in members[z] where v != removing {
            r2 = max(r2, (graph.x[v] - cx) * (graph.x[v] - cx) + (graph.y[v] - cy) * (graph.y[v] - cy))
        }
        if adding >= 0 { r2 = max(r2, (graph.x[adding] - cx) * (graph.x[adding] - cx) + (graph.y[adding] - cy) * (graph.y[adding] - cy)) }
        return r2.squareRoot()
    }
}
