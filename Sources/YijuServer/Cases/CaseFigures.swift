import Fluent
import Foundation
import SQLKit
import YijuCore

/// Figures per street office, company, department or domain for a period, against the
/// same period a year earlier: response, resolution, satisfaction and on-time rates,
/// overdue and repeat counts, cases per 1,000 households. Whole days are read from the
/// daily roll-up (`CaseFigureRollUp`), so a year stays fast on a million cases.
struct CaseFigures {
    enum Grouping: String, CaseIterable, Sendable {
        case streetOffice, company, department, domain

        var column: String {
            switch self {
            case .streetOffice: "street_office_id"
            case .company: "handler_company_id"
            case .department: "handler_department_id"
            case .domain: "domain"
            }
        }
    }

    struct Counts: Sendable, Equatable {
        var total = 0, dispatched = 0, acceptedInTime = 0, resolved = 0, followedUp = 0, satisfied = 0
        var replied = 0, onTime = 0, overdue = 0, repeats = 0, green = 0

        static func + (a: Counts, b: Counts) -> Counts {
            Counts(total: a.total + b.total, dispatched: a.dispatched + b.dispatched, acceptedInTime: a.acceptedInTime + b.acceptedInTime,
                   resolved: a.resolved + b.resolved, followedUp: a.followedUp + b.followedUp, satisfied: a.satisfied + b.satisfied,
                   replied: a.replied + b.replied, onTime: a.onTime + b.onTime, overdue: a.overdue + b.overdue, repeats: a.repeats + b.repeats,
                   green: a.green + b.green)
        }

        static func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
        /// Accepted in time / dispatched.
        var responseRate: Double? { Self.rate(acceptedInTime, dispatched) }
        /// Replied or closed (green included) / all.
        var resolutionRate: Double? { Self.rate(resolved, total) }
        /// (Satisfied + basically satisfied) / follow-ups. Every dissatisfied follow-up reopened
    /// the case once, so the follow-ups are the satisfied ones plus the reopenings.
        var satisfactionRate: Double? { Self.rate(satisfied, followedUp) }
        /// Replied without going overdue / replied.
        var onTimeRate: Double? { Self.rate(onTime, replied) }
    }

    struct Row: Sendable {
        var key: String
        var name: String
        var households: Int?
        var current: Counts
        var previous: Counts

        var perThousandHouseholds: Double? { households.flatMap { $0 > 0 ? Double(current.total) * 1000 / Double($0) : nil } }
        /// This period against the same period last year, as a fraction (−0.52 is "down 52 %").
        var change: Double? { previous.total == 0 ? nil : Double(current.total - previous.total) / Double(previous.total) }
    }

    struct Report: Sendable {
        var from: Date
        var to: Date
        var rows: [Row]
        var total: Row
    }

    let db: any Database
    let actor: Actor

    /// The actor's scope as a SQL condition: the bureau and the hotline see the district.
    /// The roll-ups name the handler columns without "handler_".
    private func scope(overCases: Bool) -> SQLQueryString? {
        let prefix = overCases ? "handler_" : ""
        switch CasePolicy.ledgerScope(actor) {
        case .district: return nil
        case .streetOffice(let office): return "street_office_id = \(bind: office)"
        case .company(let company): return "\(unsafeRaw: prefix)company_id = \(bind: company)"
        case .department(let department): return "\(unsafeRaw: prefix)department_id = \(bind: department)"
        case .nothing: return "1 = 0"
        }
    }

    /// The counts for [from, to), each part from the source that answers it exactly (see
    /// `CaseFigureRollUp.pieces`).
    func counts(_ grouping: Grouping, from: Date, to: Date) async throws -> [String: Counts] {
        var out: [String: Counts] = [:]
        for piece in CaseFigureRollUp.pieces(from: from, to: to) {
            out.merge(try await counts(grouping, piece), uniquingKeysWith: +)
        }
        return out
    }

