import Fluent
import Foundation
import SQLKit
import YijuCore

/// Human-readable numbers of the day: YJ20251122-0042 for cases, JC20251122-0003 for
/// inspections. A day's numbers are counted in one table (`case_counters`, one row per
/// prefix and day), claimed by one statement, so concurrent writers — other processes
/// included — never share one.
enum CaseNumbers {
    /// `count` consecutive numbers of the day. Cases count under the bare day; other
    /// numbered records under their prefix and the day.
    static func claim(_ count: Int, prefix: String = "YJ", day: String, on tx: any Database) async throws -> [String] {
        guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
        return try await claim(count, prefix: prefix, day: day, sql: sql)
    }

    static func claim(_ count: Int, prefix: String = "YJ", day: String, sql: any SQLDatabase) async throws -> [String] {
        let key = prefix == "YJ" ? day : prefix + day
        struct Row: Decodable { var next_value: Int }
        let row = try await sql.raw("""
            INSERT INTO case_counters (day, next_value) VALUES (\(bind: key), \(bind: count))
            ON CONFLICT (day) DO UPDATE SET next_value = case_counters.next_value + \(bind: count)
            RETURNING next_value
            """).first(decoding: Row.self)
        guard let last = row?.next_value else { throw DomainError.internalError }
        return (last - count + 1...last).map { self.prefix(prefix, day: day) + $0.zeroPadded(4) }
    }

    /// "YJ20251122-": a number is this and the day's count, at least four digits.
    static func prefix(_ prefix: String = "YJ", day: String) -> String {
        // Not replacingOccurrences: Foundation's search cost intake and the demo a visible share.
        prefix + String(day.unicodeScalars.filter { $0 != "-" }) + "-"
    }
}
