import Foundation
import YijuCore

/// A case as a row of the colour ledger.
struct CaseRow: Encodable {
    var link: String
    var number: String
    var colour: String
    var colourLabel: String
    var received: String
    var compound: String
    var domain: String
    var handler: String
    var state: String
    var stateLabel: String
    var due: String
    var overdue: Bool
    var repeatCount: Int
    var escalated: Bool
    var unanswered: Bool

    /// Expects the case's compound, street office and handler loaded.
    init(_ c: CaseRecord, _ lang: Language, now: Date) throws {
        link = ConsolePath.caseRecord(.value(try c.requireID())).path
        number = c.number
        colour = c.colour.rawValue
        colourLabel = lang.label(c.colour)
        received = Format.dateTime(c.receivedAt)
        compound = "\(c.compound.code) \(c.compound.name)"
        domain = lang.label(c.domain)
        handler = c.handlerName
        state = c.state.rawValue
        stateLabel = lang.label(c.state)
        due = c.dueAt.map(Format.dateTime) ?? ""
        overdue = c.overdueAt != nil || (c.state.isOpen && c.state != .replied && c.state != .followedUp && (c.dueAt.map { $0 < now } ?? false))
        repeatCount = c.repeatCount
        escalated = c.escalatedAt != nil
        unanswered = c.unansweredAt != nil
    }
}

extension CaseRecord {
    /// Who handles the case, by name: its company, its department or its street office.
    var handlerName: String {
        loadedCompany?.name ?? loadedDepartment?.name ?? (handlerKind == .streetOffice ? streetOffice.name : "—")
    }
}

/// The colour ledger (三色台账): every role's inbox through the same page, filtered, with
/// the bureau's and the street office's "needs attention" counts.
struct LedgerPage: Encodable {
    struct Attention: Encodable {
        var label: String
        var count: Int
        var link: String
    }

    /// The filters the ledger takes, as the query names them.
    static let filterKeys = ["colour", "state", "domain", "overdue", "repeat", "open", "escalated", "unanswered", "missedCheckIn", "q"]
    static let pageSize = 50

    var rows: [CaseRow]
    var total: Int
    var filters: [String: String]
    var colours: [Option]
    var states: [Option]
    var domains: [Option]
    var mayTakeIn: Bool
    var attention: [Attention]?
    var prev: String?
    var next: String?
    var links = Links()

    struct Links: Encodable {
        var filter = ConsolePath.cases.path
        var newCase = ConsolePath.newCase.path
        var figures = ConsolePath.caseFigures.path
        var exportCSV = ConsolePath.casesExport(.csv).path
        var exportXLSX = ConsolePath.casesExport(.xlsx).path
    }

    /// `filters` are the query's, every key of `filterKeys` present; `attention` the counts
    /// for those who watch them.
    init(items: [CaseRecord], total: Int, offset: Int, filters: [String: String], attention: [(key: String, count: Int)]?,
         actor: Actor, now: Date, _ lang: Language) throws {
        rows = try items.map { try CaseRow($0, lang, now: now) }
        self.total = total
        self.filters = filters
        colours = CaseColour.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["colour"] == $0.rawValue) }
        states = CaseState.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["state"] == $0.rawValue) }
        domains = CaseDomain.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: filters["domain"] == $0.rawValue) }
        mayTakeIn = !CasePolicy.intakeChannels(actor).isEmpty
        self.attention = attention?.map {
            Attention(label: lang.strings[$0.key] ?? $0.key, count: $0.count, link: ConsolePath.cases.with(["open": "1", $0.key: "1"]))
        }
        func link(_ offset: Int) -> String { ConsolePath.cases.with(filters.merging(["offset": String(offset)]) { a, _ in a }) }
        prev = offset > 0 ? link(max(0, offset - Self.pageSize)) : nil
        next = offset + Self.pageSize < total ? link(offset + Self.pageSize) : nil
    }
}

/// The intake form: the channels the user takes cases in from, and what was typed.
struct IntakePage: Encodable {
    var channels: [Option]
    var domains: [Option]
    var values: [String: String]
    var errors: [FieldError]
    var action = ConsolePath.cases.path
    var suggestions = ConsolePath.compoundSuggestions.path

    init(actor: Actor, values: [String: String], errors: [FieldError], _ lang: Language) {
        channels = CasePolicy.intakeChannels(actor).map { Option(value: $0.rawValue, label: lang.label($0), selected: values["channel"] == $0.rawValue) }
        domains = CaseDomain.allCases.map { Option(value: $0.rawValue, label: lang.label($0), selected: values["domain"] == $0.rawValue) }
        self.values = values
        self.errors = errors
    }
}

/// A case: its facts, routing, timeline, summoned departments, orders and photos, and the
/// steps the user may take now.
struct CasePage: Encodable {
    struct TimelineRow: Encodable {
        var at: String
        var actor: String
        var kind: String
        var note: String
    }

