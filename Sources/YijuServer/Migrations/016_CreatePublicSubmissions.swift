import Crypto
import Fluent
import Foundation
import Vapor
import YijuCore

struct CreatePublicSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PublicSubmission.schema)
            .id()
            .field(.sourceHash, .string, .required)
            .field(.at, .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PublicSubmission.schema).delete()
    }
}
