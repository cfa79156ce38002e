import Fluent
import Foundation
import YijuCore

/// Tenders whose contract starts when the renovation of their compounds completes.
struct CreateTenderAwaitedProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TenderAwaitedProject.schema)
            .id()
            .field(.tenderID, .uuid, .required, .references(Tender.schema, .id))
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .unique(on: .tenderID, .projectID)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TenderAwaitedProject.schema).delete()
    }
}