    struct SummonsRow: Encodable {
        var department: String
        var checkInBy: String
        var checkedIn: String
        var reported: String
        var missed: Bool
    }

    struct OrderRow: Encodable {
        var issued: String
        var due: String
        var met: String
        var escalated: String
    }

    struct Links: Encodable {
        var ledger = ConsolePath.cases.path
        var steps: String
        var phone: String
        var photos: String
    }

    var facts: [Fact]
    var colour: String
    var state: String
    var stateLabel: String
    var routing: [String]
    var timeline: [TimelineRow]
    var summons: [SummonsRow]
    var orders: [OrderRow]
    var photos: [String]
    var phone: String
    var mayRevealPhone: Bool
    /// A step's kind → ready now (true) or waiting for something first (false); absent: not offered.
    var steps: [String: Bool]
    var departments: [Option]
    var companies: [Option]
    var satisfactions: [Option]
    var pendingExtension: Int?
    var message: String?
    var links: Links

    /// Expects the case's compound, street office and handler loaded, the summons' departments;
    /// `companies` only when a re-dispatch is offered; `revealedPhone` when the user just asked for it.
    init(_ loaded: CaseService.Loaded, steps: [CaseStepKind: Bool], photos: [UUID], departments: [Department], companies: [Company],
         actor: Actor, revealedPhone: String?, message: String?, _ lang: Language) throws {
        let t = lang.strings
        let c = loaded.record
        let id = try c.requireID()
        let scope = loaded.scope
        let place = "\(c.compound.code) \(c.compound.name)" + [c.building, c.unit].compactMap { $0 }.map { " \($0)" }.joined()
        var flags: [String] = []
        if c.repeatCount > 1 { flags.append("\(t["repeat"]!) ×\(c.repeatCount)") }
        if c.reopenCount > 0 { flags.append("\(t["reopened"]!) ×\(c.reopenCount)") }
        if c.unansweredAt != nil { flags.append(t["unanswered"]!) }
        if c.overdueAt != nil { flags.append(t["overdue"]!) }
        if c.escalatedAt != nil { flags.append(t["escalated"]!) }
        if c.urgency == .urgent { flags.append(t["urgent"]!) }
        if let s = c.satisfaction { flags.append(lang.label(s)) }
        facts = [
            Fact(label: t["caseNumber"]!, value: c.number + (c.externalNumber.map { " · \($0)" } ?? "")),
            Fact(label: t["channel"]!, value: lang.label(c.channel)),
            Fact(label: t["received"]!, value: Format.dateTime(c.receivedAt)),
            Fact(label: t["compound"]!, value: place),
            Fact(label: t["streetOffice"]!, value: c.streetOffice.name),
            Fact(label: t["domain"]!, value: lang.label(c.domain)),
            Fact(label: t["reporter"]!, value: c.reporterName),
            Fact(label: t["handler"]!, value: c.handlerName),
            Fact(label: t["due"]!, value: c.dueAt.map(Format.dateTime) ?? "—"),
            Fact(label: t["flags"]!, value: flags.joined(separator: " · ")),
            Fact(label: t["description"]!, value: c.description),
        ]
        if let resolution = c.resolution { facts.append(Fact(label: t["resolution"]!, value: resolution)) }
        colour = c.colour.rawValue
        state = c.state.rawValue
        stateLabel = lang.label(c.state)
        routing = c.routing.split(separator: "\n").map(String.init)
        timeline = loaded.events.map { TimelineRow(at: Format.dateTime($0.at), actor: $0.actorName, kind: t["event." + $0.kind] ?? $0.kind, note: $0.note) }
        summons = loaded.summons.map {
            SummonsRow(department: $0.$department.value?.name ?? "", checkInBy: Format.dateTime($0.checkInBy),
                       checkedIn: $0.checkedInAt.map(Format.dateTime) ?? "", reported: $0.reportedAt.map(Format.dateTime) ?? "", missed: $0.missedAt != nil)
        }
        orders = loaded.orders.map {
            OrderRow(issued: Format.dateTime($0.issuedAt), due: Format.dateTime($0.dueAt), met: $0.metAt.map(Format.dateTime) ?? "",
                     escalated: $0.escalatedAt.map(Format.dateTime) ?? "")
        }
        self.photos = photos.map { ConsolePath.casePhoto(.value(id), photo: .value($0)).path }
        let seesPhone = CasePolicy.maySeePhone(actor, scope)
        phone = revealedPhone ?? (seesPhone ? c.reporterPhone : CasePolicy.mask(c.reporterPhone))
        mayRevealPhone = revealedPhone == nil && !seesPhone && CasePolicy.mayRevealPhone(actor, scope)
        var offered: [String: Bool] = [:]
        for (kind, ready) in steps { offered[kind.rawValue] = ready }
        self.steps = offered
        self.departments = try departments.filter { d in !loaded.summons.contains { $0.$department.id == d.id } }
            .map { Option(value: try $0.requireID().uuidString, label: $0.name) }
        self.companies = try companies.map { Option(value: try $0.requireID().uuidString, label: $0.name) }
        satisfactions = Satisfaction.allCases.map { Option(value: $0.rawValue, label: lang.label($0)) }
        pendingExtension = c.pendingExtension
        self.message = message
        links = Links(steps: ConsolePath.caseRecord(.value(id), .steps).path, phone: ConsolePath.caseRecord(.value(id), .phone).path,
                      photos: ConsolePath.caseRecord(.value(id), .photos).path)
    }
}

