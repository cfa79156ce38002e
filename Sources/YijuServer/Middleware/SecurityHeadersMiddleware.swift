import Vapor

/// The browser protections every response carries, errors included: no sniffing of content
/// types, no referrer leaving the site, no framing by other sites (clickjacking), and a
/// content security policy that runs only the server's own scripts — the console has no
/// inline script or handler (its pages' behaviour is in /js). Inline `style` attributes
/// remain allowed: the maps' and charts' colours are data. HSTS only where cookies are
/// marked secure, i.e. the deployment is served over HTTPS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let strictTransport: Bool

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
        "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", Self.contentSecurityPolicy),
        ] + (strictTransport ? [("Strict-Transport-Security", "max-age=31536000")] : [])
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        return response
    }
}
