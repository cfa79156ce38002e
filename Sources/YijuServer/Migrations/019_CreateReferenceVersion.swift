import Fluent
import Foundation
import SQLKit
import YijuCore

/// The version row and the triggers that bump it.
struct CreateReferenceVersion: AsyncMigration {
    func prepare(on database: any Database) async throws { try await IntakeReference.changes.create(on: database) }
    func revert(on database: any Database) async throws { try await IntakeReference.changes.drop(on: database) }
}
