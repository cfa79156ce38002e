import Foundation

/// Benchmark and test districts as issue 3 specifies them: a street grid of ~160 m
/// blocks, about one compound per block with some empty blocks (parks), a meandering
/// river and two arterial roads as barriers with no bridges, floor areas lognormal around
/// 12,000 m² clipped to 800–100,000 m², households ≈ area / 70, street offices of 40–200
/// compounds, band 40,000–150,000 m². Deterministic from the seed.
public enum SyntheticDistrict {
    public static func make(compounds target: Int, seed: UInt64 = 42, minFloorArea: Double = 40_000, maxFloorArea: Double = 150_000) -> ZoningProblem {
        var rng = SeededGenerator(seed: seed)
        let block = 160.0
        let parkShare = 0.12
        let side = max(3, Int((Double(target) / (1 - parkShare)).squareRoot().rounded(.up)))
        let plane = LocalPlane(origin: GeoPoint(lon: 126.64, lat: 45.75))
        let width = Double(side) * block

        // River: a sine meander across the middle; arterials: one north–south, one east–west.
        let riverPath: [(x: Double, y: Double)] = (0...48).map { k in
            let t = Double(k) / 48
            return (x: -block + t * (width + 2 * block), y: width * 0.5 + width * 0.12 * sin(t * 2.6 * .pi + 0.7))
        }
        let northSouth: [(x: Double, y: Double)] = [(x: width * 0.37, y: -block), (x: width * 0.37, y: width + block)]
        let eastWest: [(x: Double, y: Double)] = [(x: -block, y: width * 0.2), (x: width + block, y: width * 0.2)]
        func riverY(_ x: Double) -> Double {
            let t = (x + block) / (width + 2 * block)
            return width * 0.5 + width * 0.12 * sin(t * 2.6 * .pi + 0.7)
        }

        // Street offices: a grid of tiles sized so each holds roughly 40–200 compounds.
        let tileBlocks = max(1, min(side, Int((Double(rng.uniform(60...140)) / (1 - parkShare)).squareRoot().rounded())))
        var compounds: [ZoningCompound] = []
        var n = 0
        for row in 0..<side {
            for col in 0..<side {
                guard compounds.count < target else { break }
                if rng.chance(parkShare) { continue }
                let x = (Double(col) + 0.5) * block + rng.uniform(-30...30)
                let y = (Double(row) + 0.5) * block + rng.uniform(-30...30)
                // Keep compounds off the barriers themselves.
                if abs(y - riverY(x)) < 45 || abs(x - width * 0.37) < 25 || abs(y - width * 0.2) < 25 { continue }
                let tile = "S\(row / tileBlocks + 1)-\(col / tileBlocks + 1)"
                let area = min(100_000, max(800, (12_000 * exp(0.8 * rng.normal()) / 10).rounded() * 10))
                n += 1
                compounds.append(ZoningCompound(
                    id: "C\(n)", name: "Compound \(n)", street: tile, kind: area < 4_000 ? .singleBuilding : .estate,
                    location: plane.point(x: x, y: y), floorArea: area, households: max(1, Int((area / 70).rounded())),
                    featureIndex: compounds.count))
            }
        }
        let barriers = [
            ZoningBarrier(kind: "river", path: riverPath.map { plane.point(x: $0.x, y: $0.y) }),
            ZoningBarrier(kind: "arterial", path: northSouth.map { plane.point(x: $0.x, y: $0.y) }),
            ZoningBarrier(kind: "arterial", path: eastWest.map { plane.point(x: $0.x, y: $0.y) }),
        ]
        var parameters = ZoningParameters(minFloorArea: minFloorArea, maxFloorArea: maxFloorArea)
        parameters.zonesPerLot = 3
        var problem = ZoningProblem(compounds: compounds, barriers: barriers, parameters: parameters)
        problem.document = ZoningOutput.document(for: problem)
        return problem
    }
}
