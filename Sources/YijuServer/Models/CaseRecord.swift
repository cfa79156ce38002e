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

/// One step in a case's life. Append-only: a mistake is corrected by a new event.
final class CaseEvent: Model, @unchecked Sendable {
    static let schema = "case_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: .caseID) var caseRecord: CaseRecord
    /// 1, 2, 3 … per case: the timeline's order, also for steps taken in the same instant.
    @Field(key: .sequence) var sequence: Int
    @Field(key: .at) var at: Date
    @OptionalField(key: .actorID) var actorID: UUID?
    @Field(key: .actorName) var actorName: String
    /// received, dispatched, accepted, returned, extensionRequested, … or a timer's overdue, orderIssued, …
    @Field(key: .kind) var kind: String
    @Field(key: .note) var note: String
    /// What else the step carried (handler, departments, due time …), as JSON.
    @Field(key: .data) var data: String

    init() {}
}

/// A department summoned onto a case by the street office's whistle.
final class CaseSummons: Model, @unchecked Sendable {
    static let schema = "case_summons"

    @ID(key: .id) var id: UUID?
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Parent(key: .departmentID) var department: Department
    @Field(key: .checkInBy) var checkInBy: Date
    @OptionalField(key: .checkedInAt) var checkedInAt: Date?
    @OptionalField(key: .reportedAt) var reportedAt: Date?
    /// Set by the timers when the check-in time passed without a check-in; the bureau sees it.
    @OptionalField(key: .missedAt) var missedAt: Date?

    init() {}
}

/// 督办单: raised when a case is not replied to by its due time, with its own deadline;
/// escalated to the bureau (and recorded against the handler) when that passes too.
final class SupervisionOrder: Model, @unchecked Sendable {
    static let schema = "supervision_orders"

    @ID(key: .id) var id: UUID?
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Field(key: .handlerKind) var handlerKind: HandlerKind
    @OptionalParent(key: .handlerCompanyID) var handlerCompany: Company?
    @OptionalParent(key: .handlerDepartmentID) var handlerDepartment: Department?
    @Field(key: .issuedAt) var issuedAt: Date
    @Field(key: .dueAt) var dueAt: Date
    @OptionalField(key: .metAt) var metAt: Date?
    @OptionalField(key: .escalatedAt) var escalatedAt: Date?

    init() {}
}

/// What the cases pipeline tells the credit ledger about a company (overdue case,
/// supervision order issued or not met, third repeat). `sourceKey` is unique, so an event
/// is recorded exactly once however often the same case step is processed.
final class CreditEventRecord: Model, @unchecked Sendable {
    static let schema = "case_credit_events"

    enum Kind: String, Codable, Sendable {
        case overdueCase, orderIssued, orderNotMet, thirdRepeat
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Field(key: .kind) var kind: Kind
    @Field(key: .sourceKey) var sourceKey: String
    @Field(key: .at) var at: Date

    init() {}
}

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

/// The bureau admin's settings for cases: the rule set (JSON of `CaseRules`), one row per
/// domain of the routing table, and the working-day calendar's exceptions.
final class CaseSettingsRecord: Model, @unchecked Sendable {
    static let schema = "case_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: .rules) var rules: String
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}

final class RoutingRule: Model, @unchecked Sendable {
    static let schema = "routing_rules"

    @ID(key: .id) var id: UUID?
    @Field(key: .domain) var domain: CaseDomain
    /// `RouteTarget.key`: "manager" or "department:<kind>".
    @Field(key: .target) var target: String

    init() {}
}

final class CalendarDay: Model, @unchecked Sendable {
    static let schema = "calendar_days"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// An official holiday on a weekday (or any day off).
        case holiday
        /// 调休: a weekend day that is worked.
        case workday
    }

    @ID(key: .id) var id: UUID?
    /// yyyy-MM-dd.
    @Field(key: .day) var day: String
    @Field(key: .year) var year: Int
    @Field(key: .kind) var kind: Kind
    @Field(key: .name) var name: String

    init() {}
}

/// The next case number of a day, claimed with one UPDATE so that concurrent intakes never share one.
final class CaseCounter: Model, @unchecked Sendable {
    static let schema = "case_counters"

    @ID(custom: .day, generatedBy: .user) var id: String?
    @Field(key: .nextValue) var nextValue: Int

    init() {}
}
