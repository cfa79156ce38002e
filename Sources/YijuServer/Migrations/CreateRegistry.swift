import Fluent
import SQLKit

struct CreateStreetOffice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StreetOffice.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.address, .string)
            .field(.phone, .string)
            .field(.outline, .string)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .unique(on: .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StreetOffice.schema).delete()
    }
}

struct CreateCommunity: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Community.schema)
            .id()
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.name, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .streetOfficeID, .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Community.schema).delete()
    }
}

struct CreateCompany: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Company.schema)
            .id()
            .field(.name, .string, .required)
            .field(.registrationNumber, .string, .required)
            .field(.legalRepresentative, .string)
            .field(.phone, .string)
            .field(.staff, .int, .required)
            .field(.serviceStations, .int, .required)
            .field(.machines, .int, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .name)
            .unique(on: .registrationNumber)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Company.schema).delete()
    }
}

struct CreateContract: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Contract.schema)
            .id()
            .field(.code, .string, .required)
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.feeRateFen, .int, .required)
            .field(.startDate, .string, .required)
            .field(.endDate, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .code)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Contract.schema).delete()
    }
}

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

struct CreateBarrier: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Barrier.schema)
            .id()
            .field(.name, .string, .required)
            .field(.kind, .string, .required)
            .field(.path, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Barrier.schema).delete()
    }
}

struct CreateDepartment: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Department.schema)
            .id()
            .field(.kind, .string, .required)
            .field(.name, .string, .required)
            .field(.phone, .string)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .name)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Department.schema).delete()
    }
}
