import Fluent
import Foundation
import YijuCore

/// A photo of a finding: JPEG, PNG or WebP (the bytes are checked), at most 5 MB.
final class InspectionPhoto: Model, @unchecked Sendable {
    static let schema = "inspection_photos"

    @ID(key: .id) var id: UUID?
    @Parent(key: .inspectionID) var inspection: InspectionRecord
    @Parent(key: .itemID) var item: InspectionItemResult
    @Field(key: .contentType) var contentType: String
    @Field(key: .size) var size: Int
    @Field(key: .data) var data: Data
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
