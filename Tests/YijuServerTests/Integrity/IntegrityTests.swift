import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("yiju check: every invariant holds on the demo and catches the break it names")
    struct IntegrityTests {
        static func run(_ app: Application) async throws -> IntegrityCheck.Report {
            try await IntegrityCheck.run(on: app.db as! any SQLDatabase, now: app.clock.now())
        }

        static func broken(_ report: IntegrityCheck.Report) -> [String] {
            report.findings.filter { $0.examination.violations > 0 }.map(\.name)
        }

        /// One break per invariant, planted the way a crash between two statements, a hand
        /// edit or a bad restore would leave it; each must be caught by its own invariant only.
        static let breaks: [(invariant: String, plant: @Sendable (any SQLDatabase) async throws -> Void)] = [
            ("one_open_area", { sql in
                // The partial unique index forbids it; a database restored without its indexes does not.
                try await sql.raw("DROP INDEX area_assignments_open").run()
                try await sql.raw("""
                    INSERT INTO area_assignments (id, compound_id, area_id, start_date)
                    SELECT \(bind: UUID()), s.compound_id, (SELECT a.id FROM management_areas a WHERE a.id <> s.area_id AND a.end_date IS NULL ORDER BY a.code LIMIT 1), s.start_date
                    FROM area_assignments s WHERE s.end_date IS NULL ORDER BY s.start_date LIMIT 1
                    """).run()
            }),
            ("open_area_in_force", { sql in
                try await sql.raw("""
                    UPDATE management_areas SET end_date = '2026-01-01'
                    WHERE id = (SELECT area_id FROM area_assignments WHERE end_date IS NULL ORDER BY area_id LIMIT 1)
                    """).run()
            }),
            ("adoption_whole", { sql in
                try await sql.raw("DELETE FROM area_assignments WHERE area_id = (SELECT id FROM management_areas ORDER BY code LIMIT 1)").run()
            }),
            ("one_running_contract", { sql in
                let today = Calendar.shanghai.day(Date())
                let contract = UUID()
                try await sql.raw("""
                    INSERT INTO contracts (id, code, company_id, fee_rate_fen, start_date, end_date)
                    SELECT \(bind: contract), 'HT-DOUBLE', company_id, 100, \(bind: today), \(bind: today) FROM contracts ORDER BY code LIMIT 1
                    """).run()
                try await sql.raw("""
                    INSERT INTO contract_compounds (id, contract_id, compound_id)
                    SELECT \(bind: UUID()), \(bind: contract), cc.compound_id FROM contract_compounds cc JOIN contracts t ON t.id = cc.contract_id
                    WHERE t.start_date <= \(bind: today) AND t.end_date >= \(bind: today) AND t.id <> \(bind: contract) ORDER BY t.code LIMIT 1
                    """).run()
            }),
            ("award_whole", { sql in
                try await sql.raw("UPDATE tenders SET contract_id = NULL WHERE id = (SELECT id FROM tenders WHERE status = 'awarded' ORDER BY code LIMIT 1)").run()
            }),
            ("exit_cuts_contracts", { sql in
                let yesterday = Calendar.shanghai.day(Calendar.shanghai.day(Date()), plus: -1)
                try await sql.raw("""
                    INSERT INTO exit_recommendations (id, company_id, half_year_end, basis, status, end_date)
                    SELECT \(bind: UUID()), company_id, '2026-06-30', 'planted', 'confirmed', \(bind: yesterday) FROM contracts
                    WHERE start_date <= \(bind: yesterday) AND end_date > \(bind: yesterday) AND exit_id IS NULL ORDER BY code LIMIT 1
                    """).run()
            }),
            ("credit_source_present", { sql in
                try await sql.raw("""
                    INSERT INTO credit_events (id, company_id, kind, points, effective, expires, source, source_key, recorded_by, created_at)
                    SELECT \(bind: UUID()), id, 'overdueCase', -5, '2026-01-05', '2027-01-05', 'planted', 'case:overdue:gone', 'test', \(bind: Date())
                    FROM companies ORDER BY name LIMIT 1
                    """).run()
            }),
            ("inspection_whole", { sql in
                try await sql.raw("""
                    UPDATE inspection_items SET passed = \(bind: false) WHERE id = (
                      SELECT r.id FROM inspection_items r JOIN inspections i ON i.id = r.inspection_id
                      WHERE r.passed AND i.company_id IS NOT NULL AND i.project_id IS NULL ORDER BY i.number, r.position LIMIT 1)
                    """).run()
            }),
            ("case_timeline_numbered", { sql in
                try await sql.raw("""
                    INSERT INTO case_events (id, case_id, sequence, at, actor_name, kind, note, data)
                    SELECT \(bind: UUID()), id, 99, received_at, 'test', 'whistle', '', '{}' FROM cases ORDER BY number LIMIT 1
                    """).run()
            }),
            ("case_state_matches_timeline", { sql in
                try await sql.raw("UPDATE cases SET state = 'returned' WHERE id = (SELECT id FROM cases WHERE state = 'accepted' ORDER BY number LIMIT 1)").run()
            }),
            ("case_record_matches_timeline", { sql in
                try await sql.raw("UPDATE cases SET reopen_count = reopen_count + 1 WHERE id = (SELECT id FROM cases ORDER BY number LIMIT 1)").run()
            }),
            ("numbers_claimed", { sql in
                try await sql.raw("UPDATE case_counters SET next_value = next_value - 1 WHERE day = (SELECT MAX(day) FROM case_counters WHERE day LIKE '2%')").run()
            }),
            ("case_figures_daily_recount", { sql in
                try await sql.raw("UPDATE case_figures_daily SET total = total + 1 WHERE day = (SELECT MAX(day) FROM case_figures_daily)").run()
            }),
            ("case_figures_monthly_recount", { sql in
                try await sql.raw("UPDATE case_figures_monthly SET overdue = overdue + 2 WHERE month = (SELECT MIN(month) FROM case_figures_monthly)").run()
            }),
        ]

        /// Carries a report out of a transaction it rolls back.
        struct Rollback: Error { let report: IntegrityCheck.Report }

        /// The demo with its history is loaded once (it takes seconds); each break is planted
        /// and checked inside a transaction that is then rolled back, so the next starts clean.
        @Test("The demo with its history breaks no invariant; each planted break is caught by its own invariant and by no other")
        func demoCleanAndEachBreakCaught() async throws {
            try await withApp(demo: false) { app in
                try await DemoLoader.load(into: app, caseHistory: true, renovationHistory: true)
                let report = try await Self.run(app)
                #expect(Self.broken(report).isEmpty, "\(report.text)")
                // Each invariant looked at something (a check of empty tables proves nothing);
                // the demo confirms no exit.
                for finding in report.findings where finding.name != "exit_cuts_contracts" {
                    #expect(finding.examination.checked > 0, "\(finding.name) checked nothing")
                }
                #expect(report.clean && report.text.contains("yiju check: \(report.findings.count) invariants hold"))

                for (invariant, plant) in Self.breaks {
                    var planted: IntegrityCheck.Report?
                    do {
                        try await app.db.transaction { tx in
                            let sql = tx as! any SQLDatabase
                            try await plant(sql)
                            throw Rollback(report: try await IntegrityCheck.run(on: sql, now: app.clock.now()))
                        }
                    } catch let rollback as Rollback {
                        planted = rollback.report
                    }
                    let report = try #require(planted)
                    #expect(Self.broken(report) == [invariant], "\(invariant):\n\(report.text)")
                    let finding = try #require(report.findings.first { $0.name == invariant })
                    #expect(finding.examination.examples.count == min(finding.examination.violations, IntegrityCheck.Examination.exampleLimit))
                    #expect(!report.clean && report.text.contains("FAIL \(invariant):"))
                }
                #expect(Self.broken(try await Self.run(app)).isEmpty, "a planted break outlived its rollback")
            }
        }

        @Test("Every invariant has a planted break in this suite")
        func everyInvariantIsTried() {
            #expect(IntegrityCheck.invariants.map(\.name) == Self.breaks.map(\.invariant))
        }
    }
}
