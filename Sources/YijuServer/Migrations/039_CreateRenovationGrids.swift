import Fluent
import Foundation
import SQLKit
import YijuCore

/// Renovation grids (改造网格): a street office's renovation work in pieces, each with its roster.
struct CreateRenovationGrids: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RenovationGrid.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.updatedBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .create()
        try await database.schema(RenovationGridMember.schema)
            .id()
            .field(.gridID, .uuid, .required, .references(RenovationGrid.schema, .id))
            .field(.position, .int, .required)
            .field(.side, .string, .required)
            .field(.name, .string, .required)
            .field(.phone, .string, .required)
            .field(.userID, .uuid, .references(User.schema, .id))
            .unique(on: .gridID, .userID)
            .create()
        try await database.schema(RenovationGridCompound.schema)
            .id()
            .field(.gridID, .uuid, .required, .references(RenovationGrid.schema, .id))
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .unique(on: .compoundID)
            .create()
        try await database.schema(RenovationGridProject.schema)
            .id()
            .field(.gridID, .uuid, .required, .references(RenovationGrid.schema, .id))
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .unique(on: .projectID)
            .create()
        // "Which grids does this user sit on" is asked on every project a member opens.
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("CREATE INDEX renovation_grid_members_user ON renovation_grid_members (user_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [RenovationGridProject.schema, RenovationGridCompound.schema, RenovationGridMember.schema, RenovationGrid.schema] {
            try await database.schema(schema).delete()
        }
    }
}
