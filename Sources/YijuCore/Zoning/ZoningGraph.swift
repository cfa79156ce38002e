import Foundation

/// The compounds of a problem as indices, positions in local metres, and the adjacency
/// zoning may use: never between street offices (zones never cross them).
public struct ZoningGraph: Sendable {
    public let streets: [String]
    /// Street office index of each compound.
    public let street: [Int]
    public let x: [Double]
    public let y: [Double]
    public let area: [Double]
    public let households: [Int]
    public private(set) var neighbors: [[Int]]

    public var count: Int { street.count }

    public init(problem: ZoningProblem) {
        let compounds = problem.compounds
        let origin = GeoPoint(lon: compounds.map(\.location.lon).reduce(0, +) / Double(max(1, compounds.count)),
                              lat: compounds.map(\.location.lat).reduce(0, +) / Double(max(1, compounds.count)))
        let plane = LocalPlane(origin: origin)
        var streetIndex: [String: Int] = [:]
        var streets: [String] = []
        var street: [Int] = []
        var xs: [Double] = [], ys: [Double] = []
        for c in compounds {
            if streetIndex[c.street] == nil { streetIndex[c.street] = streets.count; streets.append(c.street) }
            street.append(streetIndex[c.street]!)
            let p = plane.xy(c.location)
            xs.append(p.x); ys.append(p.y)
        }
        self.streets = streets
        self.street = street
        x = xs
        y = ys
        area = compounds.map(\.floorArea)
        households = compounds.map(\.households)
        neighbors = Array(repeating: [], count: compounds.count)

        if problem.adjacencyGiven {
            let index = Dictionary(compounds.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (i, c) in compounds.enumerated() {
                for id in c.neighbors ?? [] {
                    guard let j = index[id], j != i, street[j] == street[i] else { continue }
                    neighbors[i].append(j)
                }
            }
        } else {
            let barriers = BarrierIndex(problem.barriers.map { $0.path.map { plane.xy($0) } }, cell: max(problem.parameters.neighborCutoffMeters, 50))
            let cutoff2 = problem.parameters.neighborCutoffMeters * problem.parameters.neighborCutoffMeters
            var members: [[Int]] = Array(repeating: [], count: streets.count)
            for i in 0..<compounds.count { members[street[i]].append(i) }
            for group in members {
                let edges = Delaunay.edges(group.map { (x: xs[$0], y: ys[$0]) })
                for (a, b) in edges {
                    let i = group[a], j = group[b]
                    let dx = xs[i] - xs[j], dy = ys[i] - ys[j]
                    // Coincident compounds (one address, two entries) are always neighbours.
                    guard dx * dx + dy * dy <= cutoff2 || dx * dx + dy * dy < 1e-6 else { continue }
                    guard !barriers.crosses((xs[i], ys[i]), (xs[j], ys[j])) else { continue }
                    neighbors[i].append(j)
                    neighbors[j].append(i)
                }
            }
        }
        for i in 0..<neighbors.count { neighbors[i] = Array(Set(neighbors[i])).sorted() }
    }

    /// For tests and benchmarks: a graph with explicit adjacency.
    public init(streets: [String], street: [Int], x: [Double], y: [Double], area: [Double], households: [Int], neighbors: [[Int]]) {
        self.streets = streets; self.street = street; self.x = x; self.y = y; self.area = area
        self.households = households; self.neighbors = neighbors
    }

    public func distanceSquared(_ i: Int, _ j: Int) -> Double {
        let dx = x[i] - x[j], dy = y[i] - y[j]
        return dx * dx + dy * dy
    }
}

/// Barrier segments bucketed in a uniform grid, so testing an edge touches only the
/// segments near it.
struct BarrierIndex {
    typealias P = (x: Double, y: Double)
    let cell: Double
    var segments: [(P, P)] = []
    var buckets: [Int64: [Int]] = [:]

    init(_ paths: [[P]], cell: Double) {
        self.cell = cell
        for path in paths {
            for (a, b) in zip(path, path.dropFirst()) {
                let id = segments.count
                segments.append((a, b))
                for key in keys(a, b) { buckets[key, default: []].append(id) }
            }
        }
    }

    func keys(_ a: P, _ b: P) -> [Int64] {
        let x0 = Int64((min(a.x, b.x) / cell).rounded(.down)), x1 = Int64((max(a.x, b.x) / cell).rounded(.down))
        let y0 = Int64((min(a.y, b.y) / cell).rounded(.down)), y1 = Int64((max(a.y, b.y) / cell).rounded(.down))
        guard (x1 - x0 + 1) * (y1 - y0 + 1) < 1_000_000 else { return [] }
        var keys: [Int64] = []
        for gx in x0...x1 { for gy in y0...y1 { keys.append(gx &* 1_000_003 &+ gy) } }
        return keys
    }

    func crosses(_ a: P, _ b: P) -> Bool {
        guard !segments.isEmpty else { return false }
        var seen = Set<Int>()
        for key in keys(a, b) {
            for id in buckets[key] ?? [] where seen.insert(id).inserted {
                if Self.intersect(a, b, segments[id].0, segments[id].1) { return true }
            }
        }
        return false
    }

    /// Closed segments ab and cd share a point (touching a barrier counts as crossing it).
    static func intersect(_ a: P, _ b: P, _ c: P, _ d: P) -> Bool {
        func orient(_ p: P, _ q: P, _ r: P) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
        func onSegment(_ p: P, _ q: P, _ r: P) -> Bool {
            min(p.x, q.x) <= r.x && r.x <= max(p.x, q.x) && min(p.y, q.y) <= r.y && r.y <= max(p.y, q.y)
        }
        let d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        if d1 == 0 && onSegment(c, d, a) { return true }
        if d2 == 0 && onSegment(c, d, b) { return true }
        if d3 == 0 && onSegment(a, b, c) { return true }
        if d4 == 0 && onSegment(a, b, d) { return true }
        return false
    }
}
