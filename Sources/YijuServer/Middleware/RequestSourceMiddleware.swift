import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// The client's address for the current API request, for limits on public writes.
enum RequestSource {
    @TaskLocal static var address: String?
}

struct RequestSourceMiddleware: AsyncMiddleware {
    func respond(to request: Vapor.Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await RequestSource.$address.withValue(request.remoteAddress?.ipAddress) {
            try await next.respond(to: request)
        }
    }
}
