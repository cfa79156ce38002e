import Fluent
import Foundation
import SQLKit
import YijuCore

/// The credit rule set in force: the newest version.
enum CreditRuleSets {
    static func encode(_ rules: CreditRules) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }

    static func current(on db: any Database) async throws -> (version: Int, rules: CreditRules) {
        guard let row = try await CreditRuleSetRecord.query(on: db).sort(\.$version, .descending).first() else { return (0, .default) }
        return (row.version, try JSONDecoder().decode(CreditRules.self, from: Data(row.rules.utf8)))
    }
}

/// Companies' credit (信用评价): the ledger, the score on any day, the blacklist.
struct CreditService {
    let db: any Database
    let actor: Actor?
    let now: Date

    var today: String { Calendar.shanghai.day(now) }

    /// Reads what the cases pipeline reported (overdue cases, supervision orders issued and
    /// not met, third repeats) into the ledger with the points of the rule set in force.
    /// Each report becomes one entry, however often this runs and in however many processes:
    /// the entry's source key is unique. Returns the companies that got new entries.
    @discardableResult
    func ingestCaseEvents() async throws -> Set<UUID> {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        struct Pending: Decodable {
            var company_id: UUID, case_id: UUID, kind: String, source_key: String, at: Date, number: String
        }
        let pending = try await sql.raw("""
            SELECT c.company_id, c.case_id, c.kind, c.source_key, c.at, k.number FROM case_credit_events c
            JOIN cases k ON k.id = c.case_id
            WHERE NOT EXISTS (SELECT 1 FROM credit_events e WHERE e.source_key = 'case:' || c.source_key)
            ORDER BY c.at
            """).all(decoding: Pending.self)
        guard !pending.isEmpty else { return [] }
        let rules = try await CreditRuleSets.current(on: db).rules
        let insert = sql.insert(into: CreditEventEntry.schema)
            .columns("id", "company_id", "kind", "points", "effective", "expires", "source", "source_key", "case_id", "recorded_by", "created_at")
        for event in pending {
            guard let kind = CreditEventKind(rawValue: event.kind) else { continue }
            let day = Calendar.shanghai.day(event.at)
            insert.values(SQLBind(UUID()), SQLBind(event.company_id), SQLBind(kind.rawValue), SQLBind(rules.points(kind)),
                          SQLBind(day), SQLBind(CreditLedger.expiry(of: day, rules: rules)),
                          SQLBind("诉求 \(event.number)：\(Self.caseReason(kind))"), SQLBind("case:" + event.source_key),
                          SQLBind(event.case_id), SQLBind("cases pipeline"), SQLBind(now))
        }
        // Another process may have read the same reports a moment ago: theirs stand.
        try await insert.ignoringConflicts(with: ["source_key"]).run()
        let companies = Set(pending.map(\.company_id))
        try await enforceBlacklist(companies, rules: rules)
        return companies
    }

    /// Sources are written in the deployment's language (Chinese): they are records that
    /// residents, companies and officials read as they stand, in the console and the API.
    static func caseReason(_ kind: CreditEventKind) -> String {
        switch kind {
        case .overdueCase: "超期未答复"
        case .orderIssued: "下发督办单"
        case .orderNotMet: "督办单逾期未办结"
        case .thirdRepeat: "30 日内同一小区同类第三次诉求"
        default: kind.rawValue
        }
    }

    func entries(company: UUID) async throws -> [CreditEntry] {
        try await CreditEventEntry.query(on: db).filter(\.$company.$id == company).all().map(\.entry)
    }

    /// The score on `day` (today when nil), line by line.
    func statement(company: UUID, on day: String? = nil) async throws -> CreditStatement {
        let rules = try await CreditRuleSets.current(on: db).rules
        return CreditLedger.statement(try await entries(company: company), rules: rules, on: day ?? today)
    }

    func blacklisted(_ company: UUID, on day: String? = nil) async throws -> BlacklistEntry? {
        let day = day ?? today
        return try await BlacklistEntry.query(on: db).filter(\.$company.$id == company).filter(\.$since <= day).all()
            .first { $0.until.map { $0 > day } ?? true }
    }

