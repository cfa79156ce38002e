import Fluent
import Foundation
import Vapor
import YijuCore

/// The demo's year of inspections, rectification and commendations, written through the
/// same services the console uses, each at the date it would have happened. How often a
/// company fails an item or leaves an order unrectified follows its diligence — the same
/// trait that decides how often its cases ran late in the case history — so a company's
/// inspections, cases and credit tell one story.
enum DemoCreditLoader {
    static func load(into app: Application, district: DemoDistrict, seed: UInt64, now: Date) async throws {
        let db = app.db
        guard let admin = try await DemoLoader.bureauAdmin(on: db) else { return }
        let bureau = admin.actor
        let diligence = DemoCaseHistory.diligence(companies: district.companies.count, seed: seed)
        let companies = try await Company.query(on: db).all()
        let byNumber = Dictionary(uniqueKeysWithValues: companies.map { ($0.registrationNumber, $0) })
        var care: [UUID: Double] = [:]
        for (i, spec) in district.companies.enumerated() { if let c = byNumber[spec.registrationNumber] { care[try c.requireID()] = diligence[i] } }
        var rng = SeededGenerator(seed: seed ^ 0x1A59_EC75)
        let calendar = Calendar.shanghai
        func at(daysAgo: Int) -> Date { now.addingTimeInterval(-Double(daysAgo) * 86_400) }

        let templates = Dictionary(uniqueKeysWithValues: try await InspectionTemplate.query(on: db).all().map { ($0.code, $0) })
        let managed = try await Compound.query(on: db).filter(\.$management == .professional).sort(\.$code).all()
        var inspections: [(record: InspectionRecord, daysAgo: Int, company: UUID, quarter: Int)] = []

        // The bureau's quarterly assessment of each company: one of its compounds, in turn, per
        // quarter (a company is judged on its service, not on how many compounds it holds);
        // snow clearing in winter. In the order of the companies' registration numbers: ids
        // are random, and an order taken from them would give every load different grades.
        let byCompany = Dictionary(grouping: managed.compactMap { c in c.$company.id.map { ($0, c) } }, by: \.0).mapValues { $0.map(\.1) }
        let registration = Dictionary(uniqueKeysWithValues: try companies.map { (try $0.requireID(), $0.registrationNumber) })
        for (n, (company, compounds)) in byCompany.sorted(by: { registration[$0.key]! < registration[$1.key]! }).enumerated() {
            for (quarter, round) in [330, 240, 150, 60].enumerated() {
                let compound = compounds[(n + quarter) % compounds.count]
                let daysAgo = round - n % 30
                let day = at(daysAgo: daysAgo)
                let winter = [11, 12, 1, 2, 3].contains(calendar.component(.month, from: day))
                let code = winter && (n + quarter) % 2 == 0 ? "snow" : ["cleaning", "security", "facilities", "greening", "disclosure"][(n + quarter) % 5]
                guard let template = templates[code] else { continue }
                // How many items fail follows the trait closely (rounded up or down at random,
                // which items at random): four inspections a year are too few for a coin per
                // item to tell a slack company from an unlucky ordinary one.
                let failShare = min(0.4, 0.2 * pow(care[company] ?? 1, 2))
                let failures = min(template.items.count, Int(Double(template.items.count) * failShare + rng.unit()))
                var failing = Set<Int>()
                while failing.count < failures { failing.insert(Int(rng.next() % UInt64(template.items.count))) }
                let verdicts = template.items.indices.map { i in
                    failing.contains(i)
                        ? ItemVerdict(passed: false, finding: "检查发现：\(template.items[i].title)未达标", rectifyBy: calendar.day(day.addingTimeInterval(7 * 86_400)))
                        : ItemVerdict(passed: true)
                }
                let record = try await InspectionService(db: db, actor: bureau, now: day).inspect(.init(
                    templateID: try template.requireID(), compoundID: compound.id, kind: .routine, day: calendar.day(day), note: nil, verdicts: verdicts))
                inspections.append((record, daysAgo, company, quarter))
            }
        }

        // Rectification: the company reports within the week, the bureau verifies two days
        // after the deadline. A slack company leaves one order undone every half-year (the
        // first of the second and fourth quarters' inspections): the refusals that put it on
        // the blacklist.
        for (record, daysAgo, company, quarter) in inspections where daysAgo > 10 {
            let orders = try await RectificationOrder.query(on: db).filter(\.$inspection.$id == record.requireID()).with(\.$item).all()
                .sorted { $0.item.position < $1.item.position }
            let staff = Actor(userID: UUID(), username: "企业客服", role: .companyStaff, companyID: company)
            for (k, order) in orders.enumerated() {
                let undone = (care[company] ?? 1) >= 1.5 && quarter % 2 == 1 && k == 0
                if !undone {
                    _ = try await InspectionService(db: db, actor: staff, now: at(daysAgo: daysAgo - 5))
                        .report(order: try order.requireID(), text: "已按要求整改：\(order.item.title)")
                }
                _ = try await InspectionService(db: db, actor: bureau, now: at(daysAgo: daysAgo - 9))
                    .verify(order: try order.requireID(), rectified: !undone, note: undone ? "逾期未整改" : "复查合格")
            }
        }

        // Look-backs (回头看) of the compounds with the most concentrated cases, three weeks ago.
        let lookBacks = try await InspectionService(db: db, actor: bureau, now: at(daysAgo: 21)).lookBacks(days: 90, minimum: 8)
        for row in lookBacks.prefix(4) where row.compound.management == .professional {
            guard let template = templates["cleaning"] else { break }
            _ = try await InspectionService(db: db, actor: bureau, now: at(daysAgo: 21)).inspect(.init(
                templateID: try template.requireID(), compoundID: row.compound.id, kind: .lookBack, day: calendar.day(at(daysAgo: 21)), note: "回头看：案件集中",
                verdicts: template.items.map { _ in ItemVerdict(passed: true) }))
        }

        // Commendations for the diligent, the party-led service label for the three most
        // diligent, and complaints the street offices verified against the slack.
        let credit = { (days: Int) in CreditService(db: db, actor: bureau, now: at(daysAgo: days)) }
        let ranked = care.sorted { ($0.value, registration[$0.key]!) < ($1.value, registration[$1.key]!) }
        for (n, (company, value)) in ranked.enumerated() {
            if value < 0.6, rng.unit() < 0.7 {
                _ = try await credit(40 + n * 7).record(company: company, kind: .commendation, source: "街道通报表扬：冬季清雪及时、服务热情", effective: nil)
            }
            if n < 3 {
                _ = try await credit(200 + n * 11).record(company: company, kind: .redProperty, source: "区委组织部认定“红色物业”示范项目", effective: nil)
            }
            for k in 0..<Int(value * 2.5) where value > 0.6 {
                _ = try await credit(25 + k * 37).record(company: company, kind: .verifiedComplaint,
                                                          source: "街道核实：居民投诉物业服务不到位属实（第 \(k + 1) 起）", effective: nil)
            }
        }

        // What the timers would have done by now: the cases' reports in the ledger, half-year
        // satisfaction bonuses, the blacklist and exit recommendations.
        let today = CreditService(db: db, actor: nil, now: now)
        try await today.awardSatisfactionBonuses()
        try await today.ingestCaseEvents()
        try await today.enforceBlacklist(Set(companies.compactMap(\.id)), rules: try await CreditRuleSets.current(on: db).rules)
        try await today.raiseExitRecommendations()
    }
}
