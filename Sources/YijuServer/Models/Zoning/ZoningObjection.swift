import Fluent
import Foundation

/// A resident's objection to a plan under notice, filed from the public page.
final class ZoningObjection: Model, @unchecked Sendable {
    static let schema = "zoning_objections"

    @ID(key: .id) var id: UUID?
    @Parent(key: .planID) var plan: ZoningPlanRecord
    @Field(key: .name) var name: String
    @Field(key: .phone) var phone: String
    @OptionalField(key: .compoundCode) var compoundCode: String?
    @Field(key: .body) var body: String
    /// A hash of the sender's address, to limit how many one sender files; never shown.
    @Field(key: .sourceHash) var sourceHash: String
    /// Set from the application clock (not Fluent's), because the hourly limit counts by it.
    @Field(key: .createdAt) var createdAt: Date

    init() {}
}
