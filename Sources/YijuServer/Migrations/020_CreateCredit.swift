import Fluent
import Foundation
import SQLKit
import YijuCore

struct CreateCredit: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CreditRuleSetRecord.schema)
            .id()
            .field(.version, .int, .required)
            .field(.rules, .string, .required)
            .field(.note, .string)
            .field(.createdBy, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .version)
            .create()
        try await database.schema(CreditEventEntry.schema)
            .id()
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.kind, .string, .required)
            .field(.points, .int, .required)
            .field(.effective, .string, .required)
            .field(.expires, .string, .required)
            .field(.source, .string, .required)
            .field(.sourceKey, .string, .required)
            .field(.caseID, .uuid, .references(CaseRecord.schema, .id))
            .field(.note, .string)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            .unique(on: .sourceKey)
            .create()
        try await database.schema(BlacklistEntry.schema)
            .id()
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.since, .string, .required)
            .field(.until, .string)
            .field(.reason, .string, .required)
            .field(.recordedBy, .string, .required)
            .field(.createdAt, .datetime)
            .create()
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("CREATE INDEX credit_events_company ON credit_events (company_id, effective)").run()
        // The ledger is append-only like the audit: a wrong entry is answered by a new one.
        try await AppendOnly.enforce(on: CreditEventEntry.schema, sql)
        // Version 1: the default rule set.
        let first = CreditRuleSetRecord()
        first.version = 1
        first.rules = try CreditRuleSets.encode(.default)
        first.note = "default: Harbin, Heilongjiang and Beijing schemes"
        first.createdBy = "system"
        try await first.create(on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [BlacklistEntry.schema, CreditEventEntry.schema, CreditRuleSetRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