    func counts(_ grouping: Grouping, _ piece: CaseFigureRollUp.Piece) async throws -> [String: Counts] {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let overCases: Bool, table: String, period: SQLQueryString
        switch piece {
        case .cases(let from, let to):
            (overCases, table, period) = (true, "cases", "received_at >= \(bind: from) AND received_at < \(bind: to)")
        case .days(let from, let to):
            (overCases, table, period) = (false, CaseFigureRollUp.days.table, "day >= \(bind: from) AND day < \(bind: to)")
        case .months(let from, let to):
            (overCases, table, period) = (false, CaseFigureRollUp.months.table, "month >= \(bind: from) AND month < \(bind: to)")
        }
        let column = overCases || grouping == .domain || grouping == .streetOffice ? grouping.column
            : grouping == .company ? "company_id" : "department_id"
        var query: SQLQueryString = "SELECT \(unsafeRaw: column) AS key, \(unsafeRaw: CaseFigureRollUp.sums(overCases: overCases)) FROM \(unsafeRaw: table) WHERE "
        query.appendInterpolation(period)
        if let scope = scope(overCases: overCases) {
            query.appendLiteral(" AND ")
            query.appendInterpolation(scope)
        }
        query.appendLiteral(" GROUP BY \(column)")
        struct Raw: Decodable {
            var total: Int?, dispatched: Int?, accepted_in_time: Int?, resolved: Int?, followed_up: Int?, satisfied: Int?
            var replied: Int?, on_time: Int?, overdue: Int?, repeats: Int?, green: Int?
        }
        var out: [String: Counts] = [:]
        for row in try await sql.raw(query).all() {
            // Group keys are ids (street office, company, department) or a domain's name; a
            // case without a company or department groups under "".
            let key: String
            if grouping == .domain {
                key = (try? row.decode(column: "key", as: String?.self)) ?? nil ?? ""
            } else {
                let id = (try? row.decode(column: "key", as: UUID?.self)) ?? nil
                key = id == nil || id == CaseFigureRollUp.none ? "" : id!.uuidString
            }
            let r = try row.decode(model: Raw.self, keyDecodingStrategy: .useDefaultKeys)
            // A group whose cases all moved elsewhere leaves a row of zeros in the roll-up.
            guard let total = r.total, total > 0 else { continue }
            out[key, default: Counts()] = out[key, default: Counts()] + Counts(
                total: total, dispatched: r.dispatched ?? 0, acceptedInTime: r.accepted_in_time ?? 0, resolved: r.resolved ?? 0,
                followedUp: r.followed_up ?? 0, satisfied: r.satisfied ?? 0, replied: r.replied ?? 0, onTime: r.on_time ?? 0,
                overdue: r.overdue ?? 0, repeats: r.repeats ?? 0, green: r.green ?? 0)
        }
        return out
    }

    /// The figures for [from, to) and for the same dates a year earlier.
    func report(_ grouping: Grouping, from: Date, to: Date) async throws -> Report {
        guard from < to else { throw DomainError.validation([FieldError(field: "to", reason: "must be after from")]) }
        let calendar = Calendar.shanghai
        let previousFrom = calendar.date(byAdding: .year, value: -1, to: from)!, previousTo = calendar.date(byAdding: .year, value: -1, to: to)!
        let current = try await counts(grouping, from: from, to: to)
        let previous = try await counts(grouping, from: previousFrom, to: previousTo)
        // One read of the registry for the group names' households and the district's.
        let compounds = try await Compound.query(on: db).all()
        let (names, households) = try await labels(grouping, compounds)
        let keys = Set(current.keys).union(previous.keys)
        let rows = keys.map { key in
            Row(key: key, name: names[key] ?? (key.isEmpty ? "—" : key), households: households[key],
                current: current[key] ?? Counts(), previous: previous[key] ?? Counts())
        }.sorted { ($0.current.total, $0.name) > ($1.current.total, $1.name) }
        // Summed here: PostgreSQL's SUM over a bigint column is numeric, which Fluent does not read as Int.
        let districtHouseholds = compounds.reduce(0) { $0 + $1.households }
        let scopeHouseholds: Int? = switch CasePolicy.ledgerScope(actor) {
        case .streetOffice, .company: rows.compactMap(\.households).reduce(0, +)
        case .district, .department, .nothing: districtHouseholds
        }
        let total = Row(key: "", name: "", households: scopeHouseholds,
                        current: rows.map(\.current).reduce(Counts(), +), previous: rows.map(\.previous).reduce(Counts(), +))
        return Report(from: from, to: to, rows: rows, total: total)
    }

    /// Display names and, where the group owns compounds, their households.
    private func labels(_ grouping: Grouping, _ compounds: [Compound]) async throws -> ([String: String], [String: Int]) {
        var names: [String: String] = [:], households: [String: Int] = [:]
        switch grouping {
        case .streetOffice:
            for o in try await StreetOffice.query(on: db).all() { names[try o.requireID().uuidString] = o.name }
            for c in compounds { households[c.$streetOffice.id.uuidString, default: 0] += c.households }
        case .company:
            for o in try await Company.query(on: db).all() { names[try o.requireID().uuidString] = o.name }
            for c in compounds { if let company = c.$company.id { households[company.uuidString, default: 0] += c.households } }
        case .department:
            for o in try await Department.query(on: db).all() { names[try o.requireID().uuidString] = o.name }
        case .domain:
            for d in CaseDomain.allCases { names[d.rawValue] = Labels.zh(d) }
        }
        return (names, households)
    }
}
