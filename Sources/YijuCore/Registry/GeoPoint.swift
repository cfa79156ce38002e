import Foundation

/// A WGS84 position (RFC 7946 order: longitude first).
public struct GeoPoint: Sendable, Hashable, Codable {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// Mainland China's bounding box, generously drawn. A point outside it is almost
    /// always a swapped lon/lat pair or a GCJ/BD offset gone wrong, so the registry refuses it.
    public static let chinaLongitudes: ClosedRange<Double> = 73.0...135.5
    public static let chinaLatitudes: ClosedRange<Double> = 18.0...54.0

    public var isInChina: Bool {
        lon.isFinite && lat.isFinite
            && Self.chinaLongitudes.contains(lon) && Self.chinaLatitudes.contains(lat)
    }

    /// Great-circle distance in metres (haversine; accurate to well under 0.5 % at city scale).
    public func distance(to other: GeoPoint) -> Double {
        let r = 6_371_008.8
        let dLat = (other.lat - lat) * .pi / 180
        let dLon = (other.lon - lon) * .pi / 180
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(lat * .pi / 180) * cos(other.lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// Validity rules for a position, shared by forms, the API and import files.
public enum GeoRules {
    public static func check(lon: Double?, lat: Double?, fieldPrefix: String = "") -> [FieldError] {
        var errors: [FieldError] = []
        guard let lon else { return [FieldError(field: fieldPrefix + "lon", reason: "is required")] }
        guard let lat else { return [FieldError(field: fieldPrefix + "lat", reason: "is required")] }
        if !lon.isFinite || !GeoPoint.chinaLongitudes.contains(lon) {
            errors.append(FieldError(field: fieldPrefix + "lon", reason: "must be a longitude inside China (73.0–135.5), got \(lon)"))
        }
        if !lat.isFinite || !GeoPoint.chinaLatitudes.contains(lat) {
            errors.append(FieldError(field: fieldPrefix + "lat", reason: "must be a latitude inside China (18.0–54.0), got \(lat)"))
        }
        return errors
    }
}
