import Fluent
import Foundation

/// One item of a project's scope: a catalogue item, how much, on which compound, at what
/// cost; `built` once the works delivered it (the compound's inventory gains it on completion).
final class RenovationScopeItem: Model, @unchecked Sendable {
    static let schema = "renovation_scope_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    /// Its place in the scope, from 0.
    @Field(key: .position) var position: Int
    @OptionalParent(key: .compoundID) var compound: Compound?
    /// The catalogue item's code.
    @Field(key: .item) var item: String
    @Field(key: .quantity) var quantity: Double
    @Field(key: .costFen) var costFen: Int
    @OptionalField(key: .note) var note: String?
    @Field(key: .built) var built: Bool

    init() {}
}
