import Fluent
import FluentSQL
import Foundation
import YijuCore

/// The documents of projects' five disclosures (五公开).
struct CreateRenovationDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RenovationDocument.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.kind, .string, .required)
            .field(.title, .string, .required)
            .field(.contentType, .string, .required)
            .field(.size, .int, .required)
            .field(.data, .data, .required)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.withdrawnAt, .datetime)
            .field(.withdrawnBy, .string)
            .field(.reason, .string)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("CREATE INDEX renovation_documents_project ON renovation_documents (project_id, kind)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RenovationDocument.schema).delete()
    }
}
