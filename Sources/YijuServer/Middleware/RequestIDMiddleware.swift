import Vapor

/// Gives every request an id that its log lines and its response carry (`X-Request-Id`), so
/// a complaint about one answer can be found in the log. A load balancer's id is kept when
/// it sends one of a sane shape; otherwise the server's own is used.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-Id"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Vapor takes the header as it comes; one that is not of a sane shape gets a new id.
        let id = request.headers.first(name: Self.header).map { Self.accepted($0) ?? UUID().uuidString } ?? request.id
        request.logger[metadataKey: "request-id"] = .string(id)
        // Outside YijuErrorMiddleware: errors arrive here as rendered responses and carry it too.
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        return response
    }

    /// Up to 128 letters, digits, dots, dashes, underscores, colons: what load balancers send
    /// (UUIDs, trace ids), and nothing that could forge a log line or a header.
    static func accepted(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ b in (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2E || b == 0x2D || b == 0x5F || b == 0x3A })
        else { return nil }
        return value
    }
}
