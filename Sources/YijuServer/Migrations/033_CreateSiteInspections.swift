import Fluent
import FluentSQL
import Foundation
import YijuCore

/// Inspections may be of a renovation project's site, with the shipped 文明施工 checklist
/// (a deployment made before it gets it here; a new one has it from CreateInspections).
struct CreateSiteInspections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InspectionRecord.schema)
            .field(.projectID, .uuid, .references(RenovationProject.schema, .id))
            .update()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("CREATE INDEX inspections_project_day ON inspections (project_id, day)").run()
        let checklist = Checklist.civilisedConstruction
        guard try await InspectionTemplate.query(on: database).filter(\.$code == checklist.code).first() == nil else { return }
        try await InspectionTemplates.seed(checklist, on: database)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("DROP INDEX inspections_project_day").run()
        try await database.schema(InspectionRecord.schema).deleteField(.projectID).update()
    }
}
