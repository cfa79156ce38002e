import Fluent
import Foundation
import Vapor
import YijuCore

/// The process-level entry points the `yiju` commands call: an application configured from
/// the environment and migrated, for as long as a command runs. Each command's own entry
/// point is in its file in this folder.
public enum Runner {
    /// Runs `body` against a configured, migrated application and always shuts it down.
    public static func withApplication<T>(_ body: (Application) async throws -> T) async throws -> T {
        let config = try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment)
        config.logFormat.bootstrap()
        let app = try await Application.make(Environment(name: ProcessInfo.processInfo.environment["YIJU_ENV"] ?? "development",
                                                         arguments: ["yiju"]))
        do {
            try await configure(app, config: config)
            try await app.autoMigrate()
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Runs `body` with a context acting as `username` (nil: the system, with bureau-admin rights).
    public static func withContext<T>(as username: String?, _ body: (CommandContext) async throws -> T) async throws -> T {
        try await withApplication { app in try await body(try await CommandContext(app: app, username: username)) }
    }
}
