import Fluent
import Vapor
import YijuCore

/// Refuses a state-changing console request whose form does not carry the session's
/// CSRF token (SameSite=Lax cookies already stop most cross-site posts; this stops the rest).
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST else { return try await next.respond(to: request) }
        // Middleware runs before the route collects the body, so a form larger than the
        // first network read would otherwise look as if it carried no token at all.
        if request.headers.first(name: "X-CSRF-Token") == nil, request.body.data == nil {
            _ = try await request.body.collect(max: request.application.yijuConfig.maxBodyBytes).get()
        }
        let sent: String? = request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: "_csrf"))
            ?? request.query[String.self, at: "_csrf"]
        guard let expected = request.session.data["csrf"], let sent, sent == expected else {
            throw DomainError(.forbidden, code: "csrf_failed", message: "the form expired or did not come from this site; reload the page and try again")
        }
        return try await next.respond(to: request)
    }
}