    /// Falling to the blacklist grade puts a company on the blacklist from that day.
    func enforceBlacklist(_ companies: Set<UUID>, rules: CreditRules) async throws {
        for company in companies.sorted(by: { $0.uuidString < $1.uuidString }) {
            let statement = CreditLedger.statement(try await entries(company: company), rules: rules, on: today)
            guard statement.grade == rules.blacklistGrade, try await blacklisted(company) == nil else { continue }
            let entry = BlacklistEntry()
            entry.$company.id = company
            entry.since = today
            entry.reason = "信用等级 \(statement.grade.rawValue)（\(statement.score.pointsText()) 分，\(today)）"
            entry.recordedBy = actor?.username ?? "credit rules"
            try await db.transaction { tx in
                try await entry.create(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "blacklist", entityID: entry.id,
                                          after: ["company": company.uuidString, "reason": entry.reason], at: now)
            }
        }
    }
}

extension CreditService {
    /// A company's file as credit sees it: its statement, blacklist status and whether it may bid.
    struct CompanyCredit: Sendable {
        var company: Company
        var statement: CreditStatement
        var blacklist: BlacklistEntry?
        var eligibility: BidEligibility
        var ruleVersion: Int
    }

    /// Company staff read their own company only; every other role reads any company.
    func companyCredit(_ companyID: UUID, on day: String? = nil) async throws -> CompanyCredit {
        guard let actor else { throw DomainError(.unauthenticated, code: "unauthenticated", message: "log in first") }
        try Policy.require(actor, .read, .creditFile(companyID: companyID), notFound: "company")
        if let day, !Calendar.shanghai.isDay(day) {
            throw DomainError.validation([FieldError(field: "day", reason: "must be a date like 2025-11-22")])
        }
        guard let company = try await Company.find(companyID, on: db) else { throw DomainError.notFound("company") }
        try await ingestCaseEvents()
        let (version, rules) = try await CreditRuleSets.current(on: db)
        let statement = CreditLedger.statement(try await entries(company: companyID), rules: rules, on: day ?? today)
        let blacklist = try await blacklisted(companyID, on: day)
        return CompanyCredit(company: company, statement: statement, blacklist: blacklist,
                             eligibility: BidEligibility.check(grade: statement.grade, blacklisted: blacklist != nil, rules: rules),
                             ruleVersion: version)
    }

    /// Every company's statement on each of `days`, from one read of the ledger.
    func statements(on days: [String]) async throws -> [UUID: [CreditStatement]] {
        try await ingestCaseEvents()
        let rules = try await CreditRuleSets.current(on: db).rules
        let byCompany = Dictionary(grouping: try await CreditEventEntry.query(on: db).all()) { $0.$company.id }
        var out: [UUID: [CreditStatement]] = [:]
        for company in try await Company.properties(on: db).all() {
            let entries = (byCompany[try company.requireID()] ?? []).map(\.entry)
            out[try company.requireID()] = days.map { CreditLedger.statement(entries, rules: rules, on: $0) }
        }
        return out
    }

    /// Every company's score and grade today and the blacklist: what the public side shows.
    func publicList() async throws -> [(Company, CreditStatement, BlacklistEntry?)] {
        let statements = try await statements(on: [today])
        var rows: [(Company, CreditStatement, BlacklistEntry?)] = []
        for company in try await Company.properties(on: db).sort(\.$name).all() {
            guard let statement = statements[try company.requireID()]?.first else { continue }
            rows.append((company, statement, try await blacklisted(try company.requireID())))
        }
        return rows.sorted { ($0.1.score, $1.0.name) > ($1.1.score, $0.0.name) }
    }

    /// A new version of the rule set (bureau admin), checked whole and audited.
    func updateRules(_ rules: CreditRules, note: String?) async throws -> (version: Int, rules: CreditRules) {
        guard let actor else { throw DomainError.forbidden }
        try Policy.require(actor, .update, .creditRules, notFound: "credit rules")
        let problems = rules.problems()
        guard problems.isEmpty else { throw DomainError.validation(problems.map { FieldError(field: "rules." + $0.field, reason: $0.reason) }) }
        let text = try CreditRuleSets.encode(rules)
        return try await db.transaction { tx in
            let current = try await CreditRuleSets.current(on: tx)
            let record = CreditRuleSetRecord()
            record.version = current.version + 1
            record.rules = text
            record.note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
            record.createdBy = actor.username
            try await record.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "creditRules", entityID: record.id,
                                      after: ["version": String(record.version), "rules": text], at: now)
            return (record.version, rules)
        }
    }
}

