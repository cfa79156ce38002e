import Fluent
import Foundation
import Vapor
import YijuCore

/// A project's consultation in the console: one page with the journal and a form per kind of
/// entry, all posting to one address with `kind` saying which (visit, meeting, opinion,
/// answer, round, notice). A refused entry re-renders the page with its form open.
struct ConsoleConsultationController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovationProject(.key, .consultation).routeComponents, use: show)
        routes.post(ConsolePath.renovationProject(.key, .consultation).routeComponents, use: record)
    }

    func show(req: Request) async throws -> View {
        try await render(req, form: [:], open: "", errors: [])
    }

    private func render(_ req: Request, form: [String: String], open: String, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let file = try await service.load(try idParameter(req))
        // As the API reads it: an objector's phone whole for those who call back, masked for the other readers.
        let consultation = try await service.consultation(try file.project.requireID())
        let mayEdit = Policy.allows(service.actor, .update, file.resource)
        let content = try ConsultationPage(file, consultation, mayEdit: mayEdit,
                                           mayRecordFieldwork: Policy.allows(service.actor, .create, file.fieldwork), form: form, open: open, errors: errors, t)
        return try await req.renderPage("renovation-consultation", title: "\(file.project.code) · \(t["consultation"]!)",
                                        nav: .renovationProjects, content: content)
    }

    func record(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let id = try idParameter(req)
        let kind = form["kind"] ?? ""
        return try await saving(req, back: ConsolePath.renovationProject(.value(id), .consultation).path + "#" + kind, render: { req, errors in
            try await render(req, form: form, open: kind, errors: errors)
        }) {
            let draft = try Self.draft(form, kind: kind)
            do {
                _ = try await service(req).record(draft, on: id)
            } catch let error as DomainError where error.kind == .invalid {
                throw DomainError.validation(error.fields.map { FieldError(field: Self.formField[$0.field] ?? $0.field, reason: $0.reason) })
            }
        }
    }

    /// The API's field names as this page's form names them.
    private static let formField = [
        "requests": "text", "minutes": "text", "summary": "text", "visitor": "person", "compoundId": "compound", "item": "scopeItem",
    ]

    /// The form's flat fields as an entry; numbers and choices that do not parse are named.
    static func draft(_ form: [String: String], kind: String) throws -> RenovationService.Draft {
        var errors: [FieldError] = []
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func number(_ key: String, required: Bool) -> Int? {
            let value = text(key)
            if value.isEmpty {
                if required { errors.append(FieldError(field: key, reason: "must be filled in")) }
                return nil
            }
            guard let n = Int(value) else { errors.append(FieldError(field: key, reason: "a whole number, like 3")); return nil }
            return n
        }
        func uuid(_ key: String) -> UUID? {
            let value = text(key)
            guard !value.isEmpty else { return nil }
            guard let id = UUID(uuidString: value) else { errors.append(FieldError(field: key, reason: "pick one from the list")); return nil }
            return id
        }
        let items = form.keys.filter { $0.hasPrefix("item.") }.map { String($0.dropFirst("item.".count)) }.sorted()
        var draft: RenovationService.Draft
        switch kind {
        case "visit":
            draft = .init(kind: .visit, day: text("day"), body: text("text"))
            let compound = uuid("compound")
            let building = number("building", required: true)
            if compound == nil { errors.append(FieldError(field: "compound", reason: "pick the compound")) }
            if let compound, let building {
                draft.household = .init(compoundID: compound, building: building, unit: text("unit"), room: text("room"))
            }
            draft.person = text("person").nilIfEmpty
            draft.items = items
        case "meeting":
            draft = .init(kind: .meeting, day: text("day"), body: text("text"))
            draft.meetingKind = MeetingKind(rawValue: text("meetingKind"))
            if draft.meetingKind == nil { errors.append(FieldError(field: "meetingKind", reason: "pick 议事会 or 恳谈会")) }
            draft.attendees = number("attendees", required: true)
            draft.attendeeNames = text("attendeeNames").nilIfEmpty
            draft.decisions = text("decisions")
        case "opinion":
            let round = number("round", required: true).flatMap(ConsultationRound.init(rawValue:))
            if round == nil, errors.isEmpty { errors.append(FieldError(field: "round", reason: "pick the round")) }
            draft = .init(kind: .opinion, day: text("day"), body: text("text"), round: round, channel: OpinionChannel(rawValue: text("channel")))
            if draft.channel == nil { errors.append(FieldError(field: "channel", reason: "say how the opinion came")) }
            draft.compoundID = uuid("compound")
            draft.building = number("building", required: false)
            draft.person = text("person").nilIfEmpty
            draft.items = items
        case "answer":
            draft = .init(kind: .answer, day: text("day"), body: text("text"))
            draft.opinionID = uuid("opinion")
            if draft.opinionID == nil, errors.isEmpty { errors.append(FieldError(field: "opinion", reason: "pick the opinion")) }
            draft.outcome = AnswerOutcome(rawValue: text("outcome"))
            if draft.outcome == nil { errors.append(FieldError(field: "outcome", reason: "adopted or declined")) }
            // A scope choice is `item` or `item@compound`.
            let scope = text("scopeItem").split(separator: "@").map(String.init)
            if draft.outcome == .adopted, let item = scope.first {
                draft.item = item
                draft.compoundID = scope.count > 1 ? UUID(uuidString: scope[1]) : nil
            }
        case "round":
            let round = number("round", required: true).flatMap(ConsultationRound.init(rawValue:))
            if round == nil, errors.isEmpty { errors.append(FieldError(field: "round", reason: "pick the round")) }
            let step = text("step")
            if step != "collect" && step != "publish" { errors.append(FieldError(field: "step", reason: "collect or publish")) }
            draft = .init(kind: step == "collect" ? .collection : .publication, day: text("day"), body: text("text"), round: round)
        case "notice":
            draft = .init(kind: .notice, day: text("day"), body: text("text"))
        default:
            throw DomainError.validation([FieldError(field: "kind", reason: "visit, meeting, opinion, answer, round or notice")])
        }
        draft.supersedes = uuid("supersedes")
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return draft
    }
}
