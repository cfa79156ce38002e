import Dispatch
import Foundation

public enum ZoningObjective: String, Sendable, CaseIterable {
    /// Max-p: fewest zones outside the bands, then the most zones, then least dispersion.
    case viable
    /// Fewest zones outside the bands, then the fewest zones (packed up to the upper band).
    case fewest
}

public struct PlannerOptions: Sendable {
    public var objective: ZoningObjective = .viable
    public var seed: UInt64 = 1
    /// Wall-clock budget in seconds. Restarts stop when it runs out, which is the one way
    /// the result can depend on the machine; without it the work done depends only on the input.
    public var timeLimit: Double?
    /// Restarts per street office; by default fewer for large streets.
    public var restarts: Int?

    public init(objective: ZoningObjective = .viable, seed: UInt64 = 1, timeLimit: Double? = nil, restarts: Int? = nil) {
        self.objective = objective; self.seed = seed; self.timeLimit = timeLimit; self.restarts = restarts
    }
}

/// The zoning planner (大区划片): a max-p regionalisation heuristic. Each street office is
/// planned on its own (zones never cross them): seeded restarts of randomized region
/// growing to just reach the lower band, enclave assignment, repair of band violations,
/// splitting of zones that can hold two, and a local search moving boundary compounds to
/// lower dispersion, keeping the best plan per street office by the objective.
public enum ZoningPlanner {
    public static func plan(_ problem: ZoningProblem, graph: ZoningGraph? = nil, options: PlannerOptions = .init()) -> ZoningPlan {
        let graph = graph ?? ZoningGraph(problem: problem)
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = options.timeLimit.map { started + UInt64($0 * 1e9) }
        var streetMembers: [[Int]] = Array(repeating: [], count: graph.streets.count)
        for v in 0..<graph.count { streetMembers[graph.street[v]].append(v) }

        // Street offices are independent subproblems: solve them in parallel.
        let members = streetMembers
        let results = ResultSlots<[Int]>(count: graph.streets.count)
        DispatchQueue.concurrentPerform(iterations: graph.streets.count) { s in
            let sub = SubGraph(graph: graph, members: members[s], problem: problem)
            let solver = StreetSolver(sub: sub, parameters: problem.parameters, objective: options.objective,
                                      seed: options.seed &+ UInt64(s) &* 0x9E37_79B9_7F4A_7C15, deadline: deadline,
                                      restarts: options.restarts)
            results.set(s, solver.solve())
        }

        var zoneOf = Array(repeating: -1, count: graph.count)
        var zoneIDs: [String] = []
        var zoneStreet: [Int] = []
        let lockedIDs = Set(problem.compounds.compactMap(\.locked))
        let solved = results.values
        for s in 0..<graph.streets.count {
            let local = solved[s] ?? []
            let members = streetMembers[s]
            let zones = (local.max() ?? -1) + 1
            var counter = 0
            for z in 0..<zones {
                let inZone = members.indices.filter { local[$0] == z }
                guard !inZone.isEmpty else { continue }
                let lock = inZone.lazy.compactMap { problem.compounds[members[$0]].locked }.first
                var id: String
                if let lock { id = lock } else {
                    repeat { counter += 1; id = String(format: "Z%02d-%02d", s + 1, counter) } while lockedIDs.contains(id)
                }
                for i in inZone { zoneOf[members[i]] = zoneIDs.count }
                zoneIDs.append(id)
                zoneStreet.append(s)
            }
        }
        let lots = LotBuilder.build(graph: graph, zoneOf: zoneOf, zoneCount: zoneIDs.count, zoneStreet: zoneStreet,
                                    zonesPerLot: problem.parameters.zonesPerLot)
        return ZoningPlan(zoneOf: zoneOf, zoneIDs: zoneIDs, lotOf: lots.lotOf, lotIDs: lots.lotIDs)
    }
}

/// Results written by parallel workers, each to its own slot.
final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Value) { lock.lock(); slots[i] = value; lock.unlock() }
    var values: [Value?] { lock.lock(); defer { lock.unlock() }; return slots }
}

