import Fluent
import Foundation
import Vapor
import YijuCore

/// `yiju serve` (the default command).
extension Runner {
    /// Migrates, loads the demo district into an empty database unless told not to, and serves until stopped.
    public static func serve(loadDemo: Bool, seed: UInt64) async throws {
        try await withApplication { app in
            if loadDemo, try await DemoLoader.isEmpty(app.db) {
                let summary = try await DemoLoader.load(into: app, seed: seed, caseHistory: true, renovationHistory: true)
                app.logger.notice("demo district loaded: \(summary.compounds) compounds in \(summary.streetOffices) street offices, \(summary.companies) companies, \(summary.cases) cases, \(summary.renovationProjects) renovation projects (\(summary.timingLine)); log in as admin / \(DemoLoader.demoPassword)")
            }
            app.environment.arguments = ["yiju", "serve"]
            // Only a serving process runs the case timers; every such process may, safely.
            if app.yijuConfig.caseTimers { app.startCaseTimers() }
            app.logger.notice("Yiju listening on http://\(app.yijuConfig.host):\(app.yijuConfig.port) (console /console, API /api/v1, spec /openapi.yaml)")
            try await app.execute()
        }
    }
}
