import Fluent
import SQLKit

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
