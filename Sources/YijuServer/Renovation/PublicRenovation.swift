import Fluent
import Foundation
import YijuCore

/// What anyone may see of renovation without logging in (公开): every project from the start
/// of its consultation on — its compounds, money, scope and schedule, what each round
/// published and the plan's notice, each acceptance round's result with its arithmetic, and
/// the documents of its five disclosures (五公开).
/// Not what residents said nor who said it: opinions are counted, never shown.
struct PublicRenovation {
    let db: any Database
    let now: Date

    /// Planned projects are the bureau's working list; the public sees them once the residents are asked.
    static let publicStatuses: [ProjectStatus] = [.consulting, .approved, .underWorks, .acceptance, .completed, .cancelled]

    struct Project: Sendable {
        var project: RenovationProject
        var compounds: [Compound]
        var scope: [RenovationScopeItem]
        var catalogue: WorkItemCatalogue
        /// Collections, publications and the notice: what the rounds put up and took down.
        var publications: [ConsultationRecord]
        var opinions: [ConsultationRound: Int]
        var visits: Int
        var meetings: Int
        /// The companies engaged (设计、施工、监理); their leads' phones are the officials'.
        var contractors: [RenovationEngagement]
        var noticeLastDay: String?
        /// Whether the plan's notice runs today, so residents may object (一公示).
        var noticeRunning: Bool
        var acceptance: [AcceptanceRound]
        /// The five disclosures' documents still published, without their bytes.
        var documents: [RenovationDocument]
    }

    func projects() async throws -> [RenovationProject] {
        try await RenovationProject.query(on: db).filter(\.$status ~~ Self.publicStatuses).with(\.$streetOffice)
            .sort(\.$year, .descending).sort(\.$code).all()
    }

    func project(_ id: UUID) async throws -> Project {
        guard let project = try await RenovationProject.query(on: db).filter(\.$id == id).with(\.$streetOffice).first(),
              Self.publicStatuses.contains(project.status) else { throw DomainError.notFound("renovation project") }
        let links = try await RenovationProjectCompound.query(on: db).filter(\.$project.$id == id).with(\.$compound).all()
        let scope = try await RenovationScopeItem.query(on: db).filter(\.$project.$id == id).sort(\.$position).all()
        let settings = try await RenovationSettingsStore.pinned(project.settingsVersion, on: db)
        let records = try await ConsultationRecord.query(on: db).filter(\.$project.$id == id).sort(\.$sequence).all()
        let journal = ConsultationJournal(entries: records.map(\.entry), noticeDays: settings.rules.noticeDays)
        let live = Set(journal.live.map(\.id))
        var opinions: [ConsultationRound: Int] = [:]
        for opinion in journal.live(.opinion) { opinions[opinion.round ?? .opinions, default: 0] += 1 }
        return Project(
            project: project, compounds: links.map(\.compound).sorted { $0.code < $1.code }, scope: scope, catalogue: settings.catalogue,
            publications: records.filter { [.collection, .publication, .notice].contains($0.kind) && live.contains($0.id ?? UUID()) },
            opinions: opinions, visits: journal.live(.visit).count, meetings: journal.live(.meeting).count,
            contractors: try await RenovationEngagement.of(project: id, on: db),
            noticeLastDay: journal.noticeLastDay,
            noticeRunning: project.status == .consulting && journal.noticeRunning(on: Calendar.shanghai.day(now)),
            acceptance: try await AcceptanceRound.query(on: db).filter(\.$project.$id == id).filter(\.$closedOn != nil).sort(\.$number).all(),
            documents: try await RenovationService.documents(of: id, on: db).filter { $0.withdrawnAt == nil })
    }

    /// A published document of a public project, with its bytes; a withdrawn one is gone for the public.
    func document(_ projectID: UUID, _ documentID: UUID) async throws -> RenovationDocument {
        guard let project = try await RenovationProject.find(projectID, on: db), Self.publicStatuses.contains(project.status),
              let document = try await RenovationDocument.query(on: db).filter(\.$id == documentID).filter(\.$project.$id == projectID)
                  .filter(\.$withdrawnAt == nil).first() else { throw DomainError.notFound("document") }
        return document
    }

    /// A resident's objection to the plan while its notice runs (一公示): name, phone, the
    /// compound it concerns (its code, optional) and the text. It becomes a round-2 opinion
    /// of the project's journal, which the officer answers like any other before approval.
    func object(_ projectID: UUID, name: String, phone: String, compoundCode: String?, body: String, source: String) async throws -> ConsultationRecord {
        let service = RenovationService(db: db, actor: .publicReader, now: now)
        let file = try await service.load(projectID)
        let project = file.project
        guard Self.publicStatuses.contains(project.status) else { throw DomainError.notFound("renovation project") }
        let journal = try await service.consultation(of: project, on: db).journal
        guard project.status == .consulting, journal.noticeRunning(on: service.today) else {
            throw DomainError(.conflict, code: "notice_not_running", message: "objections are taken while the plan's notice runs"
                              + (journal.noticeLastDay.map { " (it ran to \($0))" } ?? ""))
        }
        var errors: [FieldError] = []
        let checked = PublicObjection.checked(name: name, phone: phone, body: body, errors: &errors)
        var compoundID: UUID?
        if let code = compoundCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            compoundID = file.compounds.first { $0.compound.code == code }?.compound.id
            if compoundID == nil { errors.append(FieldError(field: "compoundId", reason: "\(code) is not a compound of this project")) }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        let hash = PublicObjection.sourceHash("renovationObjection:" + source)
        try PublicObjection.requireUnderLimit(try await PublicSubmission.query(on: db).filter(\.$sourceHash == hash)
            .filter(\.$at > now.addingTimeInterval(-3600)).count())
        let at = now
        var draft = RenovationService.Draft(kind: .opinion, day: service.today, body: checked.body, round: .comments, channel: .notice)
        draft.compoundID = compoundID
        draft.person = checked.name
        return try await service.append(draft, to: projectID, sender: .init(phone: checked.phone) { tx in
            let submission = PublicSubmission()
            submission.sourceHash = hash
            submission.at = at
            try await submission.create(on: tx)
        })
    }
}
