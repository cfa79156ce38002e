import Vapor
import YijuCore

/// A path the server knows asked with a method it does not answer there is 405 Method Not
/// Allowed with `Allow` naming those it does (RFC 9110 §15.5.6), not 404: a client learns it
/// has the right address and the wrong verb. Only requests no route matched get here, so a
/// missing record behind a known path stays 404.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    /// Every registered route's path and method.
    let routes: [(path: [PathComponent], method: HTTPMethod)]

    init(routes: [Vapor.Route]) {
        self.routes = routes.map { ($0.path, $0.method) }
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let notFound as RouteNotFound {
            let allowed = allowedMethods(for: request.url.path)
            guard !allowed.isEmpty else { throw notFound }
            let (error, allow) = Self.refusal(request.method.rawValue, at: request.url.path, allowed: Set(allowed))
            let response = YijuErrorMiddleware.isConsole(request.url.path)
                ? try await ErrorPage.render(error, status: .methodNotAllowed, for: request)
                : try YijuErrorMiddleware.json(error, status: .methodNotAllowed)
            response.headers.replaceOrAdd(name: .allow, value: allow)
            return response
        }
    }

    /// The methods of the routes whose path matches, HEAD with GET (Vapor answers it), in a
    /// stable order.
    func allowedMethods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let matching = routes.filter { Self.matches($0.path, segments) }
        // The router takes a constant segment over a parameter (/compounds/export, not
        // /compounds/{id}), so only the routes it would reach at the most constant
        // segments answer this path; /compounds/{id}'s PATCH is not a method of the export.
        let reached = matching.map { Self.constants($0.path) }.max(by: Self.precedes) ?? []
        return Self.withHead(Set(matching.filter { Self.constants($0.path) == reached }.map(\.method.rawValue)))
    }

    /// The methods in a stable order, HEAD with GET (Vapor answers it).
    static func withHead(_ methods: Set<String>) -> [String] {
        (methods.contains("GET") ? methods.union(["HEAD"]) : methods).sorted()
    }

    /// The error and the `Allow` value for `method` asked at `path`, which answers `allowed`:
    /// the same for a path no route took and for one the contract knows is literal.
    static func refusal(_ method: String, at path: String, allowed: Set<String>) -> (DomainError, allow: String) {
        let allow = withHead(allowed).joined(separator: ", ")
        return (DomainError(.badRequest, code: "method_not_allowed", message: "\(method) is not answered at \(path); use \(allow)"), allow)
    }

    /// Which segments of a pattern are constants.
    static func constants(_ pattern: [PathComponent]) -> [Bool] {
        pattern.map { if case .constant = $0 { true } else { false } }
    }

    /// Whether the router prefers `b` to `a`: at the first segment they differ, `b` is constant.
    static func precedes(_ a: [Bool], _ b: [Bool]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return y }
        return false
    }

    static func matches(_ pattern: [PathComponent], _ segments: [String]) -> Bool {
        for (i, component) in pattern.enumerated() {
            switch component {
            case .catchall: return segments.count > i
            case .constant(let text): if i >= segments.count || segments[i] != text { return false }
            case .parameter, .anything: if i >= segments.count { return false }
            }
        }
        return pattern.count == segments.count
    }
}
