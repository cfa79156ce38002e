import Fluent
import Foundation
import SQLKit
import YijuCore

/// The version row and the triggers that bump it.
struct CreateReferenceVersion: AsyncMigration {
    /// The tables there were then; later ones are watched by the migration that made them.
    static let tables = [Compound.schema, Company.schema, Department.schema, StreetOffice.schema, CaseSettingsRecord.schema,
                         RoutingRule.schema, CalendarDay.schema, ManagementArea.schema, AreaAssignment.schema]

    func prepare(on database: any Database) async throws { try await IntakeReference.changes.create(on: database, watching: Self.tables) }
    func revert(on database: any Database) async throws { try await IntakeReference.changes.drop(on: database) }
}
