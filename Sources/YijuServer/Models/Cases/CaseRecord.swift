import Fluent
import Foundation
import YijuCore

/// 诉求 / 工单: one resident request from any channel, from intake to close-out. The row
/// holds the current state for fast ledgers; `CaseEvent` rows hold every step that led to it.
final class CaseRecord: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    /// Human-readable: YJ + the Shanghai date of receipt + the day's sequence, e.g. YJ20251122-0042.
    @Field(key: .number) var number: String
    @Field(key: .channel) var channel: CaseChannel
    /// The other system's number (the 12345 work order); unique per channel, which makes intake idempotent.
    @OptionalField(key: .externalNumber) var externalNumber: String?
    @Field(key: .receivedAt) var receivedAt: Date
    @Field(key: .reporterName) var reporterName: String
    @Field(key: .reporterPhone) var reporterPhone: String
    @Parent(key: .compoundID) var compound: Compound
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @OptionalField(key: .building) var building: String?
    @OptionalField(key: .unit) var unit: String?
    @Field(key: .domain) var domain: CaseDomain
    @Field(key: .caseDescription) var description: String
    @Field(key: .urgency) var urgency: CaseUrgency
    @Field(key: .colour) var colour: CaseColour
    @Field(key: .state) var state: CaseState
    @OptionalField(key: .handlerKind) var handlerKind: HandlerKind?
    @OptionalParent(key: .handlerCompanyID) var handlerCompany: Company?
    @OptionalParent(key: .handlerDepartmentID) var handlerDepartment: Department?
    /// Why it went where it went, one reason per line.
    @Field(key: .routing) var routing: String
    @OptionalField(key: .dispatchedAt) var dispatchedAt: Date?
    @OptionalField(key: .dueAt) var dueAt: Date?
    @OptionalField(key: .repliedAt) var repliedAt: Date?
    @OptionalField(key: .satisfaction) var satisfaction: Satisfaction?
    @OptionalField(key: .closedAt) var closedAt: Date?
    /// Green cases: what was done on the spot.
    @OptionalField(key: .resolution) var resolution: String?
    @Field(key: .designated) var designated: Bool
    @Field(key: .extensions) var extensions: Int
    @OptionalField(key: .pendingExtension) var pendingExtension: Int?
    @Field(key: .reopenCount) var reopenCount: Int
    /// The latest earlier case on the same compound and domain within the repeat window.
    @OptionalField(key: .repeatOfID) var repeatOfID: UUID?
    /// How many cases on this compound and domain the window holds, this one included.
    @Field(key: .repeatCount) var repeatCount: Int
    /// Set by the timers: not accepted in time, not replied by the due time, sent to the bureau.
    @OptionalField(key: .unansweredAt) var unansweredAt: Date?
    @OptionalField(key: .overdueAt) var overdueAt: Date?
    @OptionalField(key: .escalatedAt) var escalatedAt: Date?
    @OptionalField(key: .takenByID) var takenByID: UUID?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    var loadedCompany: Company? { $handlerCompany.value ?? nil }
    var loadedDepartment: Department? { $handlerDepartment.value ?? nil }
}
