import Fluent
import Foundation
import YijuCore

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
