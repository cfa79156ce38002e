import Fluent
import Foundation
import YijuCore

/// One line of a compound's facilities inventory (缺什么、补什么 starts here): a catalogue
/// item, how much of it the compound has, in what shape.
final class CompoundFacility: Model, @unchecked Sendable {
    static let schema = "compound_facilities"

    @ID(key: .id) var id: UUID?
    @Parent(key: .compoundID) var compound: Compound
    @Field(key: .item) var item: String
    @Field(key: .quantity) var quantity: Double
    @Field(key: .condition) var condition: FacilityCondition
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var facility: Facility { Facility(item: item, quantity: quantity, condition: condition) }
}
