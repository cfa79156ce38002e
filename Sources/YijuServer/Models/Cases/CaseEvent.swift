import Fluent
import Foundation
import YijuCore

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
