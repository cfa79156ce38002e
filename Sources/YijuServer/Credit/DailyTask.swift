import Fluent
import Foundation
import SQLKit
import YijuCore

/// Work the timers need once a day, not every sweep: the half-year satisfaction bonuses and
/// the exit check read every company's figures or whole ledger, and their answers change
/// with the day, not with each case. Of all the `yiju serve` processes on one database, the
/// first sweep of the day claims the day for a task (a unique row); the others skip it.
enum DailyTask: String {
    case satisfactionBonuses, exitRecommendations

    /// True when this call claimed `day` for the task.
    func claim(day: String, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        return try await sql.insert(into: "daily_tasks").columns("task", "day").values(SQLBind(rawValue), SQLBind(day))
            .ignoringConflicts(with: ["task", "day"]).returning("task").all().count == 1
    }
}
