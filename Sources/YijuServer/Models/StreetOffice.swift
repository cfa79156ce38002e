import Fluent
import Foundation
import YijuCore

/// 街道办事处: territorial owner of every compound in it.
final class StreetOffice: Model, @unchecked Sendable {
    static let schema = "street_offices"

    @ID(key: .id) var id: UUID?
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    @OptionalField(key: .address) var address: String?
    @OptionalField(key: .phone) var phone: String?
    /// Outline ring as JSON `[[lon, lat], …]`: portable across SQLite and PostgreSQL.
    @OptionalField(key: .outline) var outlineJSON: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, code: String, name: String, address: String?, phone: String?, outline: [GeoPoint]) {
        self.id = id
        self.code = code
        self.name = name
        self.address = address
        self.phone = phone
        self.outline = outline
    }

    var outline: [GeoPoint] {
        get { GeoPath.decode(outlineJSON) }
        set { outlineJSON = newValue.isEmpty ? nil : GeoPath.encode(newValue) }
    }
}

/// 社区: a sub-unit of a street office.
final class Community: Model, @unchecked Sendable {
    static let schema = "communities"

    @ID(key: .id) var id: UUID?
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Field(key: .name) var name: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, streetOfficeID: UUID, name: String) {
        self.id = id
        self.$streetOffice.id = streetOfficeID
        self.name = name
    }
}

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
