import Fluent
import SQLKit

struct CreateCompound: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Compound.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.kind, .string, .required)
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.communityID, .uuid, .references(Community.schema, .id))
            .field(.address, .string)
            .field(.lon, .double, .required)
            .field(.lat, .double, .required)
            .field(.floorArea, .double, .required)
            .field(.households, .int, .required)
            .field(.buildings, .int, .required)
            .field(.yearBuilt, .int)
            .field(.renovation, .string, .required)
            .field(.management, .string, .required)
            .field(.companyID, .uuid, .references(Company.schema, .id))
            .field(.contractID, .uuid, .references(Contract.schema, .id))
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .create()
        // The registry is filtered by street office and management mode on every page.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "compounds_street_office_idx").on(Compound.schema).column("street_office_id").run()
            try await sql.create(index: "compounds_management_idx").on(Compound.schema).column("management").run()
            try await sql.create(index: "compounds_company_idx").on(Compound.schema).column("company_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Compound.schema).delete()
    }
}
