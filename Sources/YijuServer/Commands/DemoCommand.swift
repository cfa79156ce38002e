import Fluent
import Foundation
import Vapor
import YijuCore

/// `yiju demo`: the generated demo district into an empty database.
extension Runner {
    public static func loadDemo(seed: UInt64) async throws -> String {
        try await withApplication { app in
            let s = try await DemoLoader.load(into: app, seed: seed, caseHistory: true, renovationHistory: true)
            return "loaded \(s.streetOffices) street offices, \(s.communities) communities, \(s.compounds) compounds, \(s.companies) companies, \(s.departments) departments, \(s.barriers) barriers, \(s.users) users, \(s.cases) cases, \(s.renovationProjects) renovation projects with \(s.surveyResponses) survey answers in \(s.timingLine) (password \(DemoLoader.demoPassword))"
        }
    }
}
