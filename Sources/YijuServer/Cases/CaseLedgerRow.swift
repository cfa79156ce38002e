import Foundation
import SQLKit
import YijuCore

/// A case as the ledger's export writes it: its own columns and the names of its street
/// office, compound and handler, read for a page of cases in one joined statement.
///
/// The export reads every case it may show, so what a row costs to read is what the export
/// costs: building a Fluent model with four eager loads spent most of the time in property
/// reflection (3,000 rows/s in a debug build); a plain decoded row is several times cheaper.
struct CaseLedgerRow: Decodable, Sendable {
    var id: UUID
    var number: String
    var colour: CaseColour
    var channel: CaseChannel
    var externalNumber: String?
    var receivedAt: Date
    var streetOfficeId: UUID
    var streetOfficeName: String
    var compoundCode: String
    var compoundName: String
    var building: String?
    var unit: String?
    var domain: CaseDomain
    var description: String
    var handlerKind: HandlerKind?
    var handlerCompanyId: UUID?
    var handlerCompanyName: String?
    var handlerDepartmentId: UUID?
    var handlerDepartmentName: String?
    var state: CaseState
    var dueAt: Date?
    var repliedAt: Date?
    var satisfaction: Satisfaction?
    var closedAt: Date?
    var repeatCount: Int
    var reopenCount: Int
    var overdueAt: Date?
    var escalatedAt: Date?
    var reporterName: String
    var reporterPhone: String
    var takenById: UUID?

    /// The columns by name, written out: SQLKit's snake-case strategy converts every key of
    /// every row again, which cost half the export's time.
    enum CodingKeys: String, CodingKey {
        case id, number, colour, channel, externalNumber = "external_number", receivedAt = "received_at"
        case streetOfficeId = "street_office_id", streetOfficeName = "street_office_name", compoundCode = "compound_code"
        case compoundName = "compound_name", building, unit, domain, description, handlerKind = "handler_kind"
        case handlerCompanyId = "handler_company_id", handlerCompanyName = "handler_company_name"
        case handlerDepartmentId = "handler_department_id", handlerDepartmentName = "handler_department_name", state
        case dueAt = "due_at", repliedAt = "replied_at", satisfaction, closedAt = "closed_at"
        case repeatCount = "repeat_count", reopenCount = "reopen_count", overdueAt = "overdue_at"
        case escalatedAt = "escalated_at", reporterName = "reporter_name", reporterPhone = "reporter_phone"
        case takenById = "taken_by_id"
    }

    /// Authorisation's view of the case, for masking (no summons: they decide what a
    /// department reads, not whom a name is shown to).
    var scope: CaseScope {
        CaseScope(streetOfficeID: streetOfficeId, handler: handlerKind, handlerCompanyID: handlerCompanyId,
                  handlerDepartmentID: handlerDepartmentId, takenBy: takenById)
    }

    /// The rows of these cases, newest first (the ledger's order, ties by id).
    static func read(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [CaseLedgerRow] {
        guard !ids.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT c.id, c.number, c.colour, c.channel, c.external_number, c.received_at,
                   c.street_office_id, so.name AS street_office_name, cp.code AS compound_code, cp.name AS compound_name,
                   c.building, c.unit, c.domain, c.description, c.handler_kind,
                   c.handler_company_id, hc.name AS handler_company_name, c.handler_department_id, hd.name AS handler_department_name,
                   c.state, c.due_at, c.replied_at, c.satisfaction, c.closed_at, c.repeat_count, c.reopen_count,
                   c.overdue_at, c.escalated_at, c.reporter_name, c.reporter_phone, c.taken_by_id
            FROM cases c
            JOIN street_offices so ON so.id = c.street_office_id
            JOIN compounds cp ON cp.id = c.compound_id
            LEFT JOIN companies hc ON hc.id = c.handler_company_id
            LEFT JOIN departments hd ON hd.id = c.handler_department_id
            WHERE c.id IN (\(binds: ids))
            ORDER BY c.received_at DESC, c.id DESC
            """).all(decoding: CaseLedgerRow.self)
    }
}
