import Fluent
import Foundation
import SQLKit
import YijuCore

/// 选聘: tenders for the lots of adopted zoning plans — notice, eligibility by credit,
/// bids until the deadline, the panel's scores, ranking, award and the contract, and the
/// registry change on the contract's start day. Every write is audited in its transaction.
struct TenderService {
    let db: any Database
    let actor: Actor
    let now: Date

    var today: String { Calendar.shanghai.day(now) }

    /// The bureau, or the officer of the lot's street office.
    private func requireOrganiser(_ lot: TenderLot) throws {
        try Policy.require(actor, .update, .tender(streetOfficeID: lot.$streetOffice.id), notFound: "tender")
    }

    func load(_ id: UUID) async throws -> Tender {
        guard let tender = try await Tender.query(on: db).filter(\.$id == id).with(\.$lot).with(\.$awaited, { $0.with(\.$project) }).first() else { throw DomainError.notFound("tender") }
        return tender
    }

    struct Opening: Sendable {
        var lotID: UUID
        var bidDeadline: Date
        var startDate: String
        var termYears = 3
        var weights = TenderWeights.default
        /// The contract starts on the day the renovation of the lot's compounds completes
        /// (not before `startDate`), rather than on `startDate` itself.
        var startsOnCompletion = false
    }

    /// Publishes the notice for an open lot.
    func open(_ o: Opening) async throws -> Tender {
        guard let lot = try await TenderLot.find(o.lotID, on: db) else { throw DomainError.notFound("tender lot") }
        try requireOrganiser(lot)
        var errors = o.weights.problems()
        if o.bidDeadline <= now { errors.append(FieldError(field: "bidDeadline", reason: "must be in the future")) }
        let start = Calendar.shanghai.start(of: o.startDate)
        if start.map(Calendar.shanghai.day) != o.startDate {
            errors.append(FieldError(field: "startDate", reason: "must be a date like 2026-07-01"))
        } else if let start, start <= o.bidDeadline {
            errors.append(FieldError(field: "startDate", reason: "must come after the bid deadline"))
        }
        if !(1...10).contains(o.termYears) { errors.append(FieldError(field: "termYears", reason: "must be 1 to 10 years")) }
        let awaited = o.startsOnCompletion ? try await renovationsInProgress(lot: try lot.requireID()) : []
        if o.startsOnCompletion && awaited.isEmpty {
            errors.append(FieldError(field: "startsOnCompletion", reason: "no renovation project in progress covers the lot's compounds"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard lot.status == .open else {
            throw DomainError(.conflict, code: "lot_not_open", message: "lot \(lot.code) is \(lot.status.rawValue); only an open lot can be tendered")
        }
        let tender = Tender()
        tender.$lot.id = try lot.requireID()
        tender.code = lot.code + "-T" + String(try await Tender.query(on: db).filter(\.$lot.$id == lot.requireID()).count() + 1)
        tender.status = .open
        tender.noticeDay = today
        tender.bidDeadline = o.bidDeadline
        tender.weightsJSON = String(decoding: try JSONEncoder().encode(o.weights), as: UTF8.self)
        tender.startDate = o.startDate
        tender.termYears = o.termYears
        tender.createdBy = actor.username
        tender.id = UUID()
        let waits = try awaited.map { project in
            let wait = TenderAwaitedProject()
            wait.$tender.id = try tender.requireID()
            wait.$project.id = try project.requireID()
            wait.$project.value = project
            return wait
        }
        try await db.transaction { tx in
            // The status claim makes two organisers opening one lot at once land exactly once.
            let claimed = try await Claim.rows(Claim.update(TenderLot.schema, on: tx).set("status", to: TenderLot.Status.tendering.rawValue)
                .where("id", .equal, try lot.requireID()).where("status", .equal, TenderLot.Status.open.rawValue))
            guard claimed == 1 else { throw DomainError(.conflict, code: "lot_not_open", message: "lot \(lot.code) is already being tendered") }
            try await tender.create(on: tx)
            for wait in waits { try await wait.create(on: tx) }
            var after = ["lot": lot.code, "bidDeadline": CaseService.iso(o.bidDeadline), "startDate": o.startDate, "weights": tender.weightsJSON]
            if !awaited.isEmpty { after["startsOnCompletionOf"] = awaited.map(\.code).joined(separator: ", ") }
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "tender", entityID: tender.id, after: after, at: now)
        }
        tender.$lot.value = lot
        tender.$awaited.value = waits
        return tender
    }

    /// Every company, whether it may bid (grade and blacklist on the notice's day) and why not.
    func eligibility(_ tender: Tender, statements known: [UUID: [CreditStatement]]? = nil)
        async throws -> [(company: Company, statement: CreditStatement, eligibility: BidEligibility)] {
        let credit = CreditService(db: db, actor: actor, now: now)
        let rules = try await CreditRuleSets.current(on: db).rules
        let statements = if let known { known } else { try await credit.statements(on: [today]) }
        var out: [(company: Company, statement: CreditStatement, eligibility: BidEligibility)] = []
        for company in try await Company.properties(on: db).sort(\.$name).all() {
            guard let statement = statements[try company.requireID()]?.first else { continue }
            let blacklisted = try await credit.blacklisted(try company.requireID()) != nil
            out.append((company, statement, BidEligibility.check(grade: statement.grade, blacklisted: blacklisted, rules: rules)))
        }
        return out
    }

    struct BidInput: Sendable {
        var companyID: UUID
        var priceFen: Int
        var servicePlan: String
        var stations: Int
        var staff: Int
        var machines: Int
    }

    /// A company's bid: its own staff or the bureau on its behalf, before the deadline, and
    /// only while the company may bid.
    func bid(_ tenderID: UUID, _ input: BidInput) async throws -> TenderBid {
        let tender = try await load(tenderID)
        guard Policy.allows(actor, .create, .bid(streetOfficeID: tender.lot.$streetOffice.id, companyID: input.companyID, sealed: true)) else {
            throw DomainError.forbidden
        }
        var errors: [FieldError] = []
        if !(1...100_000).contains(input.priceFen) { errors.append(FieldError(field: "priceFen", reason: "must be 1 to 100000 fen per m² a month")) }
        let plan = input.servicePlan.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(20...20_000).contains(plan.count) { errors.append(FieldError(field: "servicePlan", reason: "must be 20 to 20000 characters")) }
        for (value, field) in [(input.stations, "stations"), (input.staff, "staff"), (input.machines, "machines")] where !(0...10_000).contains(value) {
            errors.append(FieldError(field: field, reason: "must be 0 to 10000"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        guard tender.status == .open else { throw DomainError(.conflict, code: "tender_closed", message: "tender \(tender.code) is \(tender.status.rawValue)") }
        guard now < tender.bidDeadline else {
            throw DomainError(.conflict, code: "after_deadline", message: "bids for \(tender.code) closed at \(CaseService.iso(tender.bidDeadline))")
        }
        guard let company = try await Company.find(input.companyID, on: db) else { throw DomainError.notFound("company") }
        guard company.kind == .property else {
            throw DomainError.validation([FieldError(field: "companyId", reason: "\(company.name) is a \(company.kind.rawValue) company; only property companies bid")])
        }
        let credit = try await CreditService(db: db, actor: actor, now: now).companyCredit(try company.requireID())
        if case .ineligible(let reason) = credit.eligibility {
            throw DomainError(.conflict, code: "ineligible", message: "\(company.name) may not bid: \(reason)")
        }
        let bid = TenderBid()
        bid.$tender.id = try tender.requireID()
        bid.$company.id = try company.requireID()
        bid.priceFen = input.priceFen
        bid.servicePlan = plan
        bid.stations = input.stations
        bid.staff = input.staff
        bid.machines = input.machines
        bid.submittedAt = now
        bid.submittedBy = actor.username
        do {
            try await db.transaction { tx in
                try await bid.create(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "tenderBid", entityID: bid.id,
                                          after: ["tender": tender.code, "company": company.name, "priceFen": String(input.priceFen)], at: now)
            }
        } catch {
            if try await TenderBid.query(on: db).filter(\.$tender.$id == tender.requireID()).filter(\.$company.$id == company.requireID()).count() > 0 {
                throw DomainError(.conflict, code: "already_bid", message: "\(company.name) has already bid for \(tender.code)")
            }
            throw error
        }
        return bid
    }

    /// A panel member (the bureau, or an officer of the lot's street office) scores one
    /// bid's service plan once, after the deadline.
    func score(_ tenderID: UUID, bidID: UUID, score: Double) async throws -> PanelScore {
        let tender = try await load(tenderID)
        try requireOrganiser(tender.lot)
        guard (0...100).contains(score) else { throw DomainError.validation([FieldError(field: "score", reason: "must be 0 to 100")]) }
        guard tender.status == .open else { throw DomainError(.conflict, code: "tender_closed", message: "tender \(tender.code) is \(tender.status.rawValue)") }
        guard now >= tender.bidDeadline else {
            throw DomainError(.conflict, code: "before_deadline", message: "the panel scores after the bid deadline, \(CaseService.iso(tender.bidDeadline))")
        }
        guard let bid = try await TenderBid.query(on: db).filter(\.$id == bidID).filter(\.$tender.$id == tenderID).first() else {
            throw DomainError.notFound("bid")
        }
        let entry = PanelScore()
        entry.$tender.id = tenderID
        entry.$bid.id = try bid.requireID()
        entry.memberID = actor.userID
        entry.memberName = actor.username
        entry.score = score
        entry.at = now
        do {
            try await db.transaction { tx in
                try await entry.create(on: tx)
                try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "panelScore", entityID: entry.id,
                                          after: ["tender": tender.code, "bid": bidID.uuidString, "score": String(score)], at: now)
            }
        } catch {
            if try await PanelScore.query(on: db).filter(\.$bid.$id == bidID).filter(\.$memberID == actor.userID).count() > 0 {
                throw DomainError(.conflict, code: "already_scored", message: "you have already scored this bid")
            }
            throw error
        }
        return entry
    }

    /// The bids ranked by the tender's weights, credit taken on the deadline's day.
    /// `statements`: each company's statement on the deadline's day first, if the caller read them already.
    func ranking(_ tender: Tender, statements known: [UUID: [CreditStatement]]? = nil) async throws -> [(bid: TenderBid, ranked: RankedBid)] {
        let bids = try await TenderBid.query(on: db).filter(\.$tender.$id == tender.requireID()).with(\.$company).all()
        let scores = Dictionary(grouping: try await PanelScore.query(on: db).filter(\.$tender.$id == tender.requireID()).all()) { $0.$bid.id }
        let statements = if let known { known } else {
            try await CreditService(db: db, actor: actor, now: now).statements(on: [Calendar.shanghai.day(tender.bidDeadline)])
        }
        let figures = try bids.map { bid in
            BidFigures(bidID: try bid.requireID(), companyName: bid.company.name, priceFen: bid.priceFen, stations: bid.stations, staff: bid.staff,
                       machines: bid.machines, creditScore: statements[bid.$company.id]?.first?.score ?? 0,
                       panelScores: (scores[try bid.requireID()] ?? []).map(\.score))
        }
        let byID = Dictionary(uniqueKeysWithValues: try bids.map { (try $0.requireID(), $0) })
        return TenderScoring.rank(figures, weights: tender.weights).map { (byID[$0.bidID]!, $0) }
    }

    /// Awards the tender to the first-ranked bid and makes its contract over the compounds
    /// of the lot's management areas. Refused while a bid has no panel score, or when a
    /// compound is under another contract on the start day.
    func award(_ tenderID: UUID) async throws -> Contract {
        let tender = try await load(tenderID)
        try Policy.require(actor, .update, .tenderAward, notFound: "tender")
        guard tender.status == .open else { throw DomainError(.conflict, code: "tender_closed", message: "tender \(tender.code) is \(tender.status.rawValue)") }
        guard now >= tender.bidDeadline else { throw DomainError(.conflict, code: "before_deadline", message: "bids are still open") }
        let ranking = try await ranking(tender)
        guard let winner = ranking.first else { throw DomainError(.conflict, code: "no_bids", message: "no company bid for \(tender.code)") }
        let scoredBids = Set(try await PanelScore.query(on: db).filter(\.$tender.$id == tenderID).all().map { $0.$bid.id })
        let missing = try ranking.filter { !scoredBids.contains(try $0.bid.requireID()) }.map(\.bid.company.name)
        guard missing.isEmpty else {
            throw DomainError(.conflict, code: "unscored_bids", message: "the panel has not scored the bids of \(missing.joined(separator: ", "))")
        }
        let compoundIDs = try await compounds(lot: tender.$lot.id)
        guard !compoundIDs.isEmpty else { throw DomainError(.conflict, code: "empty_lot", message: "the lot has no compounds any more") }
        let start = tender.startDate
        let end = tender.contractEnd(from: start)
        try await refuseOverlaps(compoundIDs, from: start)
        let contract = Contract()
        contract.id = UUID()
        contract.code = "HT-" + tender.code
        contract.$company.id = winner.bid.$company.id
        contract.feeRateFen = winner.bid.priceFen
        contract.startDate = start
        contract.endDate = end
        contract.tenderID = tender.id
        try await db.transaction { tx in
            try await contract.create(on: tx)
            for compound in compoundIDs {
                let link = ContractCompound()
                link.$contract.id = try contract.requireID()
                link.$compound.id = compound
                try await link.create(on: tx)
            }
            let claimed = try await Claim.rows(Claim.update(Tender.schema, on: tx).set("status", to: Tender.Status.awarded.rawValue)
                .set("awarded_bid_id", to: try winner.bid.requireID()).set("awarded_at", to: now).set("contract_id", to: try contract.requireID())
                .where("id", .equal, tenderID).where("status", .equal, Tender.Status.open.rawValue))
            guard claimed == 1 else { throw DomainError(.conflict, code: "tender_closed", message: "tender \(tender.code) was just awarded") }
            try await TenderLot.query(on: tx).filter(\.$id == tender.$lot.id).set(\.$status, to: .awarded).update()
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "contract", entityID: contract.id,
                                      after: ["tender": tender.code, "company": winner.bid.company.name, "feeRateFen": String(contract.feeRateFen),
                                              "start": start, "end": end, "compounds": String(compoundIDs.count)], at: now)
        }
        return contract
    }

    /// The lot's compounds: the open assignments of its management areas.
    func compounds(lot: UUID) async throws -> [UUID] {
        let areas = try await ManagementArea.query(on: db).filter(\.$lot.$id == lot).filter(\.$endDate == nil).all()
        return try await AreaAssignment.query(on: db).filter(\.$area.$id ~~ areas.map { try $0.requireID() }).filter(\.$endDate == nil).all()
            .map { $0.$compound.id }
    }

    /// The renovation projects not yet completed nor cancelled that cover a lot's compounds:
    /// what a contract starting on completion waits on.
    func renovationsInProgress(lot: UUID) async throws -> [RenovationProject] {
        let links = try await RenovationProjectCompound.query(on: db).filter(\.$compound.$id ~~ compounds(lot: lot)).with(\.$project).all()
        let open = links.map(\.project).filter { $0.status.isOpen }
        return Dictionary(open.map { ($0.id, $0) }) { first, _ in first }.values.sorted { $0.code < $1.code }
    }

    /// "Contracts overlapping on a compound": another contract covers one of these compounds
    /// on or after `start` (a current one that has not ended, or an awarded one not yet started).
    private func refuseOverlaps(_ compoundIDs: [UUID], from start: String) async throws {
        let compounds = try await Compound.query(on: db).filter(\.$id ~~ compoundIDs).with(\.$contract).all()
        // An emergency provider's contract gives way to the new tender's; it never clashes.
        var clashes = compounds.filter { $0.loadedContract?.exitID == nil && ($0.loadedContract?.endDate ?? "") > start }.map { "\($0.code) (\($0.loadedContract!.code) to \($0.loadedContract!.endDate))" }
        let pending = try await ContractCompound.query(on: db).filter(\.$compound.$id ~~ compoundIDs).with(\.$contract).with(\.$compound).all()
            .filter { $0.contract.appliedAt == nil && $0.contract.exitID == nil && $0.contract.endDate > start }
        clashes += pending.map { "\($0.compound.code) (\($0.contract.code) from \($0.contract.startDate))" }
        guard clashes.isEmpty else {
            throw DomainError(.conflict, code: "contract_overlap", message: "already under contract on \(start): \(clashes.sorted().joined(separator: ", "))")
        }
    }
}

/// A conditional UPDATE as a claim: how many rows it changed. Of two writers racing for
/// the same row, exactly one sees 1.
enum Claim {
    static func rows(_ update: SQLUpdateBuilder) async throws -> Int {
        try await update.returning("id").all().count
    }

    /// The UPDATE to claim rows of `table` with (every database Yiju runs on speaks SQL).
    static func update(_ table: String, on db: any Database) throws -> SQLUpdateBuilder {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        return sql.update(table)
    }
}

extension TenderService {
    /// What a reader may see of a tender: bids are sealed until the deadline (a company
    /// sees its own, the organisers only the count); the ranking shows after it.
    struct View: Sendable {
        var tender: Tender
        var bidCount: Int
        var eligibility: [(company: Company, statement: CreditStatement, eligibility: BidEligibility)]
        var bids: [TenderBid]
        var ranking: [(bid: TenderBid, ranked: RankedBid)]
    }

    func view(_ tender: Tender) async throws -> View {
        let bids = try await TenderBid.query(on: db).filter(\.$tender.$id == tender.requireID()).with(\.$company).sort(\.$submittedAt).all()
        let office = tender.lot.$streetOffice.id
        let sealed = now < tender.bidDeadline
        let visible = bids.filter { Policy.allows(actor, .read, .bid(streetOfficeID: office, companyID: $0.$company.id, sealed: sealed)) }
        // One read of the ledger for both: eligibility today, credit scores on the deadline's day.
        let statements = try await CreditService(db: db, actor: actor, now: now).statements(on: [Calendar.shanghai.day(tender.bidDeadline), today])
        let ranking = sealed ? [] : try await ranking(tender, statements: statements)
        let eligibility = try await eligibility(tender, statements: statements.mapValues { Array($0.suffix(1)) })
        return View(tender: tender, bidCount: bids.count, eligibility: eligibility, bids: visible,
                    ranking: Policy.allows(actor, .read, .tenderRanking(streetOfficeID: office, awarded: tender.status == .awarded)) ? ranking : [])
    }

    func list() async throws -> [Tender] {
        try await Tender.query(on: db).with(\.$lot).with(\.$awaited) { $0.with(\.$project) }.sort(\.$createdAt, .descending).all()
    }
}
