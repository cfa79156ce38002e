import Fluent
import Foundation
import YijuCore

/// The bureau admin's case settings as the rules use them: the rule set, the routing
/// table and the working-day calendar, read from the database.
struct CaseSettings: Sendable {
    var rules: CaseRules
    var routing: RoutingTable
    var calendar: WorkingCalendar

    static func load(on db: any Database) async throws -> CaseSettings {
        let row = try await CaseSettingsRecord.query(on: db).first()
        let rules = try row.map { try JSONDecoder().decode(CaseRules.self, from: Data($0.rules.utf8)) } ?? .default
        var targets: [CaseDomain: RouteTarget] = [:]
        var duringWorks = Set<CaseDomain>()
        for rule in try await RoutingRule.query(on: db).all() {
            targets[rule.domain] = RouteTarget(key: rule.target) ?? .manager
            if rule.duringWorks { duringWorks.insert(rule.domain) }
        }
        let days = try await CalendarDay.query(on: db).all()
        let calendar = WorkingCalendar(holidays: Set(days.filter { $0.kind == .holiday }.map(\.day)),
                                       makeUpWorkdays: Set(days.filter { $0.kind == .workday }.map(\.day)),
                                       yearsCovered: Set(days.map(\.year)))
        return CaseSettings(rules: rules, routing: RoutingTable(targets: targets, duringWorks: duringWorks), calendar: calendar)
    }

    static func encode(_ rules: CaseRules) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }
}

/// Changing the settings: bureau admin only, checked whole, audited.
struct CaseSettingsService {
    let db: any Database
    let actor: Actor
    let now: Date

    private func requireMaySet() throws {
        try Policy.require(actor, .update, .caseSettings, notFound: "case settings")
    }

    /// Replaces the rule set and the routing entries given (a target, and whether the works'
    /// builder takes the domain during works), in one transaction; a rule set with any
    /// problem changes nothing.
    func update(rules: CaseRules, routing targets: [CaseDomain: RouteTarget], duringWorks: [CaseDomain: Bool] = [:]) async throws {
        try requireMaySet()
        let problems = rules.problems()
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        let text = try CaseSettings.encode(rules)
        try await db.transaction { tx in
            let row = try await CaseSettingsRecord.query(on: tx).first() ?? CaseSettingsRecord()
            if row.id == nil || row.rules != text {
                let before = row.id == nil ? nil : row.rules
                row.rules = text
                try await row.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "caseRules", entityID: row.id,
                                          before: before.map { ["rules": $0] }, after: ["rules": text], at: now)
            }
            for domain in Set(targets.keys).union(duringWorks.keys).sorted(by: { $0.rawValue < $1.rawValue }) {
                let existing = try await RoutingRule.query(on: tx).filter(\.$domain == domain).first()
                let rule = existing ?? RoutingRule()
                let before = existing.map { ["domain": domain.rawValue, "target": $0.target, "duringWorks": String($0.duringWorks)] }
                let target = targets[domain] ?? existing.flatMap { RouteTarget(key: $0.target) } ?? RoutingTable.default.target(domain)
                let works = duringWorks[domain] ?? existing?.duringWorks ?? RoutingTable.default.duringWorks.contains(domain)
                guard existing?.target != target.key || existing?.duringWorks != works else { continue }
                rule.domain = domain
                rule.target = target.key
                rule.duringWorks = works
                try await rule.save(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "routingRule", entityID: rule.id, before: before,
                                          after: ["domain": domain.rawValue, "target": target.key, "duringWorks": String(works)], at: now)
            }
        }
    }

    struct Day: Sendable {
        var day: String
        var kind: CalendarDay.Kind
        var name: String
    }

    /// Replaces one year's table of holidays and make-up workdays. Every day must be in that
    /// year, once; a holiday on a weekend or a make-up workday on a weekday is refused,
    /// because it would change nothing and is almost always a typing mistake.
    func replaceYear(_ year: Int, days: [Day]) async throws {
        try requireMaySet()
        var errors: [FieldError] = []
        var seen: Set<String> = []
        let plain = WorkingCalendar()
        for (i, d) in days.enumerated() {
            let field = "days[\(i)]"
            guard let start = Calendar.shanghai.start(of: d.day), Calendar.shanghai.day(start) == d.day else {
                errors.append(FieldError(field: field, reason: "\(d.day) is not a date (yyyy-MM-dd)", line: i + 1))
                continue
            }
            if Calendar.shanghai.component(.year, from: start) != year {
                errors.append(FieldError(field: field, reason: "\(d.day) is not in \(year)", line: i + 1))
            }
            if !seen.insert(d.day).inserted { errors.append(FieldError(field: field, reason: "\(d.day) is listed twice", line: i + 1)) }
            if d.kind == .holiday, !plain.isWorkingDay(d.day) {
                errors.append(FieldError(field: field, reason: "\(d.day) is a weekend day already; only weekdays can be holidays", line: i + 1))
            }
            if d.kind == .workday, plain.isWorkingDay(d.day) {
                errors.append(FieldError(field: field, reason: "\(d.day) is a weekday already; only weekend days can be make-up workdays", line: i + 1))
            }
            if d.name.count > 40 { errors.append(FieldError(field: field, reason: "the name must be at most 40 characters", line: i + 1)) }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        try await db.transaction { tx in
            try await CalendarDay.query(on: tx).filter(\.$year == year).delete()
            for d in days {
                let row = CalendarDay()
                row.day = d.day
                row.year = year
                row.kind = d.kind
                row.name = d.name
                try await row.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "calendar", entityID: nil,
                                      after: ["year": "\(year)", "days": days.map { "\($0.day) \($0.kind.rawValue)" }.joined(separator: ", ")], at: now)
        }
    }
}
