import Fluent
import Foundation
import SQLKit
import YijuCore

/// Cases, their events, summons, supervision orders, credit events for the ledger,
/// photos, and the bureau's settings (rules, routing table, calendar), with the
/// default rule set and routing table filled in.
struct CreateCases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CaseRecord.schema)
            .id()
            .field(.number, .string, .required)
            .field(.channel, .string, .required)
            .field(.externalNumber, .string)
            .field(.receivedAt, .datetime, .required)
            .field(.reporterName, .string, .required)
            .field(.reporterPhone, .string, .required)
            .field(.compoundID, .uuid, .required, .references(Compound.schema, .id))
            .field(.streetOfficeID, .uuid, .required, .references(StreetOffice.schema, .id))
            .field(.building, .string)
            .field(.unit, .string)
            .field(.domain, .string, .required)
            .field(.caseDescription, .string, .required)
            .field(.urgency, .string, .required)
            .field(.colour, .string, .required)
            .field(.state, .string, .required)
            .field(.handlerKind, .string)
            .field(.handlerCompanyID, .uuid, .references(Company.schema, .id))
            .field(.handlerDepartmentID, .uuid, .references(Department.schema, .id))
            .field(.routing, .string, .required)
            .field(.dispatchedAt, .datetime)
            .field(.dueAt, .datetime)
            .field(.repliedAt, .datetime)
            .field(.satisfaction, .string)
            .field(.closedAt, .datetime)
            .field(.resolution, .string)
            .field(.designated, .bool, .required)
            .field(.extensions, .int, .required)
            .field(.pendingExtension, .int)
            .field(.reopenCount, .int, .required)
            .field(.repeatOfID, .uuid)
            .field(.repeatCount, .int, .required)
            .field(.unansweredAt, .datetime)
            .field(.overdueAt, .datetime)
            .field(.escalatedAt, .datetime)
            .field(.takenByID, .uuid)
            .field(.createdAt, .datetime)
            .unique(on: .number)
            .unique(on: .channel, .externalNumber)
            .create()
        try await database.schema(CaseEvent.schema)
            .id()
            .field(.caseID, .uuid, .required, .references(CaseRecord.schema, .id))
            .field(.sequence, .int, .required)
            .field(.at, .datetime, .required)
            .field(.actorID, .uuid)
            .field(.actorName, .string, .required)
            .field(.kind, .string, .required)
            .field(.note, .string, .required)
            .field(.data, .string, .required)
            .unique(on: .caseID, .sequence)
            .create()
        try await database.schema(CaseSummons.schema)
            .id()
            .field(.caseID, .uuid, .required, .references(CaseRecord.schema, .id))
            .field(.departmentID, .uuid, .required, .references(Department.schema, .id))
            .field(.checkInBy, .datetime, .required)
            .field(.checkedInAt, .datetime)
            .field(.reportedAt, .datetime)
            .field(.missedAt, .datetime)
            .unique(on: .caseID, .departmentID)
            .create()
        try await database.schema(SupervisionOrder.schema)
            .id()
            .field(.caseID, .uuid, .required, .references(CaseRecord.schema, .id))
            .field(.handlerKind, .string, .required)
            .field(.handlerCompanyID, .uuid, .references(Company.schema, .id))
            .field(.handlerDepartmentID, .uuid, .references(Department.schema, .id))
            .field(.issuedAt, .datetime, .required)
            .field(.dueAt, .datetime, .required)
            .field(.metAt, .datetime)
            .field(.escalatedAt, .datetime)
            .create()
        try await database.schema(CaseCreditEvent.schema)
            .id()
            .field(.companyID, .uuid, .required, .references(Company.schema, .id))
            .field(.caseID, .uuid, .required, .references(CaseRecord.schema, .id))
            .field(.kind, .string, .required)
            .field(.sourceKey, .string, .required)
            .field(.at, .datetime, .required)
            .unique(on: .sourceKey)
            .create()
        try await database.schema(CasePhoto.schema)
            .id()
            .field(.caseID, .uuid, .required, .references(CaseRecord.schema, .id))
            .field(.contentType, .string, .required)
            .field(.size, .int, .required)
            .field(.data, .data, .required)
            .field(.createdAt, .datetime)
            .create()
        try await database.schema(CaseSettingsRecord.schema)
            .id()
            .field(.rules, .string, .required)
            .field(.updatedAt, .datetime)
            .create()
        try await database.schema(RoutingRule.schema)
            .id()
            .field(.domain, .string, .required)
            .field(.target, .string, .required)
            .unique(on: .domain)
            .create()
        try await database.schema(CalendarDay.schema)
            .id()
            .field(.day, .string, .required)
            .field(.year, .int, .required)
            .field(.kind, .string, .required)
            .field(.name, .string, .required)
            .unique(on: .day)
            .create()
        try await database.schema(CaseCounter.schema)
            .field(.day, .string, .identifier(auto: false))
            .field(.nextValue, .int, .required)
            .create()

        if let sql = database as? any SQLDatabase {
            // The ledger filters by street office and time, the timers by state and due time,
            // repeat detection by compound and domain, the timeline by case.
            for statement in [
                "CREATE INDEX cases_office_received ON cases (street_office_id, received_at)",
                "CREATE INDEX cases_state_due ON cases (state, due_at)",
                "CREATE INDEX cases_compound_domain ON cases (compound_id, domain, received_at)",
                "CREATE INDEX cases_received ON cases (received_at)",
                "CREATE INDEX supervision_orders_case ON supervision_orders (case_id)",
            ] { try await sql.raw(SQLQueryString(statement)).run() }
            // A case's history is never rewritten: a mistake is corrected by a new event.
            try await AppendOnly.enforce(on: CaseEvent.schema, sql)
        }

        let settings = CaseSettingsRecord()
        settings.rules = try CaseSettings.encode(.default)
        try await settings.create(on: database)
        // Plain rows, not the model: the model has columns later migrations add.
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        for domain in CaseDomain.allCases {
            try await sql.insert(into: RoutingRule.schema).columns("id", "domain", "target")
                .values(SQLBind(UUID()), SQLBind(domain.rawValue), SQLBind(RoutingTable.default.target(domain).key)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [CaseCounter.schema, CalendarDay.schema, RoutingRule.schema, CaseSettingsRecord.schema, CasePhoto.schema,
                       CaseCreditEvent.schema, SupervisionOrder.schema, CaseSummons.schema, CaseEvent.schema, CaseRecord.schema] {
            try await database.schema(schema).delete()
        }
    }
}
