import Foundation
import YijuCore

/// A project's consultation page (一访一议一公示, 三上三下): what the journal adds up to, the
/// entries by kind and round, and — for the project's street office and the bureau — a form
/// per kind of entry. Entries are never edited: a correction picks the entry it supersedes.
struct ConsultationPage: Encodable {
    var head: ProjectHead
    var action: String
    var today: String
    var summary: [Fact]
    var visits: [Row]
    var meetings: [Row]
    var rounds: [RoundSection]
    var notice: [Row]
    var noticeWindow: String?
    var forms: Forms?
    /// Whether the forms that change the plan (answers, round steps, the notice) are shown:
    /// the street office's; a grid member records the fieldwork only.
    var officeForms: Bool
    var form: [String: String]
    /// The form to show open: the one that was refused, so its values and errors are in view.
    var open: String
    var errors: [FieldError]


    /// One entry as the page lists it.
    struct Row: Encodable {
        var sequence: Int, day: String, who: String, text: String, detail: String, items: String
        var superseded: Bool, supersedes: String?, recordedBy: String
        var standing: String?, standingKey: String?, answer: String?
        var opinionID: String?, answerable: Bool
    }

    struct RoundSection: Encodable {
        var number: Int, title: String, state: String
        var opinions: [Row]
        var steps: [Row]
    }

    struct Forms: Encodable {
        var compounds: [Option]
        var items: [Option]
        var scopeItems: [Option]
        var channels: [Option]
        var meetingKinds: [Option]
        var rounds: [Option]
        var visitsToCorrect: [Option]
        var meetingsToCorrect: [Option]
        var opinionsToCorrect: [Option]
        var answerable: [Option]
    }

    init(_ file: RenovationService.ProjectFile, _ c: RenovationService.Consultation, mayEdit: Bool, mayRecordFieldwork: Bool,
         form: [String: String], open: String, errors: [FieldError], _ t: [String: String]) throws {
        let project = file.project
        let journal = c.journal
        let id = try project.requireID()
        head = try ProjectHead(project, t)
        action = ConsolePath.renovationProject(.value(id), .consultation).path
        today = c.today
        self.form = form
        self.open = open
        self.errors = errors

        var snapshot = ProjectSnapshot(status: project.status)
        journal.apply(to: &snapshot, today: c.today)
        summary = [
            Fact(label: t["visits"]!, value: String(snapshot.visits)),
            Fact(label: t["householdsVisited"]!, value: "\(c.householdsVisited) / \(c.households)"),
            Fact(label: t["meetings"]!, value: String(snapshot.meetings)),
            Fact(label: t["unansweredOpinions"]!, value: String(snapshot.unansweredOpinions)),
            Fact(label: t["unansweredFeedback"]!, value: String(snapshot.unansweredFeedback)),
        ]
        noticeWindow = journal.notice.map { "\($0.day) – \(journal.noticeLastDay ?? $0.day)" + (journal.noticeRunning(on: c.today) ? " · " + t["noticeRunning"]! : "") }

        let names = Dictionary(uniqueKeysWithValues: file.compounds.map { ($0.coverage.$compound.id, $0.compound.name) })
        let superseding = Dictionary(c.records.compactMap { r in r.supersedes.map { ($0, r.sequence) } }, uniquingKeysWith: { a, _ in a })
        let sequences = Dictionary(uniqueKeysWithValues: c.records.compactMap { r in r.id.map { ($0, r.sequence) } })
        func row(_ r: ConsultationRecord) -> Row {
            let rid = r.id ?? UUID()
            let answer = r.kind == .opinion ? journal.answer(to: rid).flatMap { a in c.records.first { $0.id == a.id } } : nil
            let standing = r.kind == .opinion ? journal.standing(of: r.entry) : nil
            return Row(
                sequence: r.sequence, day: r.day, who: Self.who(r, names), text: r.body, detail: Self.detail(r, t, file.catalogue),
                items: r.itemCodes.map { file.catalogue.item($0)?.nameZh ?? $0 }.joined(separator: "、"),
                superseded: superseding[rid] != nil, supersedes: r.supersedes.flatMap { sequences[$0] }.map { "#\($0)" },
                recordedBy: r.recordedBy, standing: standing.map { t["standing." + $0.rawValue]! }, standingKey: standing?.rawValue,
                answer: answer.map { Self.answerText($0, t, file.catalogue) },
                opinionID: r.kind == .opinion ? rid.uuidString : nil, answerable: mayEdit && standing != nil && standing != .published)
        }
        visits = c.records.filter { $0.kind == .visit }.map(row)
        meetings = c.records.filter { $0.kind == .meeting }.map(row)
        notice = c.records.filter { $0.kind == .notice }.map(row)
        rounds = ConsultationRound.allCases.map { round in
            let opinions = c.records.filter { $0.kind == .opinion && $0.round == round.rawValue }
            let steps = c.records.filter { ($0.kind == .collection || $0.kind == .publication) && $0.round == round.rawValue }
            let collected = snapshot.collected.contains(round)
            // Round 3's answers are published as they come: it is done while nothing waits.
            let published = snapshot.published.contains(round) && (round != .works || snapshot.unansweredFeedback == 0)
            let opened = switch round {
            case .opinions: true
            case .comments: snapshot.published.contains(.opinions)
            case .works: [.underWorks, .acceptance, .completed].contains(project.status)
            }
            let state = published ? "roundPublished" : collected ? "roundCollected" : opened ? "roundOpen" : "roundWaiting"
            return RoundSection(number: round.rawValue, title: t["round.\(round.rawValue)"]!, state: t[state]!,
                                opinions: opinions.map(row), steps: steps.map(row))
        }
        officeForms = mayEdit
        guard mayEdit || mayRecordFieldwork else { forms = nil; return }

        let live = Set(journal.live.map(\.id))
        func corrections(_ kind: ConsultationEntryKind, where keep: (ConsultationRecord) -> Bool = { _ in true }) -> [Option] {
            [Option(value: "", label: t["newEntry"]!)] + c.records.filter { $0.kind == kind && live.contains($0.id ?? UUID()) && keep($0) }
                .map { Option(value: $0.id?.uuidString ?? "", label: "#\($0.sequence) \($0.day) \($0.body.prefix(24))", selected: form["supersedes"] == $0.id?.uuidString) }
        }
        forms = Forms(
            compounds: file.compounds.map { Option(value: $0.coverage.$compound.id.uuidString, label: $0.compound.name,
                                                   selected: form["compound"] == $0.coverage.$compound.id.uuidString) },
            items: file.catalogue.items.map { Option(value: $0.code, label: $0.nameZh, selected: form["item.\($0.code)"] != nil) },
            scopeItems: Self.scopeOptions(file, form["scopeItem"]),
            channels: OpinionChannel.allCases.map { Option(value: $0.rawValue, label: t["channel." + $0.rawValue]!, selected: form["channel"] == $0.rawValue) },
            meetingKinds: MeetingKind.allCases.map { Option(value: $0.rawValue, label: t["meetingKind." + $0.rawValue]!, selected: form["meetingKind"] == $0.rawValue) },
            rounds: ConsultationRound.allCases.map { Option(value: String($0.rawValue), label: t["round.\($0.rawValue)"]!, selected: form["round"] == String($0.rawValue)) },
            visitsToCorrect: corrections(.visit), meetingsToCorrect: corrections(.meeting),
            opinionsToCorrect: corrections(.opinion) { journal.answer(to: $0.id ?? UUID()) == nil },
            answerable: c.records.filter { $0.kind == .opinion && live.contains($0.id ?? UUID()) && journal.standing(of: $0.entry) != .published }
                .map { Option(value: $0.id?.uuidString ?? "", label: "#\($0.sequence) \($0.body.prefix(30))", selected: form["opinion"] == $0.id?.uuidString) })
    }

