import Fluent
import Foundation
import SQLKit
import YijuCore

struct CreateDailyTasks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("daily_tasks")
            .field("task", .string, .required)
            .field("day", .string, .required)
            .unique(on: "task", "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("daily_tasks").delete()
    }
}
