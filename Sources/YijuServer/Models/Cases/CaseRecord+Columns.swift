import Fluent
import Foundation
import YijuCore

extension NewCase {
    /// Every column of `cases`, once. Intake's writers (SQLite and PostgreSQL) and their
    /// column lists write a `NewCase` by this table, and the case the answer shows is made
    /// by it; `SchemaTests` compares it with the live schema and with `CaseRecord`'s fields.
    /// A new column is an entry here, its field on `CaseRecord` and a migration.
    static let columns: [RowColumn<NewCase, CaseRecord>] = [
        .init(\.id, \.$id),
        // Claimed by the store as it writes the row (see `CaseNumbers`).
        .init(\.number, \.$number),
        .init(\.channel, \.$channel),
        .init(\.externalNumber, \.$externalNumber),
        .init(\.receivedAt, \.$receivedAt),
        .init(\.reporterName, \.$reporterName),
        .init(\.reporterPhone, \.$reporterPhone),
        .init(\.compoundID, \.$compound.$id),
        .init(\.streetOfficeID, \.$streetOffice.$id),
        .init(\.building, \.$building),
        .init(\.unit, \.$unit),
        .init(\.domain, \.$domain),
        .init(\.description, \.$description),
        .init(\.urgency, \.$urgency),
        .init(\.colour, \.$colour),
        .init(\.state, \.$state),
        .init(\.handlerKind, \.$handlerKind),
        .init(\.handlerCompanyID, \.$handlerCompany.$id),
        .init(\.handlerDepartmentID, \.$handlerDepartment.$id),
        .init(\.routing, \.$routing),
        .init(\.dispatchedAt, \.$dispatchedAt),
        .init(\.dueAt, \.$dueAt),
        .init(always: Date?.none, \.$repliedAt),
        .init(always: Satisfaction?.none, \.$satisfaction),
        .init(\.closedAt, \.$closedAt),
        .init(\.resolution, \.$resolution),
        .init(always: false, \.$designated),
        .init(always: 0, \.$extensions),
        .init(always: Int?.none, \.$pendingExtension),
        .init(always: 0, \.$reopenCount),
        .init(\.repeatOfID, \.$repeatOfID),
        .init(\.repeatCount, \.$repeatCount),
        .init(always: Date?.none, \.$unansweredAt),
        .init(always: Date?.none, \.$overdueAt),
        .init(\.escalatedAt, \.$escalatedAt),
        .init(\.takenByID, \.$takenByID),
        .init(\.createdAt, \.$createdAt),
    ]
}

extension NewCase.Event {
    /// Every column of `case_events`, once (see `NewCase.columns`).
    static let columns: [RowColumn<NewCase.Event, CaseEvent>] = [
        .init(\.id, \.$id),
        .init(\.caseID, \.$caseRecord.$id),
        .init(\.sequence, \.$sequence),
        .init(\.at, \.$at),
        .init(\.actorID, \.$actorID),
        .init(\.actorName, \.$actorName),
        .init(\.kind, \.$kind),
        .init(\.note, \.$note),
        .init(\.data, \.$data),
    ]
}

extension CaseChannel: RawTextColumn {}
extension CaseDomain: RawTextColumn {}
extension CaseUrgency: RawTextColumn {}
extension CaseColour: RawTextColumn {}
extension CaseState: RawTextColumn {}
extension HandlerKind: RawTextColumn {}
extension Satisfaction: RawTextColumn {}