/// One street office's compounds with local indices.
struct SubGraph: Sendable {
    let graph: ZoningGraph
    /// Lock group (index into `lockNames`) of each local compound, or -1.
    let lockGroup: [Int]
    let lockCount: Int

    /// `members` of `full` (one street office) with local indices; compounds locked to the
    /// same zone id share a lock group.
    init(graph full: ZoningGraph, members: [Int], problem: ZoningProblem) {
        var names: [String: Int] = [:]
        let groups = members.map { v -> Int in
            guard let lock = problem.compounds.isEmpty ? nil : problem.compounds[v].locked else { return -1 }
            if let g = names[lock] { return g }
            names[lock] = names.count
            return names.count - 1
        }
        self.init(graph: full, members: members, lockGroup: groups)
    }

    /// `members` of `full` with local indices and the lock group of each (-1: free to move).
    init(graph full: ZoningGraph, members: [Int], lockGroup: [Int]) {
        var local = [Int: Int]()
        for (i, v) in members.enumerated() { local[v] = i }
        let neighbors = members.map { v in full.neighbors[v].compactMap { local[$0] } }
        self.init(graph: ZoningGraph(streets: [full.streets[full.street[members.first ?? 0]]], street: Array(repeating: 0, count: members.count),
                                     x: members.map { full.x[$0] }, y: members.map { full.y[$0] }, area: members.map { full.area[$0] },
                                     households: members.map { full.households[$0] }, neighbors: neighbors),
                  lockGroup: lockGroup)
    }

    init(graph: ZoningGraph, lockGroup: [Int]? = nil) {
        self.graph = graph
        self.lockGroup = lockGroup ?? Array(repeating: -1, count: graph.count)
        self.lockCount = (self.lockGroup.max() ?? -1) + 1
    }
}

/// Plans one street office.
struct StreetSolver: Sendable {
    let sub: SubGraph
    let g: ZoningGraph
    let p: ZoningParameters
    let objective: ZoningObjective
    var rng: SeededGenerator
    let deadline: UInt64?
    let restarts: Int
    /// Typical neighbour distance, to make distances and overshoot comparable in scores.
    let scale2: Double
    var stamp: [Int]
    var stampValue = 0

    init(sub: SubGraph, parameters: ZoningParameters, objective: ZoningObjective, seed: UInt64, deadline: UInt64?, restarts: Int?) {
        self.sub = sub
        g = sub.graph
        p = parameters
        self.objective = objective
        rng = SeededGenerator(seed: seed)
        self.deadline = deadline
        let n = sub.graph.count
        // Small streets get many restarts: they are cheap, and zone count is won there.
        self.restarts = restarts ?? max(3, min(64, 4_000 / max(1, n)))
        var lengths: [Double] = []
        for v in 0..<n { for u in sub.graph.neighbors[v] where u > v { lengths.append(sub.graph.distanceSquared(u, v)) } }
        lengths.sort()
        scale2 = lengths.isEmpty ? 1 : max(1, lengths[lengths.count / 2])
        stamp = Array(repeating: 0, count: n)
    }

    struct Score: Comparable {
        var violations: Int
        var zones: Int
        var dispersion: Double
        static func < (a: Score, b: Score) -> Bool {
            // Dispersion ties within a millimetre² are ties: keeps order-independent choices deterministic.
            if a.violations != b.violations { return a.violations < b.violations }
            if a.zones != b.zones { return a.zones < b.zones }
            return a.dispersion < b.dispersion - 1e-6
        }
    }

