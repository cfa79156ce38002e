import Foundation

/// What adopting and retiring plans, awarding tenders and confirming exits leave behind.
extension IntegrityCheck {
    static let zoningInvariants: [Invariant] = [
        Invariant(name: "one_open_area", statement: "every compound is in at most one open management area") { c in
            try await c.violations("""
                SELECT k.code || ': ' || CAST(COUNT(*) AS TEXT) || ' open areas' AS subject
                FROM area_assignments s JOIN compounds k ON k.id = s.compound_id
                WHERE s.end_date IS NULL GROUP BY k.code HAVING COUNT(*) > 1
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM compounds"))
        },
        Invariant(name: "open_area_in_force", statement: "a compound's open area is itself open and of an adopted plan") { c in
            try await c.violations("""
                SELECT k.code || ' in ' || a.code || ' (plan ' || p.status || ')' AS subject
                FROM area_assignments s JOIN compounds k ON k.id = s.compound_id
                JOIN management_areas a ON a.id = s.area_id JOIN zoning_plans p ON p.id = a.plan_id
                WHERE s.end_date IS NULL AND (a.end_date IS NOT NULL OR p.status <> 'adopted')
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM area_assignments WHERE end_date IS NULL"))
        },
        // Adoption writes the lots, the areas and the assignments in one transaction: a plan
        // marked adopted without them, or an area without compounds, is a half-done adoption.
        Invariant(name: "adoption_whole", statement: "an adopted or retired plan has its areas, each area its compounds and a lot of the same plan") { c in
            try await c.violations("""
                SELECT 'plan ' || o.code || ' v' || CAST(p.version AS TEXT) || ' has no management areas' AS subject
                FROM zoning_plans p JOIN street_offices o ON o.id = p.street_office_id
                WHERE p.status IN ('adopted', 'retired') AND NOT EXISTS (SELECT 1 FROM management_areas a WHERE a.plan_id = p.id)
                UNION ALL
                SELECT 'area ' || a.code || ' has no compounds' FROM management_areas a
                WHERE NOT EXISTS (SELECT 1 FROM area_assignments s WHERE s.area_id = a.id)
                UNION ALL
                SELECT 'area ' || a.code || ' is in lot ' || l.code || ' of another plan' FROM management_areas a
                JOIN tender_lots l ON l.id = a.lot_id WHERE l.plan_id <> a.plan_id
                UNION ALL
                SELECT 'plan ' || o.code || ' v' || CAST(p.version AS TEXT) || ' is ' || p.status || ' but has management areas'
                FROM zoning_plans p JOIN street_offices o ON o.id = p.street_office_id
                WHERE p.status NOT IN ('adopted', 'retired') AND EXISTS (SELECT 1 FROM management_areas a WHERE a.plan_id = p.id)
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM zoning_plans WHERE status IN ('adopted', 'retired')"))
        },
    ]

    static let selectionInvariants: [Invariant] = [
        Invariant(name: "one_running_contract", statement: "every compound is under at most one contract running today") { c in
            try await c.violations("""
                SELECT k.code || ': ' || CAST(COUNT(*) AS TEXT) || ' contracts running' AS subject
                FROM contract_compounds cc JOIN contracts t ON t.id = cc.contract_id JOIN compounds k ON k.id = cc.compound_id
                WHERE t.start_date <= '\(c.today)' AND t.end_date >= '\(c.today)'
                GROUP BY k.code HAVING COUNT(*) > 1
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM compounds"))
        },
        // Awarding writes the contract, its compounds, the tender's status and the lot's in
        // one transaction.
        Invariant(name: "award_whole", statement: "an awarded tender has its contract, with the winning bid's company and the lot's compounds") { c in
            try await c.violations("""
                SELECT 'tender ' || t.code || ' is awarded without a contract' AS subject FROM tenders t
                WHERE t.status = 'awarded' AND (t.contract_id IS NULL OR NOT EXISTS (SELECT 1 FROM contracts k WHERE k.id = t.contract_id))
                UNION ALL
                SELECT 'tender ' || t.code || ' is ' || t.status || ' but names a contract' FROM tenders t
                WHERE t.status <> 'awarded' AND t.contract_id IS NOT NULL
                UNION ALL
                SELECT 'contract ' || k.code || ' is not the winning bid''s company' FROM tenders t
                JOIN contracts k ON k.id = t.contract_id JOIN tender_bids b ON b.id = t.awarded_bid_id
                WHERE b.company_id <> k.company_id OR b.tender_id <> t.id
                UNION ALL
                SELECT 'contract ' || k.code || ' covers no compound' FROM tenders t JOIN contracts k ON k.id = t.contract_id
                WHERE NOT EXISTS (SELECT 1 FROM contract_compounds cc WHERE cc.contract_id = k.id)
                UNION ALL
                SELECT 'lot ' || l.code || ' of awarded tender ' || t.code || ' is still open for tender' FROM tenders t
                JOIN tender_lots l ON l.id = t.lot_id
                WHERE t.status = 'awarded' AND l.status = 'tendering'
                  AND NOT EXISTS (SELECT 1 FROM tenders n WHERE n.lot_id = t.lot_id AND n.status = 'open')
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM tenders WHERE status = 'awarded'"))
        },
        // Confirming an exit (清退) cuts the company's contracts to the exit day in the
        // decision's transaction.
        Invariant(name: "exit_cuts_contracts", statement: "after a confirmed exit, none of the company's contracts begun by the exit day runs past it") { c in
            try await c.violations("""
                SELECT 'contract ' || k.code || ' runs to ' || k.end_date || ' past the exit on ' || x.end_date AS subject
                FROM exit_recommendations x JOIN contracts k ON k.company_id = x.company_id
                WHERE x.status = 'confirmed' AND x.end_date IS NOT NULL AND k.exit_id IS NULL
                  AND k.start_date <= x.end_date AND k.end_date > x.end_date
                """, checked: try await c.count("SELECT COUNT(*) AS n FROM exit_recommendations WHERE status = 'confirmed'"))
        },
    ]
}
