import Fluent
import Foundation
import SQLKit
import YijuCore

/// What the cases pipeline reports to the credit ledger (an overdue case, a supervision
/// order issued or not met, a third repeat): each recorded exactly once, however often the
/// same case step is processed, since its source key is unique.
enum CreditEvents {
    static func emit(_ kind: CaseCreditEvent.Kind, company: UUID, case caseID: UUID, key: String, at: Date, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        try await emit(Emission(kind: kind, company: company, caseID: caseID, key: key, at: at), sql: sql)
    }

    static func emit(_ emission: Emission, sql: any SQLDatabase) async throws {
        // ON CONFLICT DO NOTHING: processing the same case step twice leaves one event.
        try await sql.insert(into: CaseCreditEvent.schema).columns(Emission.columns.names())
            .values(Emission.columns.values(of: emission).map(\.encodable))
            .ignoringConflicts(with: [FieldKey.sourceKey.description]).run()
    }

    /// One credit event to record; `key` makes it once only.
    struct Emission: Sendable {
        let id = UUID()
        let kind: CaseCreditEvent.Kind
        let company: UUID
        let caseID: UUID
        let key: String
        let at: Date

        /// Every column of `case_credit_events`, once (see `NewCase.columns`).
        static let columns: [RowColumn<Emission, CaseCreditEvent>] = [
            .init(\.id, \.$id),
            .init(\.company, \.$company.$id),
            .init(\.caseID, \.$caseRecord.$id),
            .init(\.kind, \.$kind),
            .init(\.key, \.$sourceKey),
            .init(\.at, \.$at),
        ]
    }
}

extension CaseCreditEvent.Kind: RawTextColumn {}
