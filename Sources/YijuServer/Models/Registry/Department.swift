import Fluent
import Foundation
import YijuCore

/// A department the street office summons with the whistle.
final class Department: Model, @unchecked Sendable {
    static let schema = "departments"

    @ID(key: .id) var id: UUID?
    @Field(key: .kind) var kind: DepartmentKind
    @Field(key: .name) var name: String
    @OptionalField(key: .phone) var phone: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}
