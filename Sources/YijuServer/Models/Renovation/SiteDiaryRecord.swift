import Fluent
import Foundation
import YijuCore

/// A day of a project's site diary (施工日志), one per day, kept by the construction company
/// engaged on the project when it was written (`company`, so the record stays the builder's
/// if the engagement later changes). `findings` keeps the civilised-construction checks it
/// failed under the site rules in force when it was written.
final class SiteDiaryRecord: Model, @unchecked Sendable {
    static let schema = "renovation_site_diary"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    @Parent(key: .companyID) var company: Company
    /// yyyy-MM-dd.
    @Field(key: .day) var day: String
    /// JSON of `DiaryEntry`.
    @Field(key: .entry) var entryJSON: String
    /// JSON of `[SiteFinding]`; `[]` when the day passed every check.
    @Field(key: .findings) var findings: String
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var entry: DiaryEntry {
        get throws { try JSONDecoder().decode(DiaryEntry.self, from: Data(entryJSON.utf8)) }
    }

    func set(_ entry: DiaryEntry) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        entryJSON = String(decoding: try encoder.encode(entry), as: UTF8.self)
    }
}

/// A photo of a diary day (JPEG, PNG or WebP, the bytes checked), at most 5 MB.
final class SiteDiaryPhoto: Model, @unchecked Sendable {
    static let schema = "renovation_site_photos"

    @ID(key: .id) var id: UUID?
    @Parent(key: .diaryID) var diary: SiteDiaryRecord
    @Field(key: .contentType) var contentType: String
    @Field(key: .size) var size: Int
    @Field(key: .data) var data: Data
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
