import Fluent
import Foundation
import YijuCore

/// A photo attached to a case (JPEG, PNG or WebP, size-limited), kept in the database
/// with the case so a backup of one is a backup of both.
final class CasePhoto: Model, @unchecked Sendable {
    static let schema = "case_photos"

    @ID(key: .id) var id: UUID?
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Field(key: .contentType) var contentType: String
    @Field(key: .size) var size: Int
    @Field(key: .data) var data: Data
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
