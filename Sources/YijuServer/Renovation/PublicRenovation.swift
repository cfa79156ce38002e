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
}
