import Foundation
import SQLKit
import Vapor
import YijuCore

/// `yiju check`: the database's invariants, examined as it stands (IntegrityCheck).
extension CommandContext {
    public func check() async throws -> IntegrityCheck.Report {
        guard let sql = app.db as? any SQLDatabase else { throw DomainError.internalError }
        return try await IntegrityCheck.run(on: sql, now: app.clock.now())
    }
}
