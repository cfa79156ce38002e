import Fluent
import FluentSQL
import Foundation
import YijuCore

/// Projects' site diaries (施工日志), a day per row, and their photos.
struct CreateSiteDiary: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SiteDiaryRecord.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.day, .string, .required)
            .field(.entry, .string, .required)
            .field(.findings, .string, .required)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .projectID, .day)
            .create()
        try await database.schema(SiteDiaryPhoto.schema)
            .id()
            .field(.diaryID, .uuid, .required, .references(SiteDiaryRecord.schema, .id))
            .field(.contentType, .string, .required)
            .field(.size, .int, .required)
            .field(.data, .data, .required)
            .field(.createdAt, .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        for statement in [
            // A contractor's record counts its days and findings across projects.
            "CREATE INDEX renovation_site_diary_company ON renovation_site_diary (company_id, day)",
            "CREATE INDEX renovation_site_photos_diary ON renovation_site_photos (diary_id)",
        ] { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SiteDiaryPhoto.schema).delete()
        try await database.schema(SiteDiaryRecord.schema).delete()
    }
}