extension CreditService {
    /// Kinds an official records by hand; the others come from the cases pipeline and inspections.
    static let manualKinds: Set<CreditEventKind> = [.verifiedComplaint, .blacklistReport, .refusedRectification, .commendation, .redProperty]

    /// An entry recorded by an official: the bureau any kind above; a street officer a
    /// verified complaint or a commendation. Audited; a company falling to D is blacklisted.
    func record(company companyID: UUID, kind: CreditEventKind, source: String, effective: String?) async throws -> CreditEventEntry {
        guard let actor else { throw DomainError(.unauthenticated, code: "unauthenticated", message: "log in first") }
        try Policy.require(actor, .create, .creditEntry(kind), notFound: "credit entry")
        var errors: [FieldError] = []
        if !Self.manualKinds.contains(kind) {
            let origin = switch kind {
            case .inspectionFailure: "inspections"
            case .halfYearSatisfaction: "the half-year follow-up figures"
            default: "the cases pipeline"
            }
            errors.append(FieldError(field: "kind", reason: "\(kind.rawValue) entries come from \(origin)"))
        }
        let text = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(4...500).contains(text.count) { errors.append(FieldError(field: "source", reason: "say what happened, 4 to 500 characters")) }
        let day = effective ?? today
        if !Calendar.shanghai.isDay(day) {
            errors.append(FieldError(field: "effective", reason: "must be a date like 2025-11-22"))
        } else if day > today {
            errors.append(FieldError(field: "effective", reason: "cannot be in the future"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard try await Company.find(companyID, on: db) != nil else { throw DomainError.notFound("company") }
        let rules = try await CreditRuleSets.current(on: db).rules
        let id = UUID()
        let entry = CreditEventEntry.make(id: id, company: companyID, kind: kind, points: rules.points(kind), effective: day, rules: rules,
                                          source: text, sourceKey: "manual:\(id)", recordedBy: actor.username)
        try await db.transaction { tx in
            try await entry.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "creditEvent", entityID: entry.id,
                                      after: ["company": companyID.uuidString, "kind": kind.rawValue, "points": String(entry.points), "source": text], at: now)
        }
        try await enforceBlacklist([companyID], rules: rules)
        return entry
    }
}

extension CreditService {
    /// Fewer follow-ups than this in a half-year say too little about satisfaction to earn a bonus.
    static let satisfactionMinimumFollowUps = 20

    /// 满意度加分: every company whose follow-up satisfaction over a completed half-year (the
    /// last two) reached the rule set's rate earns the `halfYearSatisfaction` bonus, effective
    /// the day after the half-year ends — once per company and half-year (a unique source key),
    /// computed from the cases' figures. Run by the timers; returns how many were awarded.
    @discardableResult
    func awardSatisfactionBonuses() async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let rules = try await CreditRuleSets.current(on: db).rules
        let calendar = Calendar.shanghai
        let system = Actor(userID: UUID(), username: "credit rules", role: .bureauAdmin)
        var awarded = 0
        for end in CreditLedger.lastHalfYearEnds(before: today, count: 2) {
            guard let endStart = calendar.start(of: end), let after = calendar.date(byAdding: .day, value: 1, to: endStart),
                  let start = calendar.date(byAdding: .month, value: -6, to: after) else { continue }
            let effective = calendar.day(after)
            guard CreditLedger.expiry(of: effective, rules: rules) > today else { continue }
            let counts = try await CaseFigures(db: db, actor: system).counts(.company, from: start, to: after)
            let insert = sql.insert(into: CreditEventEntry.schema)
                .columns("id", "company_id", "kind", "points", "effective", "expires", "source", "source_key", "recorded_by", "created_at")
            var any = false
            for (key, c) in counts {
                guard let company = UUID(uuidString: key), c.followedUp >= Self.satisfactionMinimumFollowUps,
                      let rate = c.satisfactionRate, rate >= rules.satisfactionBonusRate else { continue }
                let percent = String(format: "%.1f", rate * 100)
                insert.values(SQLBind(UUID()), SQLBind(company), SQLBind(CreditEventKind.halfYearSatisfaction.rawValue),
                              SQLBind(rules.points(.halfYearSatisfaction)), SQLBind(effective), SQLBind(CreditLedger.expiry(of: effective, rules: rules)),
                              SQLBind("回访满意率 \(percent) %（\(c.satisfied)/\(c.followedUp)），半年度截至 \(end)"),
                              SQLBind("satisfaction:\(company):\(end)"), SQLBind("credit rules"), SQLBind(now))
                any = true
            }
            guard any else { continue }
            awarded += try await insert.ignoringConflicts(with: ["source_key"]).returning("id").all().count
        }
        return awarded
    }
}

extension CreditService {
    /// Raises an exit recommendation for every company below the threshold at the end of
    /// the last consecutive half-years, once per company and half-year end (a unique key,
    /// so several processes running this raise it once). Returns how many were raised.
    @discardableResult
    func raiseExitRecommendations() async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let rules = try await CreditRuleSets.current(on: db).rules
        let byCompany = Dictionary(grouping: try await CreditEventEntry.query(on: db).all()) { $0.$company.id }
        // Expulsion (清退) is from managing compounds: contractors are not recommended for it.
        let properties = Set(try await Company.properties(on: db).all().compactMap(\.id))
        var raised = 0
        for (company, entries) in byCompany where properties.contains(company) {
            guard let scores = CreditLedger.exitRecommended(entries.map(\.entry), rules: rules, on: today), let end = scores.first?.0 else { continue }
            let basis = scores.map { "\($0.0) \($0.1.pointsText())" }.joined(separator: "; ")
            let rows = try await sql.insert(into: ExitRecommendation.schema)
                .columns("id", "company_id", "half_year_end", "basis", "status", "created_at")
                .values(SQLBind(UUID()), SQLBind(company), SQLBind(end), SQLBind(basis), SQLBind(ExitRecommendation.Status.pending.rawValue), SQLBind(now))
                .ignoringConflicts(with: ["company_id", "half_year_end"]).returning("id").all()
            raised += rows.count
        }
        return raised
    }

