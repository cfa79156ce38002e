import Fluent
import Foundation
import YijuCore

/// A river, railway or arterial road: a hard boundary for zoning.
final class Barrier: Model, @unchecked Sendable {
    static let schema = "barriers"

    @ID(key: .id) var id: UUID?
    @Field(key: .name) var name: String
    @Field(key: .kind) var kind: BarrierKind
    @Field(key: .path) var pathJSON: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var path: [GeoPoint] {
        get { GeoPath.decode(pathJSON) }
        set { pathJSON = GeoPath.encode(newValue) }
    }
}
