import Fluent
import Foundation

/// An official's remark on a version.
final class ZoningComment: Model, @unchecked Sendable {
    static let schema = "zoning_comments"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .author) var author: String
    @Field(key: .body) var body: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
