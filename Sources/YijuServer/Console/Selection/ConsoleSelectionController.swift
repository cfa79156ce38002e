import Fluent
import Foundation
import Vapor
import YijuCore

/// 选聘 in the console: tenders for the lots of adopted plans — the notice form, the
/// tender page with every company's eligibility, bids (sealed until the deadline), the
/// panel's scoring, the ranking and the award.
struct ConsoleSelectionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.tenders.routeComponents, use: index)
        routes.post(ConsolePath.tenders.routeComponents, use: open)
        routes.get(ConsolePath.tender(.key).routeComponents, use: show)
        routes.post(ConsolePath.tender(.key, .bids).routeComponents, use: bid)
        routes.post(ConsolePath.bidScore(tender: .key, bid: .key).routeComponents, use: score)
        routes.post(ConsolePath.tender(.key, .award).routeComponents, use: award)
    }

    private func service(_ req: Request) throws -> TenderService {
        TenderService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }

    // MARK: The list and the notice form

    func index(req: Request) async throws -> View {
        try await renderIndex(req, errors: [])
    }

    func renderIndex(_ req: Request, errors: [FieldError]) async throws -> View {
        let actor = try req.consoleUser.actor
        let lots = try await TenderLot.query(on: req.db).filter(\.$status == .open).sort(\.$code).all()
            .filter { Policy.allows(actor, .update, .tender(streetOfficeID: $0.$streetOffice.id)) }
        let content = try TendersPage(tenders: try await service(req).list(), lots: lots, errors: errors, req.language.strings)
        return try await req.renderPage("tenders", title: req.language.strings["tenders"]!, nav: .tenders, content: content)
    }

    struct OpenForm: Content {
        var lotId: String
        var bidDeadline: String
        var startDate: String
        var termYears: String?
        /// A checkbox: present ("on") when ticked.
        var startsOnCompletion: String?
        var price: String?, servicePlan: String?, credit: String?, resources: String?
    }

    func open(req: Request) async throws -> Response {
        let form = try req.content.decode(OpenForm.self)
        var opened: Tender?
        let response = try await saving(req, back: ConsolePath.tenders.path, render: renderIndex) {
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
                                                       termYears: years, weights: weights, startsOnCompletion: form.startsOnCompletion != nil))
        }
        if let opened { return req.redirect(to: ConsolePath.tender(.value(try opened.requireID())).path) }
        return response
    }

    // MARK: The tender page

    func show(req: Request) async throws -> View {
        try await renderShow(req, errors: [])
    }

    func renderShow(_ req: Request, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let tender = try await service.load(try idParameter(req))
        let view = try await service.view(tender)
        let scores = try await PanelScore.query(on: req.db).filter(\.$tender.$id == tender.requireID()).all()
        let contract = try await tender.$contract.id.asyncFlatMap { try await Contract.find($0, on: req.db) }
        let content = try TenderPage(view, scores: scores, contract: contract, actor: service.actor, now: service.now, errors: errors, req.language)
        return try await req.renderPage("tender", title: tender.code, nav: .tenders, content: content)
    }

    struct BidForm: Content {
        var companyId: String
        var priceFen: String, servicePlan: String, stations: String, staff: String, machines: String
    }

    func bid(req: Request) async throws -> Response {
        let id = try idParameter(req)
        let form = try req.content.decode(BidForm.self)
        return try await saving(req, back: ConsolePath.tender(.value(id)).path, render: renderShow) {
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
        return try await saving(req, back: ConsolePath.tender(.value(id)).path, render: renderShow) {
            guard let value = Double(form.score.trimmingCharacters(in: .whitespaces)) else {
                throw DomainError.validation([FieldError(field: "score", reason: "must be a number from 0 to 100")])
            }
            _ = try await service(req).score(id, bidID: bidID, score: value)
        }
    }

    func award(req: Request) async throws -> Response {
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.tender(.value(id)).path, render: renderShow) {
            _ = try await service(req).award(id)
        }
    }
}
