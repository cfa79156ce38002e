import Foundation
import YijuCore

/// A company's file (一企一档): its registration, credit, contracts, inspections and open
/// orders, its cases of the last year and the compounds it manages. Company staff looking at
/// another company see its registry facts only (`file` nil).
struct CompanyPage: Encodable {
    /// A contract the company holds or held: current, awarded and not started yet, or ended.
    struct ContractRow: Encodable {
        var code: String
        var fee: String
        var start: String
        var end: String
        var state: String
        var compounds: Int
    }

    /// The company's cases over the last twelve months, against the twelve before.
    struct FiguresSection: Encodable {
        var total: Int, previous: Int, change: String, perThousand: String
        var response: String, resolution: String, satisfaction: String, onTime: String
        var overdue: Int, repeats: Int

        init(_ row: CaseFigures.Row) {
            func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "—" }
            total = row.current.total
            previous = row.previous.total
            change = row.change.map { String(format: "%+.0f %%", $0 * 100) } ?? "—"
            perThousand = row.perThousandHouseholds.map { String(format: "%.1f", $0) } ?? "—"
            response = percent(row.current.responseRate)
            resolution = percent(row.current.resolutionRate)
            satisfaction = percent(row.current.satisfactionRate)
            onTime = percent(row.current.onTimeRate)
            overdue = row.current.overdue
            repeats = row.current.repeats
        }
    }

    /// The credit file: score, grade, blacklist, whether it may bid, and every entry explained.
    struct CreditSection: Encodable {
        struct Line: Encodable {
            var kind: String
            var points: String
            var effective: String
            var expires: String
            var source: String
            var status: String
            var counted: Bool
        }

        var day: String
        var score: String
        var grade: String
        var base: String
        var deductions: String
        var bonuses: String
        var blacklisted: Bool
        var blacklistReason: String
        var mayBid: Bool
        var bidRefusal: String
        var ruleVersion: Int
        var lines: [Line]

        init(_ credit: CreditService.CompanyCredit, _ lang: Language) {
            let s = credit.statement
            day = s.day
            score = s.score.pointsText()
            grade = s.grade.rawValue
            base = s.base.pointsText()
            deductions = s.deductions.pointsText()
            bonuses = s.bonuses.pointsText(signed: true)
            blacklisted = credit.blacklist != nil
            blacklistReason = credit.blacklist.map { "\($0.since): \($0.reason)" } ?? ""
            mayBid = credit.eligibility == .eligible
            bidRefusal = lang.refusal(credit.eligibility, grade: s.grade)
            ruleVersion = credit.ruleVersion
            lines = s.lines.map {
                .init(kind: lang.label($0.entry.kind), points: $0.entry.points.pointsText(signed: true), effective: $0.entry.effective,
                      expires: $0.entry.expires, source: $0.entry.source, status: lang.label($0.status), counted: $0.counted)
            }
        }
    }

    var company: CompanyRow
    var registrationNumber: String
    var credit: CreditSection?
    var contracts: [ContractRow]
    var inspections: [InspectionRow]
    var orders: [RectificationRow]
    var figures: FiguresSection?
    var areas: [String]
    var compounds: [CompoundRow]
    /// A contractor's renovation projects (参建) the reader may see, with its part on each.
    var engagements: [EngagementRow]
    /// A contractor's own record (施工记录), as label and figure.
    var contractorRecord: [Fact]?
    var isContractor: Bool
    var canEdit: Bool
    var updateAction: String
    var errors: [FieldError]

    struct EngagementRow: Encodable {
        var link: String
        var code: String
        var name: String
        var year: Int
        var part: String
        var lead: String
        var status: String
    }

    init(_ company: Company, totals: RegistryCounts.CompanyTotals?, file: CompanyFile?, contracts: [CompanyFile.ContractLine],
         compounds: [Compound], engagements: [RenovationEngagement], actor: Actor, today: String, errors: [FieldError], _ lang: Language) throws {
        let t = lang.strings
        let id = try company.requireID()
        self.company = try CompanyRow(company, totals, lang)
        registrationNumber = company.registrationNumber
        isContractor = company.kind.isContractor
        // The property grade is not a contractor's: its record is its own (the engagements below).
        credit = isContractor ? nil : file.map { CreditSection($0.credit, lang) }
        self.engagements = try engagements.map { e in
            let p = e.project
            return EngagementRow(link: ConsolePath.renovationProject(.value(try p.requireID())).path, code: p.code, name: p.name, year: p.year,
                                 part: t["contractorRole." + e.role.rawValue]!, lead: e.leadName, status: t["projectStatus." + p.status.rawValue]!)
        }
        contractorRecord = file?.contractorRecord.map { r in
            [("recordCases", "\(r.cases)"), ("recordOpenCases", "\(r.openCases)"), ("recordOverdueCases", "\(r.overdueCases)"),
             ("recordInspections", "\(r.inspections)"), ("recordFailedItems", "\(r.failedItems)"), ("recordOpenOrders", "\(r.openOrders)"),
             ("recordOverdueOrders", "\(r.overdueOrders)"), ("recordAwaiting", "\(r.awaitingVerification)"), ("recordNotRectified", "\(r.notRectified)"),
             ("recordDiary", "\(r.daysWithFindings) / \(r.diaryDays)")].map { Fact(label: t[$0.0]!, value: $0.1) }
        }
        self.contracts = contracts.map { line in
            let key = switch line.state { case .current: "contractCurrent"; case .notStarted: "contractPending"; case .ended: "contractEnded" }
            let c = line.contract
            return ContractRow(code: c.code, fee: Format.fen(c.feeRateFen), start: c.startDate, end: c.endDate, state: t[key] ?? key, compounds: line.compounds)
        }
        inspections = try file?.inspections.map { try InspectionRow($0, t) } ?? []
        orders = file?.openOrders.map { RectificationRow($0, t, today: today) } ?? []
        figures = file?.caseFigures.map(FiguresSection.init)
        areas = file?.areas.map(\.code) ?? []
        self.compounds = try compounds.map { try CompoundRow($0, lang) }
        canEdit = Policy.allows(actor, .update, .company(id: id))
        updateAction = ConsolePath.company(.value(id)).path
        self.errors = errors
    }
}
