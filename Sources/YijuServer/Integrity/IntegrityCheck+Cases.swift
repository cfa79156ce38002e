import Foundation

/// Cases against their timelines, numbers and roll-ups.
extension IntegrityCheck {
    /// The state each state-changing event leaves a case in (CaseService.describe, intake);
    /// every other event (a whistle, a check-in, a timer's overdue) leaves the state alone.
    static let stateAfterEvent: [(event: String, state: String)] = [
        ("received", "received"), ("dispatched", "dispatched"), ("accepted", "accepted"), ("returned", "returned"),
        ("replied", "replied"), ("followedUp", "followedUp"), ("reopened", "accepted"), ("closed", "closed"),
    ]

    static let caseInvariants: [Invariant] = [
        Invariant(name: "case_timeline_numbered", statement: "every case's timeline is numbered 1, 2, 3 … without gaps and begins with its receipt") { c in
            try await c.violations("""
                SELECT k.number || ': events ' || COALESCE(CAST(e.lo AS TEXT), '-') || '…' || COALESCE(CAST(e.hi AS TEXT), '-')
                  || ' (' || COALESCE(CAST(e.n AS TEXT), '0') || ')' AS subject
                FROM cases k LEFT JOIN (SELECT case_id, COUNT(*) AS n, MIN(sequence) AS lo, MAX(sequence) AS hi FROM case_events GROUP BY case_id) e
                  ON e.case_id = k.id
                WHERE e.n IS NULL OR e.lo <> 1 OR e.hi <> e.n
                UNION ALL
                SELECT k.number || ': begins with ' || f.kind FROM cases k JOIN case_events f ON f.case_id = k.id AND f.sequence = 1
                WHERE f.kind <> 'received'
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM cases"))
        },
        // A step writes the case and its event in one transaction: a state without its event,
        // or an event without its state, is a half-done step.
        Invariant(name: "case_state_matches_timeline", statement: "every case is in the state its last state-changing event left it in") { c in
            let kinds = stateAfterEvent.map { "'\($0.event)'" }.joined(separator: ", ")
            let after = "CASE l.kind " + stateAfterEvent.map { "WHEN '\($0.event)' THEN '\($0.state)'" }.joined(separator: " ") + " END"
            return try await c.violations("""
                SELECT k.number || ' is ' || k.state || ' after ' || l.kind AS subject FROM cases k
                JOIN (SELECT case_id, MAX(sequence) AS last FROM case_events WHERE kind IN (\(kinds)) GROUP BY case_id) m ON m.case_id = k.id
                JOIN case_events l ON l.case_id = k.id AND l.sequence = m.last
                WHERE k.state <> \(after)
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM cases"))
        },
        Invariant(name: "case_record_matches_timeline", statement: "a case's reply, closing and reopenings are on its record as on its timeline; only a case resolved at intake closes unreplied") { c in
            try await c.violations("""
                SELECT k.number || ' is ' || k.state || ' with closed_at ' || CASE WHEN k.closed_at IS NULL THEN 'empty' ELSE 'set' END AS subject
                FROM cases k WHERE (k.state = 'closed') <> (k.closed_at IS NOT NULL)
                UNION ALL
                SELECT k.number || ' is ' || k.state || ' without replied_at' FROM cases k
                WHERE k.replied_at IS NULL AND (k.state IN ('replied', 'followedUp')
                  -- only a case resolved at intake (即接即办) closes without a reply
                  OR (k.state = 'closed' AND (k.resolution IS NULL OR k.dispatched_at IS NOT NULL)))
                UNION ALL
                SELECT k.number || ' counts ' || CAST(k.reopen_count AS TEXT) || ' reopenings, its timeline ' || CAST(COALESCE(r.n, 0) AS TEXT)
                FROM cases k LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM case_events WHERE kind = 'reopened' GROUP BY case_id) r ON r.case_id = k.id
                WHERE k.reopen_count <> COALESCE(r.n, 0)
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM cases"))
        },
        // Numbers are claimed from the day's counter in the transaction that writes the case
        // or inspection (CaseNumbers): a number past its counter could be handed out twice.
        Invariant(name: "numbers_claimed", statement: "every case and inspection number was claimed from its day's counter") { c in
            func unclaimed(_ table: String, prefix: String) -> String {
                // YJ20251122-0007 counts under 2025-11-22, JC20251122-0003 under JC2025-11-22.
                let day = "SUBSTR(t.number, 3, 4) || '-' || SUBSTR(t.number, 7, 2) || '-' || SUBSTR(t.number, 9, 2)"
                let key = prefix == "YJ" ? day : "'\(prefix)' || \(day)"
                return """
                    SELECT t.number AS subject FROM \(table) t LEFT JOIN case_counters n ON n.day = \(key)
                    WHERE t.number LIKE '\(prefix)%' AND (n.day IS NULL OR n.next_value < CAST(SUBSTR(t.number, 12) AS INTEGER))
                    """
            }
            return try await c.violations(unclaimed("cases", prefix: "YJ") + " UNION ALL " + unclaimed("inspections", prefix: "JC"),
                                          checked: try await c.count("SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM inspections) AS n"))
        },
    ] + CaseFigureRollUp.levels.map { level in
        Invariant(name: "\(level.table)_recount", statement: "the \(level.period) figures equal a recount of the ledger") { c in
            try await c.violations("SELECT \(level.period) || ' ' || domain AS subject FROM (\(CaseFigureRollUp.differences(level, dialect: c.dialect))) d",
                                   checked: try await c.count("SELECT COUNT(*) AS n FROM \(level.table)"))
        }
    }
}