    /// Restarts run in parallel, each with its own random stream derived from the seed and
    /// its number, so the plan is the same whatever the number of cores.
    func solve() -> [Int] {
        guard g.count > 0 else { return [] }
        let base = rng
        @Sendable func worker(_ i: Int, _ salt: UInt64) -> StreetSolver {
            var w = self
            var stream = base
            w.rng = SeededGenerator(seed: stream.next() &+ UInt64(i) &* 0xD1B5_4A32_D192_ED03 &+ salt)
            return w
        }
        // Cheap restarts first; the costly re-splitting of zone pairs only polishes the best.
        let restarts = self.restarts
        let firstPass = ResultSlots<(Score, ZonePartition)>(count: restarts)
        DispatchQueue.concurrentPerform(iterations: restarts) { i in
            if i > 0, let deadline, DispatchTime.now().uptimeNanoseconds > deadline { return }
            var w = worker(i, 0)
            let lambda = i == 0 ? 2.0 : w.rng.uniform(0.3...6)
            let jitter = i == 0 ? 0.5 : w.rng.uniform(0.5...4)
            var part = w.construct(lambda: lambda, jitter: jitter)
            w.assignEnclaves(&part)
            w.repair(&part)
            if w.objective == .viable { w.splitLarge(&part) } else { w.mergeSmall(&part) }
            w.localSearch(&part)
            part.compact()
            firstPass.set(i, (w.score(part), part))
        }
        var candidates = firstPass.values.enumerated().compactMap { i, r in r.map { (score: $0.0, index: i, part: $0.1) } }
        candidates.sort { ($0.score, $0.index) < ($1.score, $1.index) }
        guard objective == .viable else { return candidates[0].part.zoneOf }
        let polished = Array(candidates.prefix(g.count <= 150 ? candidates.count : max(3, candidates.count / 2)))
        let secondPass = ResultSlots<(Score, ZonePartition)>(count: polished.count)
        DispatchQueue.concurrentPerform(iterations: polished.count) { k in
            var w = worker(polished[k].index, 0x5EED)
            var part = polished[k].part
            w.resplitPairs(&part)
            w.localSearch(&part)
            part.compact()
            secondPass.set(k, (w.score(part), part))
        }
        var best = (score: candidates[0].score, index: -1, part: candidates[0].part)
        for (k, result) in secondPass.values.enumerated() {
            guard let (score, part) = result else { continue }
            if (score, k) < (best.score, best.index == -1 ? Int.max : best.index) { best = (score, k, part) }
        }
        return best.part.zoneOf
    }

    func score(_ part: ZonePartition) -> Score {
        var violations = 0, zones = 0, dispersion = 0.0
        for z in 0..<part.zoneCount where !part.members[z].isEmpty {
            zones += 1
            dispersion += part.stats[z].dispersion
            if !withinBands(part, z) { violations += 1 }
        }
        return Score(violations: violations, zones: objective == .viable ? -zones : zones, dispersion: dispersion)
    }

    // MARK: Rules

    func meetsLower(_ s: ZonePartition.Stats) -> Bool {
        s.area >= p.minFloorArea && (p.minHouseholds.map { s.households >= $0 } ?? true)
    }

    func meetsUpper(_ s: ZonePartition.Stats) -> Bool {
        s.area <= p.maxFloorArea && (p.maxHouseholds.map { s.households <= $0 } ?? true)
    }

    func withinBands(_ part: ZonePartition, _ z: Int) -> Bool {
        let s = part.stats[z]
        guard meetsLower(s), meetsUpper(s) else { return false }
        if let r = p.maxRadiusMeters, part.radius(z) > r { return false }
        return true
    }

    func canAdd(_ part: ZonePartition, _ u: Int, to z: Int) -> Bool {
        guard meetsUpper(part.stats[z].adding(g, u)) else { return false }
        if let r = p.maxRadiusMeters, part.radius(z, adding: u) > r { return false }
        return true
    }

    /// Whether `u` may leave zone `z` without breaking its lower band, lock or connectivity.
    func canRemove(_ part: ZonePartition, _ u: Int, from z: Int) -> Bool {
        guard sub.lockGroup[u] < 0, part.members[z].count > 1, meetsLower(part.stats[z].removing(g, u)) else { return false }
        if let r = p.maxRadiusMeters, part.radius(z, removing: u) > r { return false }
        return part.isConnected(z, without: u)
    }

