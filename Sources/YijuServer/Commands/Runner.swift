import Fluent
import Foundation
import Vapor
import YijuCore

/// The process-level entry points the `yiju` command calls, kept here so the executable
/// stays a thin argument parser.
public enum Runner {
    /// Runs `body` against a configured, migrated application and always shuts it down.
    public static func withApplication<T>(_ body: (Application) async throws -> T) async throws -> T {
        let config = try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment)
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

    /// Runs `body` with a handle acting as `username` (nil: the system, with bureau-admin rights).
    public static func withRegistry<T>(as username: String?, _ body: (RegistryServiceHandle) async throws -> T) async throws -> T {
        try await withApplication { app in try await body(try await RegistryServiceHandle(app: app, username: username)) }
    }

    /// Migrates, loads the demo district into an empty database unless told not to, and serves until stopped.
    public static func serve(loadDemo: Bool, seed: UInt64) async throws {
        try await withApplication { app in
            if loadDemo, try await DemoLoader.isEmpty(app.db) {
                let summary = try await DemoLoader.load(into: app, seed: seed, caseHistory: true)
                app.logger.notice("demo district loaded: \(summary.compounds) compounds in \(summary.streetOffices) street offices, \(summary.companies) companies, \(summary.cases) cases; log in as admin / \(DemoLoader.demoPassword)")
            }
            app.environment.arguments = ["yiju", "serve"]
            // Only a serving process runs the case timers; every such process may, safely.
            if app.yijuConfig.caseTimers { app.startCaseTimers() }
            app.logger.notice("Yiju listening on http://\(app.yijuConfig.host):\(app.yijuConfig.port) (console /console, API /api/v1, spec /openapi.yaml)")
            try await app.execute()
        }
    }

    public static func loadDemo(seed: UInt64) async throws -> String {
        try await withApplication { app in
            let s = try await DemoLoader.load(into: app, seed: seed, caseHistory: true)
            return "loaded \(s.streetOffices) street offices, \(s.communities) communities, \(s.compounds) compounds, \(s.companies) companies, \(s.departments) departments, \(s.barriers) barriers, \(s.users) users, \(s.cases) cases (password \(DemoLoader.demoPassword))"
        }
    }
}
