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
