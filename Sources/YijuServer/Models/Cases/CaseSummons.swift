import Fluent
import Foundation
import YijuCore

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
