import Fluent
import Foundation
import YijuCore

/// A renovation project's acceptance rounds and their satisfaction survey responses.
struct CreateRenovationAcceptance: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AcceptanceRound.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.number, .int, .required)
            .field(.openedOn, .string, .required)
            .field(.checkDay, .string)
            .field(.participants, .string)
            .field(.punchList, .string)
            .field(.checkedBy, .string)
            .field(.closedOn, .string)
            .field(.passed, .bool)
            .field(.households, .int)
            .field(.explanation, .string)
            .field(.closedBy, .string)
            .unique(on: .projectID, .number)
            .create()
        try await database.schema(SurveyResponse.schema)
            .id()
            .field(.roundID, .uuid, .required, .references(AcceptanceRound.schema, .id))
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.building, .int, .required)
            .field(.unit, .string, .required)
            .field(.room, .string, .required)
            .field(.verdict, .string, .required)
            .field(.comment, .string)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            // One answer per household and round, however many surveyors are out at once.
            .unique(on: .roundID, .compoundID, .building, .unit, .room)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SurveyResponse.schema).delete()
        try await database.schema(AcceptanceRound.schema).delete()
    }
}
