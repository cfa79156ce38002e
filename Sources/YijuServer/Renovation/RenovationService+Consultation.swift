import Fluent
import Foundation
import SQLKit
import YijuCore

/// The residents' say (一访一议一公示, 三上三下): the project's consultation journal, appended
/// to by the project's street office or the bureau, never edited. ConsultationJournal decides
/// what may be recorded and what it means for the lifecycle; this file checks the fields and
/// writes, one entry at a time, each audited.
extension RenovationService {
    /// Where a household lives: a building of the project's coverage, a unit and a room (a
    /// visit's household, the household a survey code is for).
    struct Household: Sendable {
        var compoundID: UUID
        var building: Int
        var unit: String
        var room: String
    }

    /// One entry to record. Which fields a kind needs is checked in `problems(_:in:)`.
    struct Draft: Sendable {
        var kind: ConsultationEntryKind
        var day: String
        var body: String
        var round: ConsultationRound? = nil
        var channel: OpinionChannel? = nil
        var household: Household? = nil
        /// A visit's household without a room (an opinion may come from a compound or a building).
        var compoundID: UUID? = nil
        var building: Int? = nil
        var person: String? = nil
        var items: [String] = []
        var meetingKind: MeetingKind? = nil
        var attendees: Int? = nil
        var attendeeNames: String? = nil
        var decisions: String? = nil
        var opinionID: UUID? = nil
        var outcome: AnswerOutcome? = nil
        var item: String? = nil
        var supersedes: UUID? = nil
    }

    /// The journal as the project page and the API show it.
    struct Consultation: Sendable {
        var records: [ConsultationRecord]
        var journal: ConsultationJournal
        var households: Int
        var today: String

        /// Households visited at least once (visits that still stand), the 一访's reach.
        var householdsVisited: Int {
            let live = Set(journal.live(.visit).map(\.id))
            return Set(records.filter { live.contains($0.id ?? UUID()) }.map(\.household)).count
        }
    }

    /// The journal as this actor reads it: the phone an objector left is whole for those who
    /// may change the project (who call back), masked for the other readers.
    func consultation(_ projectID: UUID) async throws -> Consultation {
        let file = try await load(projectID)
        let consultation = try await consultation(of: file.project, on: db)
        if !Policy.allows(actor, .update, file.resource) {
            for record in consultation.records { record.phone = record.phone.map(CasePolicy.mask) }
        }
        return consultation
    }

    func consultation(of project: RenovationProject, on db: any Database) async throws -> Consultation {
        let records = try await ConsultationRecord.query(on: db).filter(\.$project.$id == project.requireID()).sort(\.$sequence).all()
        let rules = try await RenovationSettingsStore.pinned(project.settingsVersion, on: db).rules
        return Consultation(records: records, journal: ConsultationJournal(entries: records.map(\.entry), noticeDays: rules.noticeDays),
                            households: project.households, today: today)
    }

    /// Appends one entry after checking its fields and the journal's rules, in one transaction
    /// that holds the project, so two officers recording at once take their turns.
    func record(_ draft: Draft, on projectID: UUID) async throws -> ConsultationRecord {
        let file = try await load(projectID)
        let fieldwork = Self.fieldworkKinds.contains(draft.kind)
        try Policy.require(actor, fieldwork ? .create : .update, fieldwork ? file.fieldwork : file.resource, notFound: "renovation project")
        let errors = problems(draft, in: file)
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return try await append(draft, to: projectID)
    }

    /// What a grid's members record as well as the street office: what they heard at the
    /// doors and meetings. Answers, collections and publications change the plan: the office's.
    static let fieldworkKinds: Set<ConsultationEntryKind> = [.visit, .meeting, .opinion]

    /// Who filed an objection from the public page: the phone to call back on, and what else
    /// the same transaction records (the sender's submission, which the hourly limit counts).
    struct PublicSender: Sendable {
        var phone: String
        var alsoRecord: @Sendable (any Database) async throws -> Void
    }

