import Fluent
import SQLKit

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
