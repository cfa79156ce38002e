import Fluent
import Foundation

/// The households' one-time codes for answering an acceptance survey themselves.
struct CreateSurveyCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SurveyCode.schema)
            .id()
            .field(.roundID, .uuid, .required, .references(AcceptanceRound.schema, .id))
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.building, .int, .required)
            .field(.unit, .string, .required)
            .field(.room, .string, .required)
            .field(.codeHash, .string, .required)
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.usedAt, .datetime)
            .unique(on: .codeHash)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SurveyCode.schema).delete()
    }
}
