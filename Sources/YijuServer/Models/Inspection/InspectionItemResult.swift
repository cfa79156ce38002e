import Fluent
import Foundation
import YijuCore

/// One checklist line of an inspection as found: a copy of the item and its verdict.
final class InspectionItemResult: Model, @unchecked Sendable {
    static let schema = "inspection_items"

    @ID(key: .id) var id: UUID?
    @Parent(key: .inspectionID) var inspection: InspectionRecord
    @Field(key: .position) var position: Int
    @Field(key: .title) var title: String
    @Field(key: .weight) var weight: Int
    @Field(key: .passed) var passed: Bool
    @OptionalField(key: .finding) var finding: String?

    init() {}
}
