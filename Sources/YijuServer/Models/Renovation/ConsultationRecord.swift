import Fluent
import Foundation
import YijuCore

/// One entry of a project's consultation journal (一访一议一公示, 三上三下): append-only, in the
/// order recorded (`sequence`). The columns a kind does not use stay empty:
/// - visit: compound, building, unit, room, person (the visitor), body (what was asked for), items;
/// - meeting: meetingKind, attendees, attendeeNames, body (minutes), decisions;
/// - opinion: round, channel, compound, building, unit, room, person (who said it), body, items;
///   an objection a resident filed on the public page also phone;
/// - answer: opinionID, outcome, item and compound (the scope item adopted), body (the answer);
/// - collection and publication: round, body (what went up, what came down);
/// - notice: body (what was published); it runs the rules' notice days from `day`.
final class ConsultationRecord: Model, @unchecked Sendable {
    static let schema = "renovation_consultation"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    @Field(key: .sequence) var sequence: Int
    @Field(key: .kind) var kind: ConsultationEntryKind
    @OptionalField(key: .round) var round: Int?
    /// yyyy-MM-dd, when it happened (not when it was typed in).
    @Field(key: .day) var day: String
    @OptionalField(key: .channel) var channel: OpinionChannel?
    @OptionalParent(key: .compoundID) var compound: Compound?
    @OptionalField(key: .building) var building: Int?
    @OptionalField(key: .unit) var unit: String?
    @OptionalField(key: .room) var room: String?
    @OptionalField(key: .person) var person: String?
    @OptionalField(key: .meetingKind) var meetingKind: MeetingKind?
    @OptionalField(key: .attendees) var attendees: Int?
    @OptionalField(key: .attendeeNames) var attendeeNames: String?
    @Field(key: .body) var body: String
    @OptionalField(key: .decisions) var decisions: String?
    /// Catalogue item codes, comma-separated: what a visit or opinion asked for.
    @OptionalField(key: .items) var items: String?
    @OptionalField(key: .opinionID) var opinionID: UUID?
    @OptionalField(key: .outcome) var outcome: AnswerOutcome?
    /// An adopted answer's catalogue item.
    @OptionalField(key: .item) var item: String?
    @OptionalField(key: .supersedes) var supersedes: UUID?
    @Field(key: .recordedBy) var recordedBy: String
    /// An objection filed from the public page: the phone to call the resident back on.
    /// Recorded by `public`.
    @OptionalField(key: .phone) var phone: String?
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    var itemCodes: [String] { items.map { $0.split(separator: ",").map(String.init) } ?? [] }

    /// What the journal's rules read of it.
    /// The household a visit went to, as one key: a household visited twice counts once.
    var household: String { Self.household(compound: $compound.id, building: building, unit: unit, room: room) }

    /// A visited household as one key, to count households once.
    static func household(compound: UUID?, building: Int?, unit: String?, room: String?) -> String {
        "\(compound?.uuidString ?? "")/\(building ?? 0)/\(unit ?? "")/\(room ?? "")"
    }

    var entry: ConsultationEntry {
        ConsultationEntry(id: id ?? UUID(), kind: kind, round: round.flatMap(ConsultationRound.init(rawValue:)), day: day,
                          channel: channel, answers: opinionID, supersedes: supersedes)
    }
}
