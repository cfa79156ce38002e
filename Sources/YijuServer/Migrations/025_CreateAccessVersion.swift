import Fluent
import Foundation
import Synchronization
import Vapor
import YijuCore

/// The version row and the triggers that bump it.
struct CreateAccessVersion: AsyncMigration {
    func prepare(on database: any Database) async throws { try await CallerCache.changes.create(on: database) }
    func revert(on database: any Database) async throws { try await CallerCache.changes.drop(on: database) }
}
