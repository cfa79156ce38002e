import Fluent
import FluentSQL
import Foundation
import YijuCore

/// Companies get a kind (物业 or one of the contractors' 施工、设计、监理; every company so far
/// is a property company), and projects record the contractors engaged on them.
struct CreateEngagements: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Company.schema)
            .field(.kind, .string, .required, .sql(.default(CompanyKind.property.rawValue)))
            .update()
        try await database.schema(RenovationEngagement.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.role, .string, .required)
            .field(.leadName, .string, .required)
            .field(.leadPhone, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .projectID, .role)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RenovationEngagement.schema).delete()
        try await database.schema(Company.schema).deleteField(.kind).update()
    }
}
