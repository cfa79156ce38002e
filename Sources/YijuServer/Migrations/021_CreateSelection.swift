import Fluent
import Foundation
import SQLKit
import YijuCore

struct CreateSelection: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per ALTER TABLE: SQLite adds them one at a time.
        try await database.schema(Contract.schema).field(.tenderID, .uuid).update()
        try await database.schema(Contract.schema).field(.appliedAt, .datetime).update()
        try await database.schema(Tender.schema)
            .id()
            .field(.lotID, .uuid, .required, .references(TenderLot.schema, .id))
            .field(.code, .string, .required)
            .field(.status, .string, .required)
            .field(.noticeDay, .string, .required)
            .field(.bidDeadline, .datetime, .required)
            .field(.weights, .string, .required)
            .field(.startDate, .string, .required)
            .field(.termYears, .int, .required)
            .field(.awardedBidID, .uuid)
            .field(.awardedAt, .datetime)
            .field(.contractID, .uuid, .references(Contract.schema, .id))
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .code)
            .create()
        try await database.schema(TenderBid.schema)
            .id()
            .field(.tenderID, .uuid, .required, .references(Tender.schema, .id))
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.priceFen, .int, .required)
            .field(.servicePlan, .string, .required)
            .field(.serviceStations, .int, .required)
            .field(.staff, .int, .required)
            .field(.machines, .int, .required)
            .field(.submittedAt, .datetime, .required)
            .field(.createdBy, .string, .required)
            .unique(on: .tenderID, .companyID)
            .create()
        try await database.schema(PanelScore.schema)
            .id()
            .field(.tenderID, .uuid, .required, .references(Tender.schema, .id))
            .field(.bidID, .uuid, .required, .references(TenderBid.schema, .id))
            .field(.memberID, .uuid, .required)
            .field(.memberName, .string, .required)
            .field(.score, .double, .required)
            .field(.at, .datetime, .required)
            .unique(on: .bidID, .memberID)
            .create()
        try await database.schema(ContractCompound.schema)
            .id()
            .field(.contractID, .uuid, .required, .references(Contract.schema, .id))
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .unique(on: .contractID, .compoundID)
            .create()
        try await database.schema(ExitRecommendation.schema)
            .id()
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.halfYearEnd, .string, .required)
            .field(.basis, .string, .required)
            .field(.status, .string, .required)
            .field(.reason, .string)
            .field(.decidedBy, .string)
            .field(.decidedAt, .datetime)
            .field(.createdAt, .datetime)
            .unique(on: .companyID, .halfYearEnd)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        // At most one live tender per lot, whoever opens it at the same moment.
        try await sql.raw("CREATE UNIQUE INDEX tenders_one_open_per_lot ON tenders (lot_id) WHERE status = 'open'").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [ExitRecommendation.schema, ContractCompound.schema, PanelScore.schema, TenderBid.schema, Tender.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(Contract.schema).deleteField(.tenderID).update()
        try await database.schema(Contract.schema).deleteField(.appliedAt).update()
    }
}
