import Fluent
import Foundation
import YijuCore

/// A case of the demo's history as a row of `cases`: every column, as the pipeline would have
/// left the case by now (replied, followed up, closed, escalated), unlike intake's `NewCase`,
/// which only ever writes a case just received. `SchemaTests` checks it against the live
/// schema and the model like intake's tables.
struct HistoricCase: Sendable {
    let id = UUID()
    var number = ""
    var channel: CaseChannel
    var externalNumber: String?
    var receivedAt: Date
    var reporterName: String
    var reporterPhone: String
    var compoundID: UUID
    var streetOfficeID: UUID
    var building: String?
    var unit: String?
    var domain: CaseDomain
    var description: String
    var urgency = CaseUrgency.normal
    var colour: CaseColour
    var state = CaseState.received
    var handlerKind: HandlerKind?
    var handlerCompanyID: UUID?
    var handlerDepartmentID: UUID?
    var routing = ""
    var dispatchedAt: Date?
    var dueAt: Date?
    var repliedAt: Date?
    var satisfaction: Satisfaction?
    var closedAt: Date?
    var resolution: String?
    var designated = false
    var extensions = 0
    var pendingExtension: Int?
    var reopenCount = 0
    var repeatOfID: UUID?
    var repeatCount = 1
    var unansweredAt: Date?
    var overdueAt: Date?
    var escalatedAt: Date?
    var takenByID: UUID?
    var createdAt: Date

    static let columns: [RowColumn<HistoricCase, CaseRecord>] = [
        .init(\.id, \.$id),
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
        .init(\.repliedAt, \.$repliedAt),
        .init(\.satisfaction, \.$satisfaction),
        .init(\.closedAt, \.$closedAt),
        .init(\.resolution, \.$resolution),
        .init(\.designated, \.$designated),
        .init(\.extensions, \.$extensions),
        .init(\.pendingExtension, \.$pendingExtension),
        .init(\.reopenCount, \.$reopenCount),
        .init(\.repeatOfID, \.$repeatOfID),
        .init(\.repeatCount, \.$repeatCount),
        .init(\.unansweredAt, \.$unansweredAt),
        .init(\.overdueAt, \.$overdueAt),
        .init(\.escalatedAt, \.$escalatedAt),
        .init(\.takenByID, \.$takenByID),
        .init(\.createdAt, \.$createdAt),
    ]
}

/// A supervision order (督办单) of the demo's history as a row of `supervision_orders`.
struct HistoricOrder: Sendable {
    let id = UUID()
    var caseID: UUID
    var handlerKind: HandlerKind
    var handlerCompanyID: UUID?
    var handlerDepartmentID: UUID?
    var issuedAt: Date
    var dueAt: Date
    var metAt: Date?
    var escalatedAt: Date?

    static let columns: [RowColumn<HistoricOrder, SupervisionOrder>] = [
        .init(\.id, \.$id),
        .init(\.caseID, \.$caseRecord.$id),
        .init(\.handlerKind, \.$handlerKind),
        .init(\.handlerCompanyID, \.$handlerCompany.$id),
        .init(\.handlerDepartmentID, \.$handlerDepartment.$id),
        .init(\.issuedAt, \.$issuedAt),
        .init(\.dueAt, \.$dueAt),
        .init(\.metAt, \.$metAt),
        .init(\.escalatedAt, \.$escalatedAt),
    ]
}

/// A day's case count (`case_counters`): the next number intake claims on that day.
struct HistoricCounter: Sendable {
    var day: String
    var nextValue: Int

    static let columns: [RowColumn<HistoricCounter, CaseCounter>] = [
        .init(\.day, \.$id),
        .init(\.nextValue, \.$nextValue),
    ]
}

/// A household's answer in the demo's acceptance surveys, as a row of
/// `renovation_survey_responses`.
struct HistoricSurveyAnswer: Sendable {
    let id = UUID()
    var roundID: UUID
    var compoundID: UUID
    var building: Int
    var unit: String
    var room: String
    var verdict: SurveyVerdict
    var comment: String?
    var recordedBy: String
    var createdAt: Date

    static let columns: [RowColumn<HistoricSurveyAnswer, SurveyResponse>] = [
        .init(\.id, \.$id),
        .init(\.roundID, \.$round.$id),
        .init(\.compoundID, \.$compound.$id),
        .init(\.building, \.$building),
        .init(\.unit, \.$unit),
        .init(\.room, \.$room),
        .init(\.verdict, \.$verdict),
        .init(\.comment, \.$comment),
        .init(\.recordedBy, \.$recordedBy),
        .init(\.createdAt, \.$createdAt),
    ]
}

extension SurveyVerdict: RawTextColumn {}
