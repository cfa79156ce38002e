import Fluent
import Vapor
import YijuCore

/// The API tokens page: a user's own tokens, the bureau's view of everyone's, and revoking one.
struct ConsoleTokensController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.tokens.routeComponents, use: tokens)
        routes.post(ConsolePath.tokenRevocation(.key).routeComponents, use: revoke)
    }

    func admin(_ req: Request) throws -> TokenAdmin {
        TokenAdmin(db: req.db, actor: try req.consoleUser.actor, now: req.application.clock.now())
    }

    func tokens(req: Request) async throws -> View {
        let admin = try admin(req)
        let content = try TokensPage(try await admin.list(userID: nil), actor: admin.actor, req.language)
        return try await req.renderPage("tokens", title: req.language.strings["tokens"]!, nav: .tokens, content: content)
    }

    func revoke(req: Request) async throws -> Response {
        try await admin(req).revoke(try idParameter(req))
        return req.redirect(to: ConsolePath.tokens.path)
    }
}
