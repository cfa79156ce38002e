import Fluent
import SQLKit

/// Locks, undo/redo, versions copied from others, notice and adoption on zoning plans;
/// snapshots, comments, objections, management areas and tender lots beside them.
/// Each added column is its own ALTER TABLE, which SQLite requires.
struct CreateZoningWorkflow: AsyncMigration {
    static let addedText: [FieldKey] = [.lockedZones, .redo, .noticeStart, .noticeEnd, .publishedBy, .adoptedOn, .adoptedBy, .closedOn, .closedBy]
    static let addedInt: [FieldKey] = [.snapshot, .basedOn]

    func prepare(on database: any Database) async throws {
        for key in Self.addedText { try await database.schema(ZoningPlanRecord.schema).field(key, .string).update() }
        for key in Self.addedInt { try await database.schema(ZoningPlanRecord.schema).field(key, .int).update() }

        try await database.schema(ZoningSnapshot.schema)
            .id()
            .field(.planID, .uuid, .required, .references(ZoningPlanRecord.schema, .id))
            .field(.sequence, .int, .required)
            .field(.parent, .int)
            .field(.document, .string, .required)
            .field(.lockedZones, .string, .required)
            .field(.change, .string, .required)
            .field(.author, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .planID, .sequence)
            .create()
        try await database.schema(ZoningComment.schema)
            .id()
            .field(.planID, .uuid, .required, .references(ZoningPlanRecord.schema, .id))
            .field(.author, .string, .required)
            .field(.body, .string, .required)
            .field(.createdAt, .datetime)
            .create()
        try await database.schema(ZoningObjection.schema)
            .id()
            .field(.planID, .uuid, .required, .references(ZoningPlanRecord.schema, .id))
            .field(.name, .string, .required)
            .field(.phone, .string, .required)
            .field(.compoundCode, .string)
            .field(.body, .string, .required)
            .field(.sourceHash, .string, .required)
            .field(.createdAt, .datetime)
            .create()
        try await database.schema(TenderLot.schema)
            .id()
            .field(.planID, .uuid, .required, .references(ZoningPlanRecord.schema, .id))
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.code, .string, .required)
            .field(.status, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .code)
            .create()
        try await database.schema(ManagementArea.schema)
            .id()
            .field(.planID, .uuid, .required, .references(ZoningPlanRecord.schema, .id))
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.lotID, .uuid, .required, .references(TenderLot.schema, .id))
            .field(.code, .string, .required)
            .field(.zoneCode, .string, .required)
            .field(.floorArea, .double, .required)
            .field(.households, .int, .required)
            .field(.startDate, .string, .required)
            .field(.endDate, .string)
            .unique(on: .code)
            .create()
        try await database.schema(AreaAssignment.schema)
            .id()
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.areaID, .uuid, .required, .references(ManagementArea.schema, .id))
            .field(.startDate, .string, .required)
            .field(.endDate, .string)
            .create()
        // A compound is in at most one area at a time, even when two adoptions race.
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE UNIQUE INDEX area_assignments_open ON area_assignments (compound_id) WHERE end_date IS NULL").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [AreaAssignment.schema, ManagementArea.schema, TenderLot.schema, ZoningObjection.schema, ZoningComment.schema, ZoningSnapshot.schema] {
            try await database.schema(schema).delete()
        }
        for key in Self.addedText + Self.addedInt { try await database.schema(ZoningPlanRecord.schema).deleteField(key).update() }
    }
}
