import Foundation
import SQLKit
import YijuCore

/// `yiju check`: the invariants the data must satisfy whatever happened to the server — a
/// crash mid-write, a restore from backup, a hand edit — each examined over the whole
/// database. A multi-step write (adopting a plan, awarding a tender, confirming an exit, an
/// inspection with its orders and deductions, a case step) is all-or-nothing exactly when
/// these hold after it was interrupted at any point.
///
/// Each invariant is a query for the rows that break it, so an operator can read what is
/// wrong (`subject`) and the check costs a few scans, not a load of the database into memory.
struct Invariant: Sendable {
    /// Short and stable, for scripts: `one_open_area`.
    let name: String
    /// What must hold, as the report prints it.
    let statement: String
    let examine: @Sendable (IntegrityCheck.Context) async throws -> IntegrityCheck.Examination
}

public enum IntegrityCheck {
    /// What an invariant examines with.
    struct Context: Sendable {
        let sql: any SQLDatabase
        /// "sqlite" or "postgresql".
        let dialect: String
        /// Today in Shanghai (yyyy-MM-dd): contracts run and exits take effect by the day.
        let today: String

        /// One integer a query counts (`SELECT COUNT(*) AS n …`).
        func count(_ query: String) async throws -> Int {
            struct Row: Decodable { var n: Int }
            return try await sql.raw(SQLQueryString(query)).first(decoding: Row.self)?.n ?? 0
        }

        /// The rows `query` selects as `subject`, counted, with the first few named.
        func violations(_ query: String, checked: Int) async throws -> Examination {
            struct Row: Decodable { var subject: String? }
            let count = try await self.count("SELECT COUNT(*) AS n FROM (\(query)) v")
            guard count > 0 else { return Examination(checked: checked, violations: 0, examples: []) }
            let first: String = "SELECT subject FROM (\(query)) v ORDER BY subject LIMIT \(Examination.exampleLimit)"
            let examples = try await sql.raw(SQLQueryString(first)).all(decoding: Row.self).map { $0.subject ?? "?" }
            return Examination(checked: checked, violations: count, examples: examples)
        }
    }

    /// How one invariant fared: how many things it looked at, how many broke it, the first few.
    public struct Examination: Sendable, Equatable {
        static let exampleLimit = 10
        public let checked: Int
        public let violations: Int
        public let examples: [String]
    }

    public struct Finding: Sendable {
        public let name: String
        public let statement: String
        public let examination: Examination
    }

    public struct Report: Sendable {
        public let findings: [Finding]
        public let seconds: Double

        public var clean: Bool { findings.allSatisfy { $0.examination.violations == 0 } }

        /// One line per invariant, its broken rows indented beneath, and a summary line.
        public var text: String {
            var lines: [String] = []
            for finding in findings {
                let e = finding.examination
                let verdict = e.violations == 0 ? "ok  " : "FAIL"
                lines.append("\(verdict) \(finding.name): \(finding.statement) (\(e.checked) checked\(e.violations == 0 ? "" : ", \(e.violations) broken"))")
                lines += e.examples.map { "       \($0)" }
                if e.violations > e.examples.count { lines.append("       … and \(e.violations - e.examples.count) more") }
            }
            let broken = findings.filter { $0.examination.violations > 0 }.count
            lines.append(broken == 0
                ? "yiju check: \(findings.count) invariants hold (\(String(format: "%.1f", seconds)) s)"
                : "yiju check: \(broken) of \(findings.count) invariants broken (\(String(format: "%.1f", seconds)) s)")
            return lines.joined(separator: "\n")
        }
    }

    static let invariants: [Invariant] = zoningInvariants + selectionInvariants + creditInvariants + caseInvariants

    /// Examines every invariant, one after another (each is a few scans of its tables).
    static func run(on sql: any SQLDatabase, now: Date) async throws -> Report {
        let started = Date()
        let context = Context(sql: sql, dialect: sql.dialect.name, today: Calendar.shanghai.day(now))
        var findings: [Finding] = []
        for invariant in invariants {
            findings.append(Finding(name: invariant.name, statement: invariant.statement, examination: try await invariant.examine(context)))
        }
        return Report(findings: findings, seconds: Date().timeIntervalSince(started))
    }
}
