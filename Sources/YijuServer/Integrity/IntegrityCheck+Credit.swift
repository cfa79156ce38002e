import Foundation

/// The credit ledger against what it records, and inspections against their orders and deductions.
extension IntegrityCheck {
    static let creditInvariants: [Invariant] = [
        // Source keys name what caused an entry (CreditService's case events and half-year
        // satisfaction, InspectionService, manual entries): the cause must be there, for the
        // entry's company.
        Invariant(name: "credit_source_present", statement: "every credit entry's source is in the database") { c in
            let inspectionItem = "'inspection:' || \(c.uuidText("r.inspection_id")) || ':' || CAST(r.position AS TEXT)"
            return try await c.violations("""
                SELECT e.source_key AS subject FROM credit_events e
                WHERE e.source_key LIKE 'case:%' AND NOT EXISTS (
                  SELECT 1 FROM case_credit_events x JOIN cases k ON k.id = x.case_id
                  WHERE 'case:' || x.source_key = e.source_key AND k.id = e.case_id AND x.company_id = e.company_id)
                UNION ALL
                SELECT e.source_key FROM credit_events e
                WHERE e.source_key LIKE 'inspection:%' AND NOT EXISTS (
                  SELECT 1 FROM inspection_items r JOIN inspections i ON i.id = r.inspection_id
                  WHERE \(inspectionItem) = e.source_key AND NOT r.passed AND i.company_id = e.company_id)
                UNION ALL
                SELECT e.source_key FROM credit_events e
                WHERE e.source_key LIKE 'rectification:%' AND NOT EXISTS (
                  SELECT 1 FROM rectification_orders o WHERE 'rectification:' || \(c.uuidText("o.id")) = e.source_key AND o.company_id = e.company_id)
                UNION ALL
                SELECT e.source_key FROM credit_events e
                WHERE e.source_key LIKE 'manual:%' AND 'manual:' || \(c.uuidText("e.id")) <> e.source_key
                UNION ALL
                SELECT e.source_key FROM credit_events e
                WHERE e.source_key LIKE 'satisfaction:%' AND e.source_key NOT LIKE 'satisfaction:' || \(c.uuidText("e.company_id")) || ':%'
                UNION ALL
                SELECT e.source_key FROM credit_events e
                WHERE e.source_key NOT LIKE 'case:%' AND e.source_key NOT LIKE 'inspection:%' AND e.source_key NOT LIKE 'rectification:%'
                  AND e.source_key NOT LIKE 'manual:%' AND e.source_key NOT LIKE 'satisfaction:%'
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM credit_events"))
        },
        // An inspection writes its items, its orders and its deductions in one transaction
        // (InspectionService.record): a site's builder is not graded.
        Invariant(name: "inspection_whole", statement: "an inspection has its items, a graded failure its deduction, an order a failed item of its inspection") { c in
            let deduction = "'inspection:' || \(c.uuidText("i.id")) || ':' || CAST(r.position AS TEXT)"
            return try await c.violations("""
                SELECT i.number || ' has no items' AS subject FROM inspections i
                WHERE NOT EXISTS (SELECT 1 FROM inspection_items r WHERE r.inspection_id = i.id)
                UNION ALL
                SELECT i.number || ' item ' || CAST(r.position AS TEXT) || ' failed without a deduction' FROM inspections i
                JOIN inspection_items r ON r.inspection_id = i.id
                WHERE NOT r.passed AND i.company_id IS NOT NULL AND i.project_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.source_key = \(deduction))
                UNION ALL
                SELECT i.number || ' has an order for an item that passed or is not its own' FROM rectification_orders o
                JOIN inspections i ON i.id = o.inspection_id LEFT JOIN inspection_items r ON r.id = o.item_id
                WHERE r.id IS NULL OR r.inspection_id <> o.inspection_id OR r.passed
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM inspections"))
        },
    ]
}

extension IntegrityCheck.Context {
    /// A UUID column as the text Swift writes into keys (`uuidString`: upper case, hyphens).
    func uuidText(_ column: String) -> String {
        dialect == "postgresql" ? "UPPER(CAST(\(column) AS TEXT))" : "UPPER(\(column))"
    }
}
