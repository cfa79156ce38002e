import Fluent
import Foundation
import Vapor
import YijuCore

/// 清退 in the console: the bureau confirms (naming the exit day) or rejects each
/// recommendation; street offices appoint emergency providers for confirmed exits.
struct ConsoleExitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.exits.routeComponents, use: index)
        routes.post(ConsolePath.exitDecision(.key).routeComponents, use: decide)
        routes.post(ConsolePath.emergencyProviders(ofExit: .key).routeComponents, use: appoint)
    }

    func index(req: Request) async throws -> View {
        try await render(req, errors: [])
    }

    func render(_ req: Request, errors: [FieldError]) async throws -> View {
        let actor = try req.consoleUser.actor
        let exits = try await ExitRecommendation.listed(to: actor, on: req.db).with(\.$company).sort(\.$halfYearEnd, .descending).all()
        let contracts = try await Contract.query(on: req.db).filter(\.$exitID ~~ exits.compactMap(\.id)).with(\.$company).all()
        let links = try await ContractCompound.query(on: req.db).filter(\.$contract.$id ~~ contracts.compactMap(\.id)).all()
        let blacklisted = Set(try await BlacklistEntry.query(on: req.db).all().filter { $0.until == nil }.map { $0.$company.id })
        let expelled = Set(exits.filter { $0.status == .confirmed }.map { $0.$company.id })
        let providers = try await Company.properties(on: req.db).sort(\.$name).all().filter { company in
            company.id.map { !blacklisted.contains($0) && !expelled.contains($0) } ?? false
        }
        let t = req.language.strings
        let content = try ExitsPage(exits: exits, contracts: contracts, links: links, providers: providers, actor: actor,
                                    today: Calendar.shanghai.day(req.application.clock.now()), errors: errors, t)
        return try await req.renderPage("exits", title: t["exits"]!, nav: .companies, content: content)
    }

    func decide(req: Request) async throws -> Response {
        struct Form: Vapor.Content { var outcome: String; var reason: String; var endDate: String? }
        let form = try req.content.decode(Form.self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.exits.path, render: render) {
            _ = try await CreditService(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
                .decide(exit: id, confirm: form.outcome == "confirm", reason: form.reason, endDate: form.endDate?.nilIfEmpty)
        }
    }

    func appoint(req: Request) async throws -> Response {
        struct Form: Vapor.Content { var companyId: String; var feeRateFen: String; var months: String; var startDate: String? }
        let form = try req.content.decode(Form.self)
        let id = try idParameter(req)
        return try await saving(req, back: ConsolePath.exits.path, render: render) {
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
