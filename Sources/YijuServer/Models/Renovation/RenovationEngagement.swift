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

    /// In the parts' order: design, construction, supervision.
    static func inRoleOrder(_ a: RenovationEngagement, _ b: RenovationEngagement) -> Bool {
        ContractorRole.allCases.firstIndex(of: a.role)! < ContractorRole.allCases.firstIndex(of: b.role)!
    }

    var engagement: Engagement {
        Engagement(role: role, companyID: $company.id, leadName: leadName, leadPhone: leadPhone)
    }
}
