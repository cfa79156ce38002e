import Fluent
import Foundation
import Vapor
import YijuCore

/// 清退 in the console: the bureau confirms (naming the exit day) or rejects each
/// recommendation; street offices appoint emergency providers for confirmed exits.
struct ConsoleExitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let exits = routes.grouped("exits")
        exits.get(use: index)
        exits.post(":id", "decision", use: decide)
        exits.post(":id", "emergency-providers", use: appoint)
    }

    struct ExitRow: Encodable {
        var id: String, company: String, companyID: String, halfYearEnd: String, basis: String, status: String, pending: Bool, confirmed: Bool
        var reason: String, decidedBy: String, endDate: String
        var emergency: [EmergencyRow]
    }

    struct EmergencyRow: Encodable {
        var code: String, provider: String, start: String, end: String, compounds: Int
    }

    struct Content: Encodable {
        var exits: [ExitRow]
        var mayDecide: Bool
        var mayAppoint: Bool
        var providers: [Option]
        var today: String
        var errors: [FieldError]
    }

    func index(req: Request) async throws -> View {
        try await render(req, errors: [])
    }

    func render(_ req: Request, errors: [FieldError]) async throws -> View {
        let actor = try req.consoleUser.actor
        let query = try ExitRecommendation.listed(to: actor, on: req.db).with(\.$company).sort(\.$halfYearEnd, .descending)
        let t = req.language.strings
        let now = req.application.clock.now()
        let exits = try await query.all()
        let contracts = try await Contract.query(on: req.db).filter(\.$exitID ~~ exits.compactMap(\.id)).with(\.$company).all()
        let links = try await ContractCompound.query(on: req.db).filter(\.$contract.$id ~~ contracts.compactMap(\.id)).all()
        let rows = exits.map { e in
            ExitRow(id: e.id!.uuidString, company: e.company.name, companyID: e.$company.id.uuidString, halfYearEnd: e.halfYearEnd, basis: e.basis,
                    status: t["exit." + e.status.rawValue] ?? e.status.rawValue, pending: e.status == .pending, confirmed: e.status == .confirmed,
                    reason: e.reason ?? "", decidedBy: e.decidedBy ?? "", endDate: e.endDate ?? "",
                    emergency: contracts.filter { $0.exitID == e.id }.map { c in
                        EmergencyRow(code: c.code, provider: c.company.name, start: c.startDate, end: c.endDate,
                                     compounds: links.filter { $0.$contract.id == c.id }.count)
                    })
        }
        let blacklisted = Set(try await BlacklistEntry.query(on: req.db).all().filter { $0.until == nil }.map { $0.$company.id })
        let expelled = Set(exits.filter { $0.status == .confirmed }.map { $0.$company.id })
        let providers = try await Company.query(on: req.db).sort(\.$name).all()
            .filter { !blacklisted.contains($0.id!) && !expelled.contains($0.id!) }.map { Option(value: $0.id!.uuidString, label: $0.name) }
        return try await req.renderPage("exits", title: t["exits"]!, nav: "companies", content: Content(
            exits: rows, mayDecide: Policy.allows(actor, .update, .exitRecommendation(confirmed: false)), mayAppoint: true, providers: providers,
            today: Calendar.shanghai.day(now), errors: errors))
    }

    func decide(req: Request) async throws -> Response {
        struct Form: Vapor.Content { var outcome: String; var reason: String; var endDate: String? }
        let form = try req.content.decode(Form.self)
        let id = try idParameter(req)
        return try await saving(req, back: "/console/exits", render: render) {
            _ = try await CreditService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
                .decide(exit: id, confirm: form.outcome == "confirm", reason: form.reason, endDate: form.endDate?.nilIfEmpty)
        }
    }

    func appoint(req: Request) async throws -> Response {
        struct Form: Vapor.Content { var companyId: String; var feeRateFen: String; var months: String; var startDate: String? }
        let form = try req.content.decode(Form.self)
        let id = try idParameter(req)
        return try await saving(req, back: "/console/exits", render: render) {
            var errors: [FieldError] = []
            let fee = Int(form.feeRateFen.trimmingCharacters(in: .whitespaces))
            let months = Int(form.months.trimmingCharacters(in: .whitespaces))
            if fee == nil { errors.append(FieldError(field: "feeRateFen", reason: "must be a whole number of fen")) }
            if months == nil { errors.append(FieldError(field: "months", reason: "must be a whole number of months")) }
            guard errors.isEmpty, let fee, let months, let provider = UUID(uuidString: form.companyId) else {
                throw DomainError.validation(errors.isEmpty ? [FieldError(field: "companyId", reason: "pick a provider")] : errors)
            }
            _ = try await EmergencyProviders(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now()).appoint(.init(
                exitID: id, providerID: provider, feeRateFen: fee, startDate: form.startDate?.nilIfEmpty, months: months))
        }
    }
}
