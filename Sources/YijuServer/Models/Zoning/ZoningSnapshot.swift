import Fluent
import Foundation

/// Every state a draft has been in, so undo and redo restore exactly what was there.
final class ZoningSnapshot: Model, @unchecked Sendable {
    static let schema = "zoning_plan_snapshots"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .sequence) var sequence: Int
    /// The snapshot this one was made from by `change`; nil for the generated plan.
    @OptionalField(key: .parent) var parent: Int?
    @Field(key: .document) var document: String
    @Field(key: .lockedZones) var lockedZonesJSON: String
    @Field(key: .change) var change: String
    @Field(key: .author) var author: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