    func dispersionDelta(_ part: ZonePartition, move u: Int, from a: Int, to b: Int) -> Double {
        part.stats[a].removing(g, u).dispersion + part.stats[b].adding(g, u).dispersion - part.stats[a].dispersion - part.stats[b].dispersion
    }

    // MARK: Construction

    mutating func construct(lambda: Double, jitter: Double) -> ZonePartition {
        var part = ZonePartition(graph: g)
        // Locked compounds start their zones together.
        if sub.lockCount > 0 {
            var zoneOfLock = Array(repeating: -1, count: sub.lockCount)
            for v in 0..<g.count where sub.lockGroup[v] >= 0 {
                if zoneOfLock[sub.lockGroup[v]] < 0 { zoneOfLock[sub.lockGroup[v]] = part.newZone() }
                part.assign(v, to: zoneOfLock[sub.lockGroup[v]])
            }
            for z in 0..<part.zoneCount { grow(&part, z, lambda: lambda) }
        }
        // Seeds from the periphery inwards (low degree first), shuffled by `jitter`, so
        // edge compounds are not stranded as enclaves.
        let keys = (0..<g.count).map { Double(g.neighbors[$0].count) + rng.unit() * jitter }
        let order = (0..<g.count).sorted { keys[$0] < keys[$1] }
        var enclave = Array(repeating: false, count: g.count)
        for v in order where part.zoneOf[v] < 0 && !enclave[v] {
            let z = part.newZone()
            part.assign(v, to: z)
            grow(&part, z, lambda: lambda)
            if objective == .viable && !meetsLower(part.stats[z]) {
                for u in part.members[z] { enclave[u] = true }
                while let u = part.members[z].last { part.unassign(u) }
            }
        }
        return part
    }

    /// Grows zone `z` one neighbour at a time: to just reach the lower band (viable), or as
    /// far as the upper band allows (fewest). Candidates near the centre that overshoot
    /// least score best.
    mutating func grow(_ part: inout ZonePartition, _ z: Int, lambda: Double) {
        while objective == .fewest || !meetsLower(part.stats[z]) {
            stampValue += 1
            var best = -1
            var bestScore = Double.infinity
            let (cx, cy) = part.stats[z].centre
            for v in part.members[z] {
                for u in g.neighbors[v] where part.zoneOf[u] < 0 && stamp[u] != stampValue {
                    stamp[u] = stampValue
                    guard canAdd(part, u, to: z) else { continue }
                    let dx = g.x[u] - cx, dy = g.y[u] - cy
                    var score = (dx * dx + dy * dy) / scale2
                    if objective == .viable {
                        let over = max(0, part.stats[z].area + g.area[u] - p.minFloorArea) / max(1, p.minFloorArea)
                        score += lambda * over * 10
                    }
                    if score < bestScore { bestScore = score; best = u }
                }
            }
            guard best >= 0 else { return }
            part.assign(best, to: z)
        }
    }

    // MARK: Enclaves, repair, split, merge

    /// Gives each unassigned compound to the neighbouring zone it fits best; what fits
    /// nowhere becomes zones of its own (one per connected cluster).
    func assignEnclaves(_ part: inout ZonePartition) {
        var changed = true
        while changed {
            changed = false
            for v in 0..<g.count where part.zoneOf[v] < 0 {
                var best = -1
                var bestDelta = Double.infinity
                for u in g.neighbors[v] {
                    let z = part.zoneOf[u]
                    guard z >= 0, z != best, canAdd(part, v, to: z) else { continue }
                    let delta = part.stats[z].adding(g, v).dispersion - part.stats[z].dispersion
                    if delta < bestDelta { bestDelta = delta; best = z }
                }
                if best >= 0 { part.assign(v, to: best); changed = true }
            }
        }
        for v in 0..<g.count where part.zoneOf[v] < 0 {
            let z = part.newZone()
            var stack = [v]
            part.assign(v, to: z)
            while let w = stack.popLast() {
                for u in g.neighbors[w] where part.zoneOf[u] < 0 { part.assign(u, to: z); stack.append(u) }
            }
        }
    }

