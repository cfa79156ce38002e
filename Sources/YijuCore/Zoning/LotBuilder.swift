/// Bundles zones into tender lots (标段): `zonesPerLot` neighbouring zones of one street
/// office at a time, each lot connected, balanced in floor area; where the count does not
/// divide, or the map leaves a zone without free neighbours, a lot is smaller.
enum LotBuilder {
    static func build(graph: ZoningGraph, zoneOf: [Int], zoneCount: Int, zoneStreet: [Int], zonesPerLot: Int) -> (lotOf: [Int], lotIDs: [String]) {
        var area = Array(repeating: 0.0, count: zoneCount)
        var adjacent = Array(repeating: Set<Int>(), count: zoneCount)
        for v in 0..<graph.count where zoneOf[v] >= 0 {
            area[zoneOf[v]] += graph.area[v]
            for u in graph.neighbors[v] where zoneOf[u] >= 0 && zoneOf[u] != zoneOf[v] { adjacent[zoneOf[v]].insert(zoneOf[u]) }
        }
        var lotOf = Array(repeating: -1, count: zoneCount)
        var lotIDs: [String] = []
        let k = max(1, zonesPerLot)
        for s in Set(zoneStreet).sorted() {
            let zones = (0..<zoneCount).filter { zoneStreet[$0] == s }
            let target = zones.reduce(0) { $0 + area[$1] } / Double(max(1, (zones.count + k - 1) / k))
            var counter = 0
            func freeNeighbours(_ z: Int) -> Int { adjacent[z].filter { lotOf[$0] < 0 }.count }
            while let start = zones.filter({ lotOf[$0] < 0 }).min(by: { (freeNeighbours($0), -area[$0], $0) < (freeNeighbours($1), -area[$1], $1) }) {
                counter += 1
                let lot = lotIDs.count
                lotIDs.append(String(format: "L%02d-%02d", s + 1, counter))
                var members = [start]
                var total = area[start]
                lotOf[start] = lot
                while members.count < k {
                    let candidates = Set(members.flatMap { adjacent[$0] }).filter { lotOf[$0] < 0 }
                    // Closest to the balanced size; ties go to zones with fewer free neighbours.
                    guard let next = candidates.min(by: {
                        (abs(total + area[$0] - target), freeNeighbours($0), $0) < (abs(total + area[$1] - target), freeNeighbours($1), $1)
                    }) else { break }
                    lotOf[next] = lot
                    members.append(next)
                    total += area[next]
                }
            }
        }
        return (lotOf, lotIDs)
    }
}
