import Fluent
import Foundation
import YijuCore

/// A checklist template (考评细则). Editing bumps `version`; inspections keep a copy of the
/// items they were scored against, so an edit never rewrites a past inspection.
final class InspectionTemplate: Model, @unchecked Sendable {
    static let schema = "inspection_templates"

    @ID(key: .id) var id: UUID?
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    @Field(key: .category) var category: ChecklistCategory
    /// JSON of `[ChecklistItem]`.
    @Field(key: .items) var itemsJSON: String
    @Field(key: .version) var version: Int
    @Field(key: .active) var active: Bool
    @Field(key: .updatedBy) var updatedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var items: [ChecklistItem] { (try? JSONDecoder().decode([ChecklistItem].self, from: Data(itemsJSON.utf8))) ?? [] }
    var checklist: Checklist { Checklist(code: code, name: name, category: category, items: items) }
}

/// One inspection (考评) of a compound or a management area on a day. The company is the
/// one managing the target that day: its failures go on that company's credit ledger.
final class InspectionRecord: Model, @unchecked Sendable {
    static let schema = "inspections"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// 日常考评.
        case routine
        /// 回头看: a re-inspection of a compound with concentrated cases.
        case lookBack
    }

    @ID(key: .id) var id: UUID?
    /// JC20251122-0003.
    @Field(key: .number) var number: String
    @Field(key: .kind) var kind: Kind
    @Parent(key: .templateID) var template: InspectionTemplate
    @Field(key: .templateName) var templateName: String
    @Field(key: .templateVersion) var templateVersion: Int
    @OptionalParent(key: .compoundID) var compound: Compound?
    @OptionalParent(key: .areaID) var area: ManagementArea?
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @OptionalParent(key: .companyID) var company: Company?
    @Field(key: .day) var day: String
    @Field(key: .inspector) var inspector: String
    /// Out of 100, in tenths.
    @Field(key: .score) var score: Int
    @OptionalField(key: .note) var note: String?
    @Children(for: \.$inspection) var items: [InspectionItemResult]
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

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

/// 整改通知: a failed item the company must put right by a day. The company reports what
/// it did; the inspecting side verifies. Not rectified is a refusal on the credit ledger.
final class RectificationOrder: Model, @unchecked Sendable {
    static let schema = "rectification_orders"

    enum Status: String, Codable, Sendable, CaseIterable {
        case open, reported, rectified, notRectified
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .inspectionID) var inspection: InspectionRecord
    @Parent(key: .itemID) var item: InspectionItemResult
    @OptionalParent(key: .companyID) var company: Company?
    @Field(key: .deadline) var deadline: String
    @Field(key: .status) var status: Status
    @OptionalField(key: .report) var report: String?
    @OptionalField(key: .reportedBy) var reportedBy: String?
    @OptionalField(key: .reportedAt) var reportedAt: Date?
    @OptionalField(key: .verification) var verification: String?
    @OptionalField(key: .verifiedBy) var verifiedBy: String?
    @OptionalField(key: .verifiedAt) var verifiedAt: Date?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
