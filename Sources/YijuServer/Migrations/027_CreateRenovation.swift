import Fluent
import Foundation
import SQLKit
import YijuCore

/// Renovation (旧改): its settings in versions (version 1 the shipped catalogue, standard and
/// rules), compounds' facilities inventories, and projects with their compounds and scope.
struct CreateRenovation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RenovationSettingsRecord.schema)
            .id()
            .field(.version, .int, .required)
            .field(.catalogue, .string, .required)
            .field(.standard, .string, .required)
            .field(.rules, .string, .required)
            .field(.note, .string)
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .version)
            .create()
        try await database.schema(CompoundFacility.schema)
            .id()
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.item, .string, .required)
            .field(.quantity, .double, .required)
            .field(.condition, .string, .required)
            .field(.updatedAt, .datetime)
            .unique(on: .compoundID, .item)
            .create()
        try await database.schema(RenovationProject.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.year, .int, .required)
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.status, .string, .required)
            .field(.budgetFen, .int, .required)
            .field(.funding, .string, .required)
            .field(.plannedStart, .string)
            .field(.plannedFinish, .string)
            .field(.actualStart, .string)
            .field(.actualFinish, .string)
            .field(.households, .int, .required)
            .field(.buildings, .int, .required)
            .field(.cancelReason, .string)
            .field(.settingsVersion, .int, .required)
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .create()
        try await database.schema(RenovationProjectCompound.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.buildingList, .string)
            .field(.priorRenovation, .string, .required)
            .unique(on: .projectID, .compoundID)
            .create()
        try await database.schema(RenovationScopeItem.schema)
            .id()
            .field(.projectID, .uuid, .required, .references(RenovationProject.schema, .id))
            .field(.position, .int, .required)
            .field(.compoundID, .uuid, .references(Compound.schema, .id))
            .field(.item, .string, .required)
            .field(.quantity, .double, .required)
            .field(.costFen, .int, .required)
            .field(.note, .string)
            .field(.built, .bool, .required)
            .unique(on: .projectID, .position)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("CREATE INDEX renovation_projects_office ON renovation_projects (street_office_id, status)").run()
        try await sql.raw("CREATE INDEX renovation_project_compounds_compound ON renovation_project_compounds (compound_id)").run()
        let first = try RenovationSettingsStore.record(.default, version: 1, note: "default: national guidance items, 完整社区 standard, Shiquan's survey thresholds",
                                                       by: AuditLog.systemActor)
        try await first.create(on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [RenovationScopeItem.schema, RenovationProjectCompound.schema, RenovationProject.schema, CompoundFacility.schema,
                       RenovationSettingsRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
