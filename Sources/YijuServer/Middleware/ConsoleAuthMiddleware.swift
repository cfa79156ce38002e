import Fluent
import Vapor
import YijuCore

/// Sends anyone without a session to the login page, keeping where they wanted to go.
struct ConsoleAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: ConsolePath.login.with(["next": target]))
        }
        return try await next.respond(to: request)
    }
}
