import Fluent
import Foundation
import SQLKit
import YijuCore

/// A renovation project's consultation journal (一访一议一公示, 三上三下), append-only.
struct CreateRenovationConsultation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ConsultationRecord.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.sequence, .int, .required)
            .field(.kind, .string, .required)
            .field(.round, .int)
            .field(.day, .string, .required)
            .field(.channel, .string)
            .field(.compoundID, .uuid, .references(Compound.schema, .id))
            .field(.building, .int)
            .field(.unit, .string)
            .field(.room, .string)
            .field(.person, .string)
            .field(.meetingKind, .string)
            .field(.attendees, .int)
            .field(.attendeeNames, .string)
            .field(.body, .string, .required)
            .field(.decisions, .string)
            .field(.items, .string)
            .field(.opinionID, .uuid)
            .field(.outcome, .string)
            .field(.item, .string)
            .field(.supersedes, .uuid)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            // Two officers appending at once cannot take the same place in the journal.
            .unique(on: .projectID, .sequence)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ConsultationRecord.schema).delete()
    }
}
