import Fluent
import Foundation
import YijuCore

/// One inspection (考评) of a compound or a management area on a day, or of a renovation
/// project's site (文明施工). The company is the one managing the target that day, whose
/// failures go on its credit ledger, or the site's builder, who gets the orders (a
/// contractor is not graded: its record is its own).
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
    @OptionalParent(key: .projectID) var project: RenovationProject?
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
