import Fluent
import Foundation
import SQLKit
import YijuCore

struct CreateInspections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InspectionTemplate.schema)
            .id()
            .field(.code, .string, .required)
            .field(.name, .string, .required)
            .field(.category, .string, .required)
            .field(.items, .string, .required)
            .field(.version, .int, .required)
            .field(.active, .bool, .required)
            .field(.updatedBy, .string, .required)
            .field(.createdAt, .datetime)
            .field(.updatedAt, .datetime)
            .unique(on: .code)
            .create()
        try await database.schema(InspectionRecord.schema)
            .id()
            .field(.number, .string, .required)
            .field(.kind, .string, .required)
            .field(.templateID, .uuid, .required, .references(InspectionTemplate.schema, .id))
            .field(.templateName, .string, .required)
            .field(.templateVersion, .int, .required)
            .field(.compoundID, .uuid, .references(Compound.schema, .id))
            .field(.areaID, .uuid, .references(ManagementArea.schema, .id))
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.companyID, .uuid, .references(Company.schema, .id))
            .field(.day, .string, .required)
            .field(.inspector, .string, .required)
            .field(.score, .int, .required)
            .field(.note, .string)
            .field(.createdAt, .datetime)
            .unique(on: .number)
            .create()
        try await database.schema(InspectionItemResult.schema)
            .id()
            .field(.inspectionID, .uuid, .required, .references(InspectionRecord.schema, .id))
            .field(.position, .int, .required)
            .field(.title, .string, .required)
            .field(.weight, .int, .required)
            .field(.passed, .bool, .required)
            .field(.finding, .string)
            .unique(on: .inspectionID, .position)
            .create()
        try await database.schema(InspectionPhoto.schema)
            .id()
            .field(.inspectionID, .uuid, .required, .references(InspectionRecord.schema, .id))
            .field(.itemID, .uuid, .required, .references(InspectionItemResult.schema, .id))
            .field(.contentType, .string, .required)
            .field(.size, .int, .required)
            .field(.data, .data, .required)
            .field(.createdAt, .datetime)
            .create()
        try await database.schema(RectificationOrder.schema)
            .id()
            .field(.inspectionID, .uuid, .required, .references(InspectionRecord.schema, .id))
            .field(.itemID, .uuid, .required, .references(InspectionItemResult.schema, .id))
            .field(.companyID, .uuid, .references(Company.schema, .id))
            .field(.deadline, .string, .required)
            .field(.status, .string, .required)
            .field(.report, .string)
            .field(.reportedBy, .string)
            .field(.reportedAt, .datetime)
            .field(.verification, .string)
            .field(.verifiedBy, .string)
            .field(.verifiedAt, .datetime)
            .field(.createdAt, .datetime)
            .unique(on: .itemID)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        for statement in [
            "CREATE INDEX inspections_compound_day ON inspections (compound_id, day)",
            "CREATE INDEX inspections_company_day ON inspections (company_id, day)",
            "CREATE INDEX inspections_office_day ON inspections (street_office_id, day)",
            "CREATE INDEX rectification_orders_company ON rectification_orders (company_id, status)",
            "CREATE INDEX inspection_photos_item ON inspection_photos (item_id)",
        ] { try await sql.raw(SQLQueryString(statement)).run() }
        for checklist in Checklist.defaults {
            try await InspectionTemplates.seed(checklist, on: database)
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [RectificationOrder.schema, InspectionPhoto.schema, InspectionItemResult.schema, InspectionRecord.schema, InspectionTemplate.schema] {
            try await database.schema(schema).delete()
        }
    }
}
