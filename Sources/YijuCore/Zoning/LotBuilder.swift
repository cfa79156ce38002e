/// Bundles zones into tender lots (标段): `zonesPerLot` neighbouring zones of one street
/// office at a time, each lot connected, balanced in floor area; where the count does not
/// divide, or the map leaves zones without free neighbours, a lot is smaller.
enum LotBuilder {
    static func build(graph: ZoningGraph, zoneOf: [Int], zoneCount: Int, zoneStreet: [Int], zonesPerLot: Int) -> (lotOf: [Int], lotIDs: [String]) {
        var area = Array(repeating: 0.0, count: zoneCount)
        var adjacent = Array(repeating: Set<Int>(), count: zoneCount)
        for v in 0..<graph.count where zoneOf[v] >= 0 {
            area[zoneOf[v]] += graph.area[v]
            for u in graph.neighbors[v] where zoneOf[u] >= 0 && zoneOf[u] != zoneOf[v] { adjacent[zoneOf[v]].insert(zoneOf[u]) }
        }
        var zonesOfStreet = [Int: [Int]]()
        for z in 0..<zoneCount { zonesOfStreet[zoneStreet[z], default: []].append(z) }
        var lotOf = Array(repeating: -1, count: zoneCount)
        var lotIDs: [String] = []
        let k = max(1, zonesPerLot)
        for s in zonesOfStreet.keys.sorted() {
            let zones = zonesOfStreet[s]!
            var lots = partition(zones, adjacent: adjacent, area: area, k: k)
            // Smaller lots side by side become one where they fit.
            var merged = true
            while merged {
                merged = false
                outer: for a in lots.indices where lots[a].count < k {
                    for b in lots.indices where b != a && lots[a].count + lots[b].count <= k
                        && lots[b].contains(where: { z in lots[a].contains { adjacent[$0].contains(z) } }) {
                        lots[a] += lots[b]
                        lots.remove(at: b)
                        merged = true
                        break outer
                    }
                }
            }
            for (i, lot) in lots.enumerated() {
                for z in lot { lotOf[z] = lotIDs.count }
                lotIDs.append(String(format: "L%02d-%02d", s + 1, i + 1))
            }
        }
        return (lotOf, lotIDs)
    }

    /// Greedy from the periphery: each lot starts at the free zone with the fewest free
    /// neighbours and takes next the neighbour that would otherwise be stranded first,
    /// then the one keeping the lot's floor area closest to the street's average lot.
    static func partition(_ zones: [Int], adjacent: [Set<Int>], area: [Double], k: Int) -> [[Int]] {
        var free = Set(zones)
        let target = zones.reduce(0) { $0 + area[$1] } / Double(max(1, (zones.count + k - 1) / k))
        func freeNeighbours(_ z: Int) -> Int { adjacent[z].filter { free.contains($0) }.count }
        var lots: [[Int]] = []
        while let start = free.min(by: { (freeNeighbours($0), -area[$0], $0) < (freeNeighbours($1), -area[$1], $1) }) {
            var lot = [start]
            var total = area[start]
            free.remove(start)
            while lot.count < k {
                let candidates = Set(lot.flatMap { adjacent[$0] }).filter { free.contains($0) }
                guard let next = candidates.min(by: {
                    (freeNeighbours($0), abs(total + area[$0] - target), $0) < (freeNeighbours($1), abs(total + area[$1] - target), $1)
                }) else { break }
                lot.append(next)
                total += area[next]
                free.remove(next)
            }
            lots.append(lot)
        }
        return lots
    }
}
