import Fluent
import Foundation
import YijuCore

/// The contractors engaged on a project (参建单位: 设计、施工、监理), set whole by the
/// project's street officer or the bureau. Their staff then see the project; the
/// construction lead is whom the works' cases and the site's orders reach.
extension RenovationService {
    func saveEngagements(_ projectID: UUID, _ engagements: [Engagement]) async throws -> ProjectFile {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        let tidied = engagements.map {
            Engagement(role: $0.role, companyID: $0.companyID, leadName: $0.leadName.trimmingCharacters(in: .whitespaces),
                       leadPhone: IntakeRules.normalisedPhone($0.leadPhone) ?? $0.leadPhone)
        }
        let named = Set(tidied.map(\.companyID))
        let companies = named.isEmpty ? [] : try await Company.query(on: db).filter(\.$id ~~ named).all()
        let kinds = Dictionary(uniqueKeysWithValues: try companies.map { (try $0.requireID(), $0.kind) })
        let problems = EngagementRules.problems(tidied, kinds: kinds)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        try await db.transaction { tx in
            guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
            guard EngagementRules.editable.contains(project.status) else {
                throw DomainError(.conflict, code: "project_closed", message: "the contractors of a \(project.status.rawValue) project are fixed")
            }
            let before = try await RenovationEngagement.query(on: tx).filter(\.$project.$id == projectID).all().map(\.engagement)
            try await RenovationEngagement.query(on: tx).filter(\.$project.$id == projectID).delete()
            for e in tidied {
                let row = RenovationEngagement()
                row.$project.id = projectID
                row.$company.id = e.companyID
                row.role = e.role
                row.leadName = e.leadName
                row.leadPhone = e.leadPhone
                try await row.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationEngagements", entityID: projectID,
                                      before: before, after: tidied, at: now)
        }
        return try await load(projectID)
    }
}