    /// Brings zones below the lower band up by taking compounds neighbours can spare, or
    /// merges them into a neighbour; trims zones above the upper band into neighbours.
    func repair(_ part: inout ZonePartition) {
        for z in 0..<part.zoneCount where !part.members[z].isEmpty && !meetsLower(part.stats[z]) {
            var progress = true
            while progress && !meetsLower(part.stats[z]) {
                progress = false
                var best: (u: Int, from: Int, delta: Double)?
                for v in part.members[z] {
                    for u in g.neighbors[v] {
                        let from = part.zoneOf[u]
                        guard from >= 0, from != z, canAdd(part, u, to: z), canRemove(part, u, from: from) else { continue }
                        let delta = dispersionDelta(part, move: u, from: from, to: z)
                        if best == nil || delta < best!.delta { best = (u, from, delta) }
                    }
                }
                if let best { part.assign(best.u, to: z); progress = true }
            }
            guard !meetsLower(part.stats[z]) else { continue }
            // Merge into the neighbour that stays within the upper band, or one already outside it;
            // two locked zones never merge, each must keep its own id.
            let zoneLocked = hasLock(part, z)
            let target = cheapestMerge(part, z) { w, union in
                (meetsUpper(union) || !withinBands(part, w)) && !(zoneLocked && hasLock(part, w))
            }
            if target >= 0 {
                for m in part.members[z] { part.assign(m, to: target) }
            }
        }
        for z in 0..<part.zoneCount where part.members[z].count > 1 && !meetsUpper(part.stats[z]) {
            var progress = true
            while progress && !meetsUpper(part.stats[z]) {
                progress = false
                let (cx, cy) = part.stats[z].centre
                let boundary = part.members[z].sorted {
                    (g.x[$0] - cx) * (g.x[$0] - cx) + (g.y[$0] - cy) * (g.y[$0] - cy) > (g.x[$1] - cx) * (g.x[$1] - cx) + (g.y[$1] - cy) * (g.y[$1] - cy)
                }
                for v in boundary where sub.lockGroup[v] < 0 && part.isConnected(z, without: v) {
                    if let w = g.neighbors[v].map({ part.zoneOf[$0] }).first(where: { $0 >= 0 && $0 != z && canAdd(part, v, to: $0) }) {
                        part.assign(v, to: w)
                        progress = true
                        break
                    }
                }
            }
        }
    }

    /// Splits zones big enough to hold two into two connected zones within the bands.
    mutating func splitLarge(_ part: inout ZonePartition) {
        var z = 0
        while z < part.zoneCount {
            defer { z += 1 }
            let s = part.stats[z]
            guard part.members[z].count >= 2, s.area >= 2 * p.minFloorArea,
                  p.minHouseholds.map({ s.households >= 2 * $0 }) ?? true,
                  !hasLock(part, z) else { continue }
            if let halves = bisect(part, z) {
                let fresh = part.newZone()
                for v in halves { part.assign(v, to: fresh) }
                z -= 1  // the smaller remainder may split again
            }
        }
    }

