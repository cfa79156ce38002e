import Fluent
import SQLKit

struct CreateUser: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field(.username, .string, .required)
            .field(.displayName, .string, .required)
            .field(.passwordHash, .string, .required)
            .field(.role, .string, .required)
            .field(.streetOfficeID, .uuid, .references(StreetOffice.schema, .id))
            .field(.departmentID, .uuid, .references(Department.schema, .id))
            .field(.companyID, .uuid, .references(Company.schema, .id))
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .username)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
