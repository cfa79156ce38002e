import Fluent
import Foundation
import SQLKit
import YijuCore

struct CreateCaseFigureRollUp: AsyncMigration {
    func prepare(on database: any Database) async throws { try await CaseFigureRollUp.create(on: database) }
    func revert(on database: any Database) async throws { try await CaseFigureRollUp.drop(on: database) }
}
