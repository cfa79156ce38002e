import Fluent
import Foundation
import YijuCore

/// Paths stored as JSON text `[[lon, lat], …]`.
enum GeoPath {
    static func encode(_ path: [GeoPoint]) -> String {
        let pairs = path.map { [$0.lon, $0.lat] }
        return String(decoding: (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decode(_ json: String?) -> [GeoPoint] {
        guard let json, let pairs = try? JSONDecoder().decode([[Double]].self, from: Data(json.utf8)) else { return [] }
        return pairs.compactMap { $0.count >= 2 ? GeoPoint(lon: $0[0], lat: $0[1]) : nil }
    }
}