    /// Two connected halves of zone `z`, grown from its two most distant members, each
    /// within the bands; nil when no such split is found.
    func bisect(_ part: ZonePartition, _ z: Int, requireBands: Bool = true) -> [Int]? {
        let members = part.members[z]
        let (cx, cy) = part.stats[z].centre
        func d2(_ v: Int, _ x: Double, _ y: Double) -> Double { (g.x[v] - x) * (g.x[v] - x) + (g.y[v] - y) * (g.y[v] - y) }
        let a = members.max { d2($0, cx, cy) < d2($1, cx, cy) }!
        let b = members.max { d2($0, g.x[a], g.y[a]) < d2($1, g.x[a], g.y[a]) }!
        guard a != b else { return nil }
        var side = [Int: Int]()
        side[a] = 0; side[b] = 1
        var stats = [ZonePartition.Stats().adding(g, a), ZonePartition.Stats().adding(g, b)]
        let inZone = Set(members)
        var grew = true
        while side.count < members.count && grew {
            grew = false
            // Extend the smaller half by its nearest free neighbour; the other if it cannot.
            let order = stats[0].area <= stats[1].area ? [0, 1] : [1, 0]
            for h in order {
                let (hx, hy) = stats[h].centre
                var best = -1
                var bestD = Double.infinity
                for (v, sv) in side where sv == h {
                    for u in g.neighbors[v] where inZone.contains(u) && side[u] == nil {
                        let d = d2(u, hx, hy)
                        if d < bestD { bestD = d; best = u }
                    }
                }
                if best >= 0 { side[best] = h; stats[h].add(g, best); grew = true; break }
            }
        }
        guard side.count == members.count, !requireBands || stats.allSatisfy({ meetsLower($0) && meetsUpper($0) }) else { return nil }
        let half = members.filter { side[$0] == 1 }
        if requireBands, let r = p.maxRadiusMeters {
            for h in 0...1 {
                let (hx, hy) = stats[h].centre
                if members.contains(where: { side[$0] == h && d2($0, hx, hy) > r * r }) { return nil }
            }
        }
        return half
    }

    /// Max-p's hardest step: two neighbouring zones whose union could hold three are
    /// re-partitioned into three connected zones within the bands, from random seeds.
    mutating func resplitPairs(_ part: inout ZonePartition) {
        var z = 0
        while z < part.zoneCount {
            defer { z += 1 }
            guard !part.members[z].isEmpty, !hasLock(part, z) else { continue }
            var partners = Set<Int>()
            for v in part.members[z] { for u in g.neighbors[v] where part.zoneOf[u] > z { partners.insert(part.zoneOf[u]) } }
            for w in partners.sorted() {
                let union = part.stats[z].area + part.stats[w].area
                guard union >= 3 * p.minFloorArea, !hasLock(part, w) else { continue }
                if let h = p.minHouseholds, part.stats[z].households + part.stats[w].households < 3 * h { continue }
                let members = part.members[z] + part.members[w]
                for _ in 0..<3 {
                    guard let pieces = split(members, into: 3, in: part) else { continue }
                    let fresh = part.newZone()
                    for v in pieces[0] { part.assign(v, to: z) }
                    for v in pieces[1] { part.assign(v, to: w) }
                    for v in pieces[2] { part.assign(v, to: fresh) }
                    z -= 1  // look at this zone again with its new neighbours
                    break
                }
                if z < 0 || part.members[z].count != members.count { break }
            }
        }
    }

    /// Splits connected `members` into `k` connected pieces within the bands: random far-apart
    /// seeds, then the smallest piece repeatedly takes its nearest free neighbour.
    mutating func split(_ members: [Int], into k: Int, in part: ZonePartition) -> [[Int]]? {
        guard members.count >= k else { return nil }
        // piece[v]: -2 outside the union, -1 free, else the piece it belongs to.
        stampValue += 1
        let inUnion = stampValue
        for v in members { stamp[v] = inUnion }
        var piece = [Int: Int](minimumCapacity: members.count)
        var seeds = [members[Int(rng.next() % UInt64(members.count))]]
        var nearestSeed = members.map { g.distanceSquared($0, seeds[0]) }
        while seeds.count < k {
            // Farthest-point seeding, picking at random between the two farthest.
            let ranked = members.indices.filter { !seeds.contains(members[$0]) }.sorted { nearestSeed[$0] > nearestSeed[$1] }
            let next = members[ranked[min(ranked.count - 1, Int(rng.next() % 2))]]
            seeds.append(next)
            for i in members.indices { nearestSeed[i] = min(nearestSeed[i], g.distanceSquared(members[i], next)) }
        }
        var pieces = seeds.map { [$0] }
        var stats = seeds.map { ZonePartition.Stats().adding(g, $0) }
        for (i, s) in seeds.enumerated() { piece[s] = i }
        var assigned = k
        while assigned < members.count {
            var grew = false
            for h in (0..<k).sorted(by: { stats[$0].area < stats[$1].area }) {
                let (hx, hy) = stats[h].centre
                var best = -1
                var bestD = Double.infinity
                for v in pieces[h] {
                    for u in g.neighbors[v] where stamp[u] == inUnion && piece[u] == nil {
                        let d = (g.x[u] - hx) * (g.x[u] - hx) + (g.y[u] - hy) * (g.y[u] - hy)
                        if d < bestD { bestD = d; best = u }
                    }
                }
                if best >= 0 {
                    piece[best] = h
                    pieces[h].append(best)
                    stats[h].add(g, best)
                    assigned += 1
                    grew = true
                    break
                }
            }
            if !grew { return nil }
        }
        guard stats.allSatisfy({ meetsLower($0) && meetsUpper($0) }) else { return nil }
        if let r = p.maxRadiusMeters {
            for h in 0..<k {
                let (hx, hy) = stats[h].centre
                if pieces[h].contains(where: { (g.x[$0] - hx) * (g.x[$0] - hx) + (g.y[$0] - hy) * (g.y[$0] - hy) > r * r }) { return nil }
            }
        }
        return pieces
    }

