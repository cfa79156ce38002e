import Foundation

/// Delaunay triangulation of points in the plane by the sweep-hull method: points are
/// added in order of distance from a seed triangle, each joined to the visible part of
/// the convex hull, and edges are flipped until every triangle's circumcircle is empty.
/// O(n log n) in practice, which keeps adjacency for 100k compounds well under a second.
///
/// Only the edge set is exposed: zoning needs adjacency, not triangles.
public enum Delaunay {
    /// Undirected edges (i < j) of the triangulation of `points`. Points closer than
    /// `duplicateTolerance` to an already placed point are joined to that point only.
    /// Collinear inputs give the path along the line.
    public static func edges(_ points: [(x: Double, y: Double)], duplicateTolerance: Double = 1e-6) -> [(Int, Int)] {
        var triangulator = Triangulator(points: points, tolerance: duplicateTolerance)
        return triangulator.run()
    }
}

private struct Triangulator {
    let xs: [Double]
    let ys: [Double]
    let tolerance: Double
    var triangles: [Int] = []
    var halfedges: [Int] = []
    var hullPrev: [Int]
    var hullNext: [Int]
    var hullTri: [Int]
    var hullHash: [Int]
    var hullStart = 0
    var centreX = 0.0
    var centreY = 0.0
    var edgeStack: [Int] = []
    var extraEdges: [(Int, Int)] = []

    init(points: [(x: Double, y: Double)], tolerance: Double) {
        xs = points.map(\.x)
        ys = points.map(\.y)
        self.tolerance = tolerance
        let n = points.count
        hullPrev = Array(repeating: 0, count: n)
        hullNext = Array(repeating: 0, count: n)
        hullTri = Array(repeating: 0, count: n)
        hullHash = Array(repeating: -1, count: max(1, Int(Double(n).squareRoot().rounded(.up))))
    }

    /// Positive when a, b, c turn counter-clockwise.
    func cross(_ a: Int, _ b: Int, _ c: Int) -> Double {
        (xs[b] - xs[a]) * (ys[c] - ys[a]) - (ys[b] - ys[a]) * (xs[c] - xs[a])
    }

    func cross(_ a: Int, _ b: Int, _ px: Double, _ py: Double) -> Double {
        (xs[b] - xs[a]) * (py - ys[a]) - (ys[b] - ys[a]) * (px - xs[a])
    }

    /// Positive when d lies inside the circumcircle of the counter-clockwise triangle a, b, c.
    func inCircle(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Bool {
        let adx = xs[a] - xs[d], ady = ys[a] - ys[d]
        let bdx = xs[b] - xs[d], bdy = ys[b] - ys[d]
        let cdx = xs[c] - xs[d], cdy = ys[c] - ys[d]
        let ad = adx * adx + ady * ady, bd = bdx * bdx + bdy * bdy, cd = cdx * cdx + cdy * cdy
        let det = adx * (bdy * cd - bd * cdy) - ady * (bdx * cd - bd * cdx) + ad * (bdx * cdy - bdy * cdx)
        let scale = max(ad, bd, cd)
        return det > 1e-12 * scale * scale
    }

    func circumradiusSquared(_ a: Int, _ b: Int, _ c: Int) -> Double {
        let dx = xs[b] - xs[a], dy = ys[b] - ys[a], ex = xs[c] - xs[a], ey = ys[c] - ys[a]
        let bl = dx * dx + dy * dy, cl = ex * ex + ey * ey
        let d = 0.5 / (dx * ey - dy * ex)
        let x = (ey * bl - dy * cl) * d, y = (dx * cl - ex * bl) * d
        let r = x * x + y * y
        return r.isFinite ? r : .infinity
    }

    func circumcentre(_ a: Int, _ b: Int, _ c: Int) -> (Double, Double) {
        let dx = xs[b] - xs[a], dy = ys[b] - ys[a], ex = xs[c] - xs[a], ey = ys[c] - ys[a]
        let bl = dx * dx + dy * dy, cl = ex * ex + ey * ey
        let d = 0.5 / (dx * ey - dy * ex)
        return (xs[a] + (ey * bl - dy * cl) * d, ys[a] + (dx * cl - ex * bl) * d)
    }

    func hashKey(_ x: Double, _ y: Double) -> Int {
        let dx = x - centreX, dy = y - centreY
        let p = dx / (abs(dx) + abs(dy))
        let angle = (dy > 0 ? 3 - p : 1 + p) / 4  // a monotone stand-in for atan2, in [0, 1]
        let key = Int((angle * Double(hullHash.count)).rounded(.down))
        return ((key % hullHash.count) + hullHash.count) % hullHash.count
    }

    mutating func run() -> [(Int, Int)] {
        let n = xs.count
        guard n >= 2 else { return [] }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, xs[i]); maxX = max(maxX, xs[i]); minY = min(minY, ys[i]); maxY = max(maxY, ys[i])
        }
        let cx = (minX + maxX) / 2, cy = (minY + maxY) / 2
        func d2(_ i: Int, _ x: Double, _ y: Double) -> Double { (xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y) }

