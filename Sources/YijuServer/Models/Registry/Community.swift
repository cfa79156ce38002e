import Fluent
import Foundation
import YijuCore

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
