import Fluent
import Foundation
import YijuCore

/// One round of a project's acceptance (验收): opened when acceptance is requested, with the
/// completion acceptance check (竣工验收: who took part and signed, the punch list) and the
/// satisfaction survey, closed with the survey's result. A failed round sends the works back
/// to rectification; the next request opens a new round.
final class AcceptanceRound: Model, @unchecked Sendable {
    static let schema = "renovation_acceptance_rounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    /// 1, 2, … in the order requested.
    @Field(key: .number) var number: Int
    /// yyyy-MM-dd, the day acceptance was requested.
    @Field(key: .openedOn) var openedOn: String
    @OptionalField(key: .checkDay) var checkDay: String?
    /// Who took part and signed, one per line (the community, the owners' committee, yard heads …).
    @OptionalField(key: .participants) var participants: String?
    /// What is still to be put right, one per line.
    @OptionalField(key: .punchList) var punchList: String?
    @OptionalField(key: .checkedBy) var checkedBy: String?
    @OptionalField(key: .closedOn) var closedOn: String?
    /// Nil while open, or when the round was withdrawn (works reopened before the survey closed).
    @OptionalField(key: .passed) var passed: Bool?
    @OptionalField(key: .households) var households: Int?
    @OptionalField(key: .explanation) var explanation: String?
    @OptionalField(key: .closedBy) var closedBy: String?

    init() {}

    var isOpen: Bool { closedOn == nil }
}

/// One household's answer in an acceptance round's satisfaction survey (满意度测评):
/// append-only, one per household and round.
final class SurveyResponse: Model, @unchecked Sendable {
    static let schema = "renovation_survey_responses"

    @ID(key: .id) var id: UUID?
    @Parent(key: .roundID) var round: AcceptanceRound
    @Parent(key: .compoundID) var compound: Compound
    @Field(key: .building) var building: Int
    @Field(key: .unit) var unit: String
    @Field(key: .room) var room: String
    @Field(key: .verdict) var verdict: SurveyVerdict
    @OptionalField(key: .comment) var comment: String?
    /// The surveyor's username.
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}

/// A one-time code that lets a household answer an acceptance round's survey itself (from
/// the public survey page, without logging in). Only its hash is kept: the code is shown
/// once, to the officer who prints or sends it.
final class SurveyCode: Model, @unchecked Sendable {
    static let schema = "renovation_survey_codes"

    @ID(key: .id) var id: UUID?
    @Parent(key: .roundID) var round: AcceptanceRound
    @Parent(key: .compoundID) var compound: Compound
    @Field(key: .building) var building: Int
    @Field(key: .unit) var unit: String
    @Field(key: .room) var room: String
    @Field(key: .codeHash) var codeHash: String
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @OptionalField(key: .usedAt) var usedAt: Date?

    init() {}
}