    /// Appends a draft whose fields are checked, by the journal's rules, in one transaction
    /// that holds the project. `sender` marks an objection filed by a resident: recorded and
    /// audited as `public` (the service's actor is then `.publicReader`).
    func append(_ draft: Draft, to projectID: UUID, sender: PublicSender? = nil) async throws -> ConsultationRecord {
        let id = UUID()
        try await db.transaction { tx in
            guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
            let consultation = try await consultation(of: project, on: tx)
            try consultation.journal.check(Self.entry(draft, id: id), status: project.status, today: today)
            if draft.kind == .answer, draft.outcome == .adopted {
                try await requireInScope(draft, of: projectID, on: tx)
            }
            let row = Self.row(draft, id: id, project: projectID, sequence: (consultation.records.last?.sequence ?? 0) + 1,
                               by: actor.username)
            row.phone = sender?.phone
            try await row.create(on: tx)
            try await sender?.alsoRecord(tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationConsultation", entityID: id,
                                      after: Self.audit(row, project: project.code), at: now)
        }
        guard let saved = try await ConsultationRecord.find(id, on: db) else { throw DomainError.internalError }
        return saved
    }

    /// Locks the project's row for the transaction (PostgreSQL; SQLite has one writer anyway).
    static func hold(_ projectID: UUID, on tx: any Database) async throws -> RenovationProject? {
        if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT id FROM renovation_projects WHERE id = \(bind: projectID) FOR UPDATE").run()
        }
        return try await RenovationProject.find(projectID, on: tx)
    }

    // MARK: Field checks

    private func problems(_ d: Draft, in file: ProjectFile) -> [FieldError] {
        var errors: [FieldError] = []
        if !Calendar.shanghai.isDay(d.day) {
            errors.append(FieldError(field: "day", reason: "must be a date like 2026-04-15"))
        } else if d.day > today {
            errors.append(FieldError(field: "day", reason: "cannot be in the future"))
        }
        let body = d.body.trimmingCharacters(in: .whitespacesAndNewlines)
        let bodyField = Self.bodyField[d.kind] ?? "text"
        let declined = d.kind == .answer && d.outcome == .declined
        if body.isEmpty, d.kind != .answer || declined {
            errors.append(FieldError(field: bodyField, reason: declined ? "say why the opinion is not taken up" : "must not be empty"))
        }
        if body.count > 5000 { errors.append(FieldError(field: bodyField, reason: "at most 5000 characters")) }
        if let person = d.person, person.count > 50 { errors.append(FieldError(field: d.kind == .visit ? "visitor" : "person", reason: "at most 50 characters")) }
        if d.items.count > 20 { errors.append(FieldError(field: "items", reason: "at most 20 items")) }
        for (i, code) in d.items.enumerated() where file.catalogue.item(code) == nil {
            errors.append(FieldError(field: "items[\(i)]", reason: "\(code) is not in the catalogue"))
        }
        if let household = d.household { errors += problems(household, in: file) }
        if let compound = d.compoundID, !file.compounds.contains(where: { $0.compound.id == compound }) {
            errors.append(FieldError(field: "compoundId", reason: "is not one of the project's compounds"))
        }
        switch d.kind {
        case .meeting:
            if !(1...2000).contains(d.attendees ?? 0) { errors.append(FieldError(field: "attendees", reason: "must be 1 to 2000")) }
            if (d.attendeeNames?.count ?? 0) > 2000 { errors.append(FieldError(field: "attendeeNames", reason: "at most 2000 characters")) }
            if (d.decisions?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "").isEmpty {
                errors.append(FieldError(field: "decisions", reason: "say what the meeting decided"))
            } else if (d.decisions?.count ?? 0) > 5000 { errors.append(FieldError(field: "decisions", reason: "at most 5000 characters")) }
        case .answer:
            if d.outcome == .adopted, d.item == nil { errors.append(FieldError(field: "item", reason: "name the scope item the opinion changed")) }
            if let item = d.item, file.catalogue.item(item) == nil { errors.append(FieldError(field: "item", reason: "\(item) is not in the catalogue")) }
        case .visit, .opinion, .collection, .publication, .notice:
            break
        }
        return errors
    }

    private func problems(_ h: Household, in file: ProjectFile) -> [FieldError] {
        guard let link = file.compounds.first(where: { $0.compound.id == h.compoundID }) else {
            return [FieldError(field: "compoundId", reason: "is not one of the project's compounds")]
        }
        var errors: [FieldError] = []
        let buildings = Self.buildings(link.coverage) ?? Array(1...max(link.compound.buildings, 1))
        if !buildings.contains(h.building) {
            errors.append(FieldError(field: "building", reason: "must be one of the project's buildings of \(link.compound.code): "
                                     + buildings.map(String.init).joined(separator: ", ")))
        }
        for (field, value) in [("unit", h.unit), ("room", h.room)] where !(1...10).contains(value.trimmingCharacters(in: .whitespaces).count) {
            errors.append(FieldError(field: field, reason: "1 to 10 characters, e.g. 2 or 301"))
        }
        return errors
    }

    /// An adopted opinion names a line of the scope as it stands (on the compound, if named).
    private func requireInScope(_ d: Draft, of projectID: UUID, on tx: any Database) async throws {
        let scope = try await RenovationScopeItem.query(on: tx).filter(\.$project.$id == projectID).all()
        guard scope.contains(where: { $0.item == d.item && (d.compoundID == nil || $0.$compound.id == d.compoundID) }) else {
            throw DomainError.validation([FieldError(field: "item", reason: "\(d.item ?? "") is not in the project's scope"
                                                     + (d.compoundID == nil ? "" : " on that compound") + ": change the plan first, then answer")])
        }
    }

    // MARK: Rows

    /// The request field each kind's text arrives in, for error messages.
    private static let bodyField: [ConsultationEntryKind: String] = [
        .visit: "requests", .meeting: "minutes", .opinion: "text", .answer: "text", .collection: "summary", .publication: "summary", .notice: "summary",
    ]

    static func entry(_ d: Draft, id: UUID) -> ConsultationEntry {
        ConsultationEntry(id: id, kind: d.kind, round: d.round, day: d.day, channel: d.channel, answers: d.opinionID, supersedes: d.supersedes)
    }

    static func row(_ d: Draft, id: UUID, project: UUID, sequence: Int, by username: String) -> ConsultationRecord {
        let row = ConsultationRecord()
        row.id = id
        row.$project.id = project
        row.sequence = sequence
        row.kind = d.kind
        row.round = d.round?.rawValue
        row.day = d.day
        row.channel = d.channel
        row.$compound.id = d.household?.compoundID ?? d.compoundID
        row.building = d.household?.building ?? d.building
        row.unit = d.household?.unit.trimmingCharacters(in: .whitespaces)
        row.room = d.household?.room.trimmingCharacters(in: .whitespaces)
        row.person = d.person?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        row.meetingKind = d.meetingKind
        row.attendees = d.attendees
        row.attendeeNames = d.attendeeNames?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        row.body = d.body.trimmingCharacters(in: .whitespacesAndNewlines)
        row.decisions = d.decisions?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        row.items = d.items.isEmpty ? nil : d.items.joined(separator: ",")
        row.opinionID = d.opinionID
        row.outcome = d.outcome
        row.item = d.item
        row.supersedes = d.supersedes
        row.recordedBy = username
        return row
    }

    private static func audit(_ r: ConsultationRecord, project: String) -> [String: String] {
        var fields = ["project": project, "kind": r.kind.rawValue, "sequence": String(r.sequence), "day": r.day, "body": r.body]
        let optional: [(String, String?)] = [
            ("round", r.round.map(String.init)), ("channel", r.channel?.rawValue), ("compound", r.$compound.id?.uuidString),
            ("building", r.building.map(String.init)), ("unit", r.unit), ("room", r.room), ("person", r.person),
            ("meetingKind", r.meetingKind?.rawValue), ("attendees", r.attendees.map(String.init)), ("attendeeNames", r.attendeeNames),
            ("decisions", r.decisions), ("items", r.items), ("opinion", r.opinionID?.uuidString), ("outcome", r.outcome?.rawValue),
            ("item", r.item), ("supersedes", r.supersedes?.uuidString),
        ]
        for case let (key, value?) in optional { fields[key] = value }
        return fields
    }
}