        var i0 = 0
        for i in 1..<n where d2(i, cx, cy) < d2(i0, cx, cy) { i0 = i }
        var i1 = -1
        for i in 0..<n where i != i0 && d2(i, xs[i0], ys[i0]) > tolerance * tolerance {
            if i1 < 0 || d2(i, xs[i0], ys[i0]) < d2(i1, xs[i0], ys[i0]) { i1 = i }
        }
        guard i1 >= 0 else { return star(n) }  // every point coincides
        var i2 = -1
        var best = Double.infinity
        for i in 0..<n where i != i0 && i != i1 {
            let r = circumradiusSquared(i0, i1, i)
            if r < best { best = r; i2 = i }
        }
        guard i2 >= 0, best.isFinite, abs(cross(i0, i1, i2)) > 1e-12 * max(1, best) else { return collinear(n) }
        if cross(i0, i1, i2) < 0 { swap(&i1, &i2) }
        (centreX, centreY) = circumcentre(i0, i1, i2)

        let order = (0..<n).sorted { a, b in
            let da = d2(a, centreX, centreY), db = d2(b, centreX, centreY)
            return da != db ? da < db : a < b
        }
        triangles.reserveCapacity(6 * n)
        halfedges.reserveCapacity(6 * n)
        hullStart = i0
        hullNext[i0] = i1; hullPrev[i2] = i1
        hullNext[i1] = i2; hullPrev[i0] = i2
        hullNext[i2] = i0; hullPrev[i1] = i0
        hullTri[i0] = 0; hullTri[i1] = 1; hullTri[i2] = 2
        hullHash[hashKey(xs[i0], ys[i0])] = i0
        hullHash[hashKey(xs[i1], ys[i1])] = i1
        hullHash[hashKey(xs[i2], ys[i2])] = i2
        _ = addTriangle(i0, i1, i2, -1, -1, -1)

        var previous = -1
        var placed: [Int] = [i0, i1, i2]
        for i in order {
            if i == i0 || i == i1 || i == i2 { previous = i; continue }
            let x = xs[i], y = ys[i]
            // A point on top of one already placed is joined to it alone.
            if previous >= 0, d2(previous, x, y) <= tolerance * tolerance {
                extraEdges.append((previous, i)); continue
            }
            if let twin = [i0, i1, i2].first(where: { d2($0, x, y) <= tolerance * tolerance }) {
                extraEdges.append((twin, i)); continue
            }
            previous = i

            // Find an edge of the hull visible from the point, starting near its angle.
            let key = hashKey(x, y)
            var start = 0
            for j in 0..<hullHash.count {
                start = hullHash[(key + j) % hullHash.count]
                if start != -1 && start != hullNext[start] { break }
            }
            start = hullPrev[start]
            var e = start
            while true {
                let q = hullNext[e]
                if cross(e, q, x, y) < 0 { break }
                e = q
                if e == start { e = -1; break }
            }
            guard e != -1 else {
                // Numerically inside the hull (a near-duplicate): join it to its nearest placed point.
                let nearest = placed.min { d2($0, x, y) < d2($1, x, y) }!
                extraEdges.append((nearest, i))
                continue
            }
            placed.append(i)

            var t = addTriangle(e, i, hullNext[e], -1, -1, hullTri[e])
            hullTri[i] = legalize(t + 2)
            hullTri[e] = t

            var next = hullNext[e]
            while true {
                let q = hullNext[next]
                guard cross(next, q, x, y) < 0 else { break }
                t = addTriangle(next, i, q, hullTri[i], -1, hullTri[next])
                hullTri[i] = legalize(t + 2)
                hullNext[next] = next  // removed from the hull
                next = q
            }
            if e == start {
                while true {
                    let q = hullPrev[e]
                    guard cross(q, e, x, y) < 0 else { break }
                    t = addTriangle(q, i, e, -1, hullTri[e], hullTri[q])
                    _ = legalize(t + 2)
                    hullTri[q] = t
                    hullNext[e] = e
                    e = q
                }
            }
            hullStart = e
            hullPrev[i] = e
            hullNext[e] = i
            hullPrev[next] = i
            hullNext[i] = next
            hullHash[hashKey(x, y)] = i
            hullHash[hashKey(xs[e], ys[e])] = e
        }

