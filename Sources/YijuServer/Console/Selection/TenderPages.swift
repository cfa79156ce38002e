import Foundation
import YijuCore

/// 选聘's start page: every tender, and the notice form for the open lots the actor organises.
struct TendersPage: Encodable {
    struct Row: Encodable {
        var link: String, code: String, status: String, noticeDay: String, deadline: String, startDate: String
    }

    struct LotRow: Encodable {
        var id: String, code: String
    }

    var tenders: [Row]
    var openLots: [LotRow]
    var mayOpen: Bool
    var errors: [FieldError]
    var openAction = ConsolePath.tenders.path

    /// `lots` are the open lots the actor may tender.
    init(tenders: [Tender], lots: [TenderLot], errors: [FieldError], _ t: [String: String]) throws {
        self.tenders = try tenders.map {
            Row(link: ConsolePath.tender(.value(try $0.requireID())).path, code: $0.code, status: t["tender." + $0.status.rawValue] ?? $0.status.rawValue,
                noticeDay: $0.noticeDay, deadline: Format.dateTime($0.bidDeadline), startDate: $0.startDate)
        }
        openLots = try lots.map { LotRow(id: try $0.requireID().uuidString, code: $0.code) }
        mayOpen = !lots.isEmpty
        self.errors = errors
    }
}

/// A tender: its notice, every company's eligibility, the bids (sealed until the deadline),
/// the panel's scores and ranking, and the award.
struct TenderPage: Encodable {
    struct EligibilityRow: Encodable {
        var company: String, grade: String, score: String, eligible: Bool, reason: String
    }

    struct BidRow: Encodable {
        var company: String, price: String, stations: Int, staff: Int, machines: Int, plan: String, submitted: String
    }

    struct RankRow: Encodable {
        var rank: Int, company: String, price: Double, servicePlan: Double, credit: Double, resources: Double, total: Double
        var panel: String
        var scoredByMe: Bool
        var scoreAction: String
    }

    struct AwaitedRow: Encodable {
        var link: String, code: String, name: String, status: String
    }

    var code: String, lot: String, status: String, noticeDay: String, deadline: String, startDate: String, termYears: Int
    /// The renovation projects whose completion starts the contract.
    var awaits: [AwaitedRow]
    var weights: TenderWeights
    var sealed: Bool
    var bidCount: Int
    var eligibility: [EligibilityRow]
    var bids: [BidRow]
    var ranking: [RankRow]
    var mayBid: Bool
    /// Company staff bid for their own company; the bureau picks one.
    var bidCompanies: [Option]
    var mayScore: Bool
    var mayAward: Bool
    var contract: String?
    var errors: [FieldError]
    var bidAction: String
    var awardAction: String

