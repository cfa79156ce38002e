import Fluent
import Foundation
import YijuCore

/// A company engaged on a project in one part (设计、施工、监理) and its lead there: the
/// project's contractors, whose staff see the project and whose lead takes the works' cases.
final class RenovationEngagement: Model, @unchecked Sendable {
    static let schema = "renovation_engagements"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    @Parent(key: .companyID) var company: Company
    @Field(key: .role) var role: ContractorRole
    @Field(key: .leadName) var leadName: String
    @Field(key: .leadPhone) var leadPhone: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}

    /// A project's contractors, their companies loaded, in the parts' order (design, construction, supervision).
    static func of(project id: UUID, on db: any Database) async throws -> [RenovationEngagement] {
        try await query(on: db).filter(\.$project.$id == id).with(\.$company).all().sorted {
            ContractorRole.allCases.firstIndex(of: $0.role)! < ContractorRole.allCases.firstIndex(of: $1.role)!
        }
    }

    /// The engagements by part: at most one company per part.
    static func byPart(_ engagements: [RenovationEngagement]) -> [ContractorRole: RenovationEngagement] {
        Dictionary(engagements.map { ($0.role, $0) }) { first, _ in first }
    }

    var engagement: Engagement {
        Engagement(role: role, companyID: $company.id, leadName: leadName, leadPhone: leadPhone)
    }
}
