import Fluent
import Foundation
import Vapor
import YijuCore

/// 选聘 in the console: tenders for the lots of adopted plans — the notice form, the
/// tender page with every company's eligibility, bids (sealed until the deadline), the
/// panel's scoring, the ranking and the award.
struct ConsoleSelectionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let tenders = routes.grouped("tenders")
        tenders.get(use: index)
        tenders.post(use: open)
        tenders.get(":id", use: show)
        tenders.post(":id", "bids", use: bid)
        tenders.post(":id", "bids", ":bid", "score", use: score)
        tenders.post(":id", "award", use: award)
    }

    private func service(_ req: Request) throws -> TenderService {
        TenderService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }

    // MARK: The list and the notice form

    struct TenderRow: Encodable {
        var id: String, code: String, status: String, noticeDay: String, deadline: String, startDate: String
    }

    struct LotRow: Encodable {
        var id: String, code: String
    }

    struct IndexContent: Encodable {
        var tenders: [TenderRow]
        var openLots: [LotRow]
        var mayOpen: Bool
        var errors: [FieldError]
    }

    func index(req: Request) async throws -> View {
        try await renderIndex(req, errors: [])
    }

    func renderIndex(_ req: Request, errors: [FieldError]) async throws -> View {
        let actor = try req.consoleUser.actor
        let lots = try await TenderLot.query(on: req.db).filter(\.$status == .open).sort(\.$code).all()
            .filter { Policy.allows(actor, .update, .tender(streetOfficeID: $0.$streetOffice.id)) }
        let tenders = try await service(req).list().map {
            TenderRow(id: $0.id!.uuidString, code: $0.code, status: req.language.strings["tender." + $0.status.rawValue] ?? $0.status.rawValue,
                      noticeDay: $0.noticeDay, deadline: Format.dateTime($0.bidDeadline), startDate: $0.startDate)
        }
        return try await req.renderPage("tenders", title: req.language.strings["tenders"]!, nav: "tenders", content: IndexContent(
            tenders: tenders, openLots: lots.map { LotRow(id: $0.id!.uuidString, code: $0.code) }, mayOpen: !lots.isEmpty, errors: errors))
    }

    struct OpenForm: Content {
        var lotId: String
        var bidDeadline: String
        var startDate: String
        var termYears: String?
        var price: String?, servicePlan: String?, credit: String?, resources: String?
    }

    func open(req: Request) async throws -> Response {
        let form = try req.content.decode(OpenForm.self)
        var opened: Tender?
        let response = try await saving(req, back: "/console/tenders", render: renderIndex) {
            var errors: [FieldError] = []
            func number(_ raw: String?, _ field: String, _ fallback: Int) -> Int {
                guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return fallback }
                guard let value = Int(raw) else { errors.append(FieldError(field: field, reason: "must be a whole number")); return fallback }
                return value
            }
            let lotID = UUID(uuidString: form.lotId)
            if lotID == nil { errors.append(FieldError(field: "lotId", reason: "pick a lot")) }
            // datetime-local: a Shanghai wall time without a zone.
            let deadline = Calendar.shanghai.start(of: String(form.bidDeadline.prefix(10))).flatMap { day -> Date? in
                let time = form.bidDeadline.dropFirst(11).split(separator: ":").compactMap { Int($0) }
                return time.count >= 2 ? day.addingTimeInterval(Double(time[0] * 3600 + time[1] * 60)) : nil
            }
            if deadline == nil { errors.append(FieldError(field: "bidDeadline", reason: "must be a date and time")) }
            let d = TenderWeights.default
            let weights = TenderWeights(price: number(form.price, "weights.price", d.price), servicePlan: number(form.servicePlan, "weights.servicePlan", d.servicePlan),
                                        credit: number(form.credit, "weights.credit", d.credit), resources: number(form.resources, "weights.resources", d.resources))
            let years = number(form.termYears, "termYears", 3)
            guard errors.isEmpty, let lotID, let deadline else { throw DomainError.validation(errors) }
            opened = try await service(req).open(.init(lotID: lotID, bidDeadline: deadline, startDate: form.startDate.trimmingCharacters(in: .whitespaces),
                                                       termYears: years, weights: weights))
        }
        if let opened { return req.redirect(to: "/console/tenders/\(opened.id!.uuidString)") }
        return response
    }

    // MARK: The tender page

    struct EligibilityRow: Encodable {
        var company: String, grade: String, score: String, eligible: Bool, reason: String
    }

    struct BidRow: Encodable {
        var id: String, company: String, price: String, stations: Int, staff: Int, machines: Int, plan: String, submitted: String
    }

    struct RankRow: Encodable {
        var bidID: String, rank: Int, company: String, price: Double, servicePlan: Double, credit: Double, resources: Double, total: Double
        var panel: String
        var scoredByMe: Bool
    }

    struct ShowContent: Encodable {
        var id: String, code: String, lot: String, status: String, noticeDay: String, deadline: String, startDate: String, termYears: Int
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
    }

    func show(req: Request) async throws -> View {
        try await renderShow(req, errors: [])
    }

    func renderShow(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let actor = service.actor
        let tender = try await service.load(try idParameter(req))
        let view = try await service.view(tender)
        let lang = req.language
        let sealed = service.now < tender.bidDeadline
        let open = tender.status == .open
        let office = tender.lot.$streetOffice.id
        let organiser = Policy.allows(actor, .update, .tender(streetOfficeID: office))
        let scores = try await PanelScore.query(on: req.db).filter(\.$tender.$id == tender.id!).all()
        let eligible = view.eligibility.filter { $0.eligibility == .eligible }
        let bidCompanies = try eligible.filter { Policy.allows(actor, .create, .bid(streetOfficeID: office, companyID: try $0.company.requireID(), sealed: true)) }
            .map { Option(value: $0.company.id!.uuidString, label: $0.company.name, selected: false) }
        var contract: String?
        if let id = tender.$contract.id, let c = try await Contract.find(id, on: req.db) {
            contract = "\(c.code) · \(c.startDate) – \(c.endDate) · \(Format.fen(c.feeRateFen)) / m² · \(lang.strings[c.appliedAt == nil ? "contractPending" : "contractStarted"] ?? "")"
        }
        let content = ShowContent(
            id: tender.id!.uuidString, code: tender.code, lot: tender.lot.code, status: lang.strings["tender." + tender.status.rawValue] ?? tender.status.rawValue,
            noticeDay: tender.noticeDay, deadline: Format.dateTime(tender.bidDeadline), startDate: tender.startDate, termYears: tender.termYears,
            weights: tender.weights, sealed: sealed, bidCount: view.bidCount,
            eligibility: view.eligibility.map { row in
                EligibilityRow(company: row.company.name, grade: row.statement.grade.rawValue, score: row.statement.score.pointsText(),
                               eligible: row.eligibility == .eligible, reason: lang.refusal(row.eligibility, grade: row.statement.grade))
            },
            bids: view.bids.map { BidRow(id: $0.id!.uuidString, company: $0.company.name, price: Format.fen($0.priceFen), stations: $0.stations,
                                         staff: $0.staff, machines: $0.machines, plan: $0.servicePlan, submitted: Format.dateTime($0.submittedAt)) },
            ranking: view.ranking.map { pair in
                let mine = scores.filter { $0.$bid.id == pair.bid.id }
                return RankRow(bidID: pair.bid.id!.uuidString, rank: pair.ranked.rank, company: pair.bid.company.name, price: pair.ranked.price,
                               servicePlan: pair.ranked.servicePlan, credit: pair.ranked.credit, resources: pair.ranked.resources, total: pair.ranked.total,
                               panel: mine.map { "\($0.memberName) \(Int($0.score))" }.joined(separator: ", "),
                               scoredByMe: mine.contains { $0.memberID == actor.userID })
            },
            mayBid: open && sealed && !bidCompanies.isEmpty, bidCompanies: bidCompanies,
            mayScore: open && !sealed && organiser, mayAward: open && !sealed && Policy.allows(actor, .update, .tenderAward), contract: contract, errors: errors)
        return try await req.renderPage("tender", title: tender.code, nav: "tenders", content: content)
    }

    struct BidForm: Content {
        var companyId: String
        var priceFen: String, servicePlan: String, stations: String, staff: String, machines: String
    }

    func bid(req: Request) async throws -> Response {
        let id = try idParameter(req)
        let form = try req.content.decode(BidForm.self)
        return try await saving(req, back: "/console/tenders/\(id.uuidString)", render: renderShow) {
            var errors: [FieldError] = []
            func number(_ raw: String, _ field: String) -> Int {
                guard let value = Int(raw.trimmingCharacters(in: .whitespaces)) else { errors.append(FieldError(field: field, reason: "must be a whole number")); return 0 }
                return value
            }
            let input = TenderService.BidInput(companyID: UUID(uuidString: form.companyId) ?? UUID(), priceFen: number(form.priceFen, "priceFen"),
                                               servicePlan: form.servicePlan, stations: number(form.stations, "stations"),
                                               staff: number(form.staff, "staff"), machines: number(form.machines, "machines"))
            guard errors.isEmpty else { throw DomainError.validation(errors) }
            _ = try await service(req).bid(id, input)
        }
    }

    func score(req: Request) async throws -> Response {
        let id = try idParameter(req)
        guard let bidID = req.parameters.get("bid").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("bid") }
        struct ScoreForm: Content { var score: String }
        let form = try req.content.decode(ScoreForm.self)
        return try await saving(req, back: "/console/tenders/\(id.uuidString)", render: renderShow) {
            guard let value = Double(form.score.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.validation([FieldError(field: "score", reason: "must be a number from 0 to 100")])
            }
            _ = try await service(req).score(id, bidID: bidID, score: value)
        }
    }

    func award(req: Request) async throws -> Response {
        let id = try idParameter(req)
        return try await saving(req, back: "/console/tenders/\(id.uuidString)", render: renderShow) {
            _ = try await service(req).award(id)
        }
    }
}