    /// Fewest zones: merges neighbouring zones whose union stays within the upper band.
    func mergeSmall(_ part: inout ZonePartition) {
        var merged = true
        while merged {
            merged = false
            let order = (0..<part.zoneCount).filter { !part.members[$0].isEmpty }.sorted { part.stats[$0].area < part.stats[$1].area }
            for z in order where !part.members[z].isEmpty {
                let zoneLocked = hasLock(part, z)
                let target = cheapestMerge(part, z) { w, union in meetsUpper(union) && !(zoneLocked && hasLock(part, w)) }
                if target >= 0 {
                    for m in part.members[z] { part.assign(m, to: target) }
                    merged = true
                }
            }
        }
    }

    func hasLock(_ part: ZonePartition, _ z: Int) -> Bool {
        part.members[z].contains { sub.lockGroup[$0] >= 0 }
    }

    /// The neighbouring zone whose union with `z` adds the least dispersion, among those
    /// `accept` allows (given the zone and the union's sums); -1 when there is none.
    func cheapestMerge(_ part: ZonePartition, _ z: Int, accept: (Int, ZonePartition.Stats) -> Bool) -> Int {
        var seen = Set<Int>()
        var target = -1
        var bestDelta = Double.infinity
        for v in part.members[z] {
            for u in g.neighbors[v] {
                let w = part.zoneOf[u]
                guard w >= 0, w != z, seen.insert(w).inserted else { continue }
                var union = part.stats[w]
                for m in part.members[z] { union.add(g, m) }
                guard accept(w, union) else { continue }
                let delta = union.dispersion - part.stats[w].dispersion - part.stats[z].dispersion
                if delta < bestDelta { bestDelta = delta; target = w }
            }
        }
        return target
    }

    // MARK: Local search

    /// Moves boundary compounds to the neighbouring zone that lowers dispersion most, while
    /// every zone keeps its bands, lock and connectivity.
    func localSearch(_ part: inout ZonePartition) {
        for _ in 0..<12 {
            var improved = false
            for v in 0..<g.count where sub.lockGroup[v] < 0 {
                let a = part.zoneOf[v]
                var best = -1
                var bestDelta = -1e-6
                for u in g.neighbors[v] {
                    let b = part.zoneOf[u]
                    guard b != a, b >= 0 else { continue }
                    let delta = dispersionDelta(part, move: v, from: a, to: b)
                    guard delta < bestDelta, canAdd(part, v, to: b) else { continue }
                    best = b
                    bestDelta = delta
                }
                guard best >= 0, canRemove(part, v, from: a) else { continue }
                part.assign(v, to: best)
                improved = true
            }
            if !improved { break }
        }
    }
}