    /// The scope's lines as `item@compound` choices, the whole-project lines as the bare item.
    private static func scopeOptions(_ file: RenovationService.ProjectFile, _ chosen: String?) -> [Option] {
        let names = Dictionary(uniqueKeysWithValues: file.compounds.map { ($0.coverage.$compound.id, $0.compound.name) })
        var seen = Set<String>()
        return file.scope.compactMap { line in
            let value = line.item + (line.$compound.id.map { "@" + $0.uuidString } ?? "")
            guard seen.insert(value).inserted else { return nil }
            let label = (file.catalogue.item(line.item)?.nameZh ?? line.item) + (line.$compound.id.flatMap { names[$0] }.map { " · " + $0 } ?? "")
            return Option(value: value, label: label, selected: chosen == value)
        }
    }

    private static func who(_ r: ConsultationRecord, _ names: [UUID: String]) -> String {
        var parts: [String] = []
        if let compound = r.$compound.id.flatMap({ names[$0] }) { parts.append(compound) }
        if let building = r.building { parts.append("\(building)号楼" + (r.unit.map { "\($0)单元" } ?? "") + (r.room ?? "")) }
        if let person = r.person { parts.append(person) }
        if let phone = r.phone { parts.append(phone) }
        return parts.joined(separator: " ")
    }

    private static func detail(_ r: ConsultationRecord, _ t: [String: String], _ catalogue: WorkItemCatalogue) -> String {
        switch r.kind {
        case .meeting:
            return [r.meetingKind.map { t["meetingKind." + $0.rawValue]! }, r.attendees.map { "\($0) \(t["attendeesUnit"]!)" },
                    r.attendeeNames, r.decisions.map { t["decisions"]! + "：" + $0 }].compactMap { $0 }.joined(separator: " · ")
        case .opinion: return r.channel.map { t["channel." + $0.rawValue]! } ?? ""
        case .collection: return t["stepCollect"]!
        case .publication: return t["stepPublish"]!
        case .answer: return answerText(r, t, catalogue)
        case .visit, .notice: return ""
        }
    }

    private static func answerText(_ a: ConsultationRecord, _ t: [String: String], _ catalogue: WorkItemCatalogue) -> String {
        let outcome = a.outcome.map { t["outcome." + $0.rawValue]! } ?? ""
        let item = a.item.map { "：" + (catalogue.item($0)?.nameZh ?? $0) } ?? ""
        return "\(a.day) \(outcome)\(item)" + (a.body.isEmpty ? "" : " — " + a.body)
    }
}