    /// The bureau confirms or rejects a pending recommendation, with a reason either way.
    /// Confirming names the day the company's contracts end (from today to 180 days on): in
    /// the same transaction its contracts are cut to that day and the lots its compounds lie
    /// in are opened for a new tender (`ExitConsequences`).
    func decide(exit id: UUID, confirm: Bool, reason: String, endDate: String? = nil) async throws -> ExitRecommendation {
        // Confirming or rejecting is the bureau's, whatever the recommendation's status.
        guard let actor, Policy.allows(actor, .update, .exitRecommendation(confirmed: false)) else { throw DomainError.forbidden }
        var errors: [FieldError] = []
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(4...1000).contains(text.count) { errors.append(FieldError(field: "reason", reason: "give the reason, 4 to 1000 characters")) }
        if confirm { errors += ExitConsequences.problems(endDate: endDate, today: today) }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard let recommendation = try await ExitRecommendation.find(id, on: db) else { throw DomainError.notFound("exit recommendation") }
        let status: ExitRecommendation.Status = confirm ? .confirmed : .rejected
        try await db.transaction { tx in
            // Claimed on its pending status: of two decisions at once, one lands.
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            let claimed = try await Claim.rows(sql.update(ExitRecommendation.schema).set("status", to: status.rawValue).set("reason", to: text)
                .set("decided_by", to: actor.username).set("decided_at", to: now).set("end_date", to: confirm ? endDate : nil)
                .where("id", .equal, id).where("status", .equal, ExitRecommendation.Status.pending.rawValue))
            guard claimed == 1 else {
                throw DomainError(.conflict, code: "already_decided", message: "this recommendation was \(recommendation.status.rawValue) already")
            }
            recommendation.status = status
            recommendation.reason = text
            recommendation.decidedBy = actor.username
            recommendation.decidedAt = now
            recommendation.endDate = confirm ? endDate : nil
            var after = ["status": recommendation.status.rawValue, "reason": text]
            if confirm, let endDate {
                let effects = try await ExitConsequences.apply(company: recommendation.$company.id, endDate: endDate, on: tx)
                after["endDate"] = endDate
                after["contractsCut"] = effects.contracts.joined(separator: ", ")
                after["lotsReopened"] = effects.lots.joined(separator: ", ")
            }
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "exitRecommendation", entityID: recommendation.id,
                                      after: after, at: now)
        }
        return recommendation
    }
}