    /// `view` is what the actor may see of the tender (`TenderService.view`); `scores` the
    /// panel's; `contract` the awarded contract, if any.
    init(_ view: TenderService.View, scores: [PanelScore], contract: Contract?, actor: Actor, now: Date, errors: [FieldError], _ lang: Language) throws {
        let tender = view.tender
        let id = try tender.requireID()
        let t = lang.strings
        let office = tender.lot.$streetOffice.id
        let sealed = now < tender.bidDeadline
        let open = tender.status == .open
        let organiser = Policy.allows(actor, .update, .tender(streetOfficeID: office))
        code = tender.code
        lot = tender.lot.code
        status = t["tender." + tender.status.rawValue] ?? tender.status.rawValue
        noticeDay = tender.noticeDay
        deadline = Format.dateTime(tender.bidDeadline)
        startDate = tender.startDate
        termYears = tender.termYears
        awaits = try (tender.$awaited.value ?? []).map { wait in
            AwaitedRow(link: ConsolePath.renovationProject(.value(try wait.project.requireID())).path, code: wait.project.code,
                       name: wait.project.name, status: t["projectStatus." + wait.project.status.rawValue] ?? wait.project.status.rawValue)
        }
        weights = tender.weights
        self.sealed = sealed
        bidCount = view.bidCount
        eligibility = view.eligibility.map { row in
            EligibilityRow(company: row.company.name, grade: row.statement.grade.rawValue, score: row.statement.score.pointsText(),
                           eligible: row.eligibility == .eligible, reason: lang.refusal(row.eligibility, grade: row.statement.grade))
        }
        bids = view.bids.map { BidRow(company: $0.company.name, price: Format.fen($0.priceFen), stations: $0.stations,
                                      staff: $0.staff, machines: $0.machines, plan: $0.servicePlan, submitted: Format.dateTime($0.submittedAt)) }
        ranking = try view.ranking.map { pair in
            let bid = try pair.bid.requireID()
            let mine = scores.filter { $0.$bid.id == bid }
            return RankRow(rank: pair.ranked.rank, company: pair.bid.company.name, price: pair.ranked.price,
                           servicePlan: pair.ranked.servicePlan, credit: pair.ranked.credit, resources: pair.ranked.resources, total: pair.ranked.total,
                           panel: mine.map { "\($0.memberName) \(Int($0.score))" }.joined(separator: ", "),
                           scoredByMe: mine.contains { $0.memberID == actor.userID },
                           scoreAction: ConsolePath.bidScore(tender: .value(id), bid: .value(bid)).path)
        }
        bidCompanies = try view.eligibility.filter { $0.eligibility == .eligible }
            .filter { Policy.allows(actor, .create, .bid(streetOfficeID: office, companyID: try $0.company.requireID(), sealed: true)) }
            .map { Option(value: try $0.company.requireID().uuidString, label: $0.company.name) }
        mayBid = open && sealed && !bidCompanies.isEmpty
        mayScore = open && !sealed && organiser
        mayAward = open && !sealed && Policy.allows(actor, .update, .tenderAward)
        self.contract = contract.map { c in
            "\(c.code) · \(c.startDate) – \(c.endDate) · \(Format.fen(c.feeRateFen)) / m² · \(t[c.appliedAt == nil ? "contractPending" : "contractStarted"] ?? "")"
        }
        self.errors = errors
        bidAction = ConsolePath.tender(.value(id), .bids).path
        awardAction = ConsolePath.tender(.value(id), .award).path
    }
}

/// 清退: the bureau confirms (naming the exit day) or rejects each recommendation; street
/// offices appoint emergency providers for confirmed exits.
struct ExitsPage: Encodable {
    struct Row: Encodable {
        var anchor: String, company: String, companyLink: String, halfYearEnd: String, basis: String, status: String, pending: Bool, confirmed: Bool
        var reason: String, decidedBy: String, endDate: String
        var emergency: [EmergencyRow]
        var decideAction: String
        var appointAction: String
    }

    struct EmergencyRow: Encodable {
        var code: String, provider: String, start: String, end: String, compounds: Int
    }

    var exits: [Row]
    var mayDecide: Bool
    var mayAppoint: Bool
    var providers: [Option]
    var today: String
    var errors: [FieldError]

    /// Expects each exit's company loaded, the emergency contracts' companies; `links` are
    /// the contracts' compounds; `providers` the companies that may be appointed.
    init(exits: [ExitRecommendation], contracts: [Contract], links: [ContractCompound], providers: [Company], actor: Actor, today: String,
         errors: [FieldError], _ t: [String: String]) throws {
        self.exits = try exits.map { e in
            let id = try e.requireID()
            return Row(anchor: "exit-\(id.uuidString)", company: e.company.name, companyLink: ConsolePath.company(.value(e.$company.id)).path,
                       halfYearEnd: e.halfYearEnd, basis: e.basis, status: t["exit." + e.status.rawValue] ?? e.status.rawValue,
                       pending: e.status == .pending, confirmed: e.status == .confirmed,
                       reason: e.reason ?? "", decidedBy: e.decidedBy ?? "", endDate: e.endDate ?? "",
                       emergency: contracts.filter { $0.exitID == id }.map { c in
                           EmergencyRow(code: c.code, provider: c.company.name, start: c.startDate, end: c.endDate,
                                        compounds: links.filter { $0.$contract.id == c.id }.count)
                       },
                       decideAction: ConsolePath.exitDecision(.value(id)).path,
                       appointAction: ConsolePath.emergencyProviders(ofExit: .value(id)).path)
        }
        mayDecide = Policy.allows(actor, .update, .exitRecommendation(confirmed: false))
        mayAppoint = Policy.allows(actor, .create, .emergencyProvider)
        self.providers = try providers.map { Option(value: try $0.requireID().uuidString, label: $0.name) }
        self.today = today
        self.errors = errors
    }
}