/// Case figures for any period against the same period a year earlier, by street office,
/// company, department or domain.
struct CaseFiguresPage: Encodable {
    struct Row: Encodable {
        var name: String
        var total: Int
        var previous: Int
        var change: String
        var down: Bool
        var responseRate: String
        var resolutionRate: String
        var satisfactionRate: String
        var onTimeRate: String
        var overdue: Int
        var repeats: Int
        var perThousand: String

        init(_ r: CaseFigures.Row, name: String) {
            self.name = name
            total = r.current.total
            previous = r.previous.total
            change = r.change.map { String(format: "%+.1f%%", $0 * 100) } ?? "—"
            down = (r.change ?? 0) < 0
            responseRate = Format.percent(r.current.responseRate)
            resolutionRate = Format.percent(r.current.resolutionRate)
            satisfactionRate = Format.percent(r.current.satisfactionRate)
            onTimeRate = Format.percent(r.current.onTimeRate)
            overdue = r.current.overdue
            repeats = r.current.repeats
            perThousand = r.perThousandHouseholds.map { String(format: "%.1f", $0) } ?? "—"
        }
    }

    var from: String
    var to: String
    var groupBy: String
    var groupings: [Option]
    var rows: [Row]
    var total: Row
    var filter = ConsolePath.caseFigures.path
    var exportCSV = ConsolePath.casesExport(.csv).path

    init(_ report: CaseFigures.Report, grouping: CaseFigures.Grouping, from: String, to: String, _ lang: Language) {
        self.from = from
        self.to = to
        groupBy = grouping.rawValue
        groupings = CaseFigures.Grouping.allCases.map { Option(value: $0.rawValue, label: lang.strings["by." + $0.rawValue] ?? $0.rawValue, selected: $0 == grouping) }
        rows = report.rows.map { row in
            Row(row, name: grouping == .domain ? (CaseDomain(rawValue: row.key).map { lang.label($0) } ?? row.name) : row.name)
        }
        total = Row(report.total, name: lang.strings["total"]!)
    }
}

/// The bureau's case settings: the rule set, the routing table and a year's calendar.
struct CaseSettingsPage: Encodable {
    struct RuleField: Encodable {
        var key: String
        var label: String
        var value: Int
    }

    struct RoutingRow: Encodable {
        var domain: String
        var label: String
        var options: [Option]
        /// While a compound's renovation works are on, the builder takes it.
        var duringWorks: Bool
    }

    var rules: [RuleField]
    var routing: [RoutingRow]
    var year: Int
    var calendarText: String
    var errors: [FieldError]
    var saved: Bool
    var saveAction = ConsolePath.caseSettings.path
    var calendarAction = ConsolePath.caseCalendar.path

    /// The rule set's numbers as the form names them, in the form's order.
    static func ruleFields(_ r: CaseRules) -> [(String, Int)] {
        [("yellowWorkingDays", r.yellowWorkingDays), ("redWorkingDays", r.redWorkingDays), ("acceptWorkingDays", r.acceptWorkingDays),
         ("returnWorkingDays", r.returnWorkingDays), ("maxExtensions", r.maxExtensions), ("maxExtensionWorkingDays", r.maxExtensionWorkingDays),
         ("orderWorkingDays", r.orderWorkingDays), ("repeatWindowDays", r.repeatWindowDays), ("repeatEscalation", r.repeatEscalation),
         ("whistleCheckInHours", r.whistleCheckInHours)]
    }

    init(_ settings: CaseSettings, year: Int, days: [CalendarDay], errors: [FieldError], saved: Bool, _ lang: Language) {
        rules = Self.ruleFields(settings.rules).map { RuleField(key: $0.0, label: lang.strings["rule." + $0.0] ?? $0.0, value: $0.1) }
        let targets = [RouteTarget.manager] + DepartmentKind.allCases.map { RouteTarget.department($0) }
        routing = CaseDomain.allCases.map { domain in
            RoutingRow(domain: domain.rawValue, label: lang.label(domain), options: targets.map { target in
                let label = switch target {
                case .manager: lang.strings["routeManager"]!
                case .department(let kind): lang.label(kind)
                }
                return Option(value: target.key, label: label, selected: settings.routing.target(domain) == target)
            }, duringWorks: settings.routing.duringWorks.contains(domain))
        }
        self.year = year
        calendarText = days.map { "\($0.day) \($0.kind.rawValue) \($0.name)" }.joined(separator: "\n")
        self.errors = errors
        self.saved = saved
    }
}