        var edges: [(Int, Int)] = []
        edges.reserveCapacity(triangles.count / 2 + extraEdges.count)
        for h in 0..<triangles.count where halfedges[h] < h {
            let a = triangles[h], b = triangles[h % 3 == 2 ? h - 2 : h + 1]
            edges.append((min(a, b), max(a, b)))
        }
        for (a, b) in extraEdges { edges.append((min(a, b), max(a, b))) }
        return edges
    }

    mutating func addTriangle(_ a: Int, _ b: Int, _ c: Int, _ ha: Int, _ hb: Int, _ hc: Int) -> Int {
        let t = triangles.count
        triangles.append(a); triangles.append(b); triangles.append(c)
        halfedges.append(-1); halfedges.append(-1); halfedges.append(-1)
        link(t, ha); link(t + 1, hb); link(t + 2, hc)
        return t
    }

    mutating func link(_ a: Int, _ b: Int) {
        halfedges[a] = b
        if b != -1 { halfedges[b] = a }
    }

    /// Flips edges until the triangles around halfedge `a` satisfy the empty-circle rule;
    /// returns the halfedge now in the place of `a`'s successor on the hull side.
    mutating func legalize(_ start: Int) -> Int {
        var a = start
        var ar = 0
        edgeStack.removeAll(keepingCapacity: true)
        while true {
            let b = halfedges[a]
            let a0 = a - a % 3
            ar = a0 + (a + 2) % 3
            if b == -1 {
                guard let next = edgeStack.popLast() else { break }
                a = next
                continue
            }
            let b0 = b - b % 3
            let al = a0 + (a + 1) % 3
            let bl = b0 + (b + 2) % 3
            let p0 = triangles[ar], pr = triangles[a], pl = triangles[al], p1 = triangles[bl]
            if inCircle(p0, pr, pl, p1) {
                triangles[a] = p1
                triangles[b] = p0
                let hbl = halfedges[bl]
                if hbl == -1 {
                    // The flipped edge was on the hull: point the hull at its new halfedge.
                    var e = hullStart
                    repeat {
                        if hullTri[e] == bl { hullTri[e] = a; break }
                        e = hullPrev[e]
                    } while e != hullStart
                }
                link(a, hbl)
                link(b, halfedges[ar])
                link(ar, bl)
                edgeStack.append(b0 + (b + 1) % 3)
            } else {
                guard let next = edgeStack.popLast() else { break }
                a = next
            }
        }
        return ar
    }

    /// All points at one place: a star around the first.
    func star(_ n: Int) -> [(Int, Int)] {
        (1..<n).map { (0, $0) }
    }

    /// All points on one line: consecutive points along it.
    func collinear(_ n: Int) -> [(Int, Int)] {
        let dx = (xs.max()! - xs.min()!), dy = (ys.max()! - ys.min()!)
        let order = (0..<n).sorted { dx >= dy ? (xs[$0], ys[$0], $0) < (xs[$1], ys[$1], $1) : (ys[$0], xs[$0], $0) < (ys[$1], xs[$1], $1) }
        return zip(order, order.dropFirst()).map { (min($0, $1), max($0, $1)) }
    }
}
