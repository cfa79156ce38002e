import Fluent
import Foundation
import Vapor
import YijuCore

/// `yiju import`: a compound file, all or nothing, audited under the acting user.
extension CommandContext {
    public func importCompounds(_ parsed: CompoundFile.Parsed) async throws -> (added: Int, updated: Int, unchanged: Int, skippedFeatures: Int) {
        let outcome = try await service.importCompounds(parsed)
        return (outcome.added, outcome.updated, outcome.unchanged, outcome.skippedFeatures)
    }
}
