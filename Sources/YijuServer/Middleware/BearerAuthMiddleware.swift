import HTTPTypes
import OpenAPIRuntime
import Vapor
import YijuCore

/// The authenticated caller of the current API request, set by `BearerAuthMiddleware`
/// for exactly the duration of the handler.
enum RequestActor {
    @TaskLocal static var current: Actor?

    static func require() throws -> Actor {
        guard let actor = current else {
            throw DomainError(.unauthenticated, code: "unauthenticated", message: "send Authorization: Bearer <token>")
        }
        return actor
    }
}

/// Resolves `Authorization: Bearer …` for every operation except the token exchange.
/// It runs inside the generated server, so it knows the operation and cannot be skipped
/// by a route registered elsewhere.
struct BearerAuthMiddleware: ServerMiddleware {
    let app: Application
    /// The token exchange, what a plan under public notice shows to anyone, the public case form, the public
    /// credit and tender results, and renovation projects put to the residents (docs/DESIGN.md §2).
    static let publicOperations: Set<String> = ["createToken", "listPublicZoningPlans", "getPublicZoningPlan",
                                                "getPublicZoningPlanGeoJSON", "fileZoningObjection",
                                                "filePublicCase", "lookUpPublicCase", "listPublicCredit", "listPublicTenders",
                                                "listPublicRenovationProjects", "getPublicRenovationProject", "getPublicRenovationDocument",
                                                "fileRenovationObjection", "answerPublicSurvey"]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        if Self.publicOperations.contains(operationID) {
            return try await next(request, body, metadata)
        }
        guard let header = request.headerFields[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw DomainError(.unauthenticated, code: "unauthenticated", message: "send Authorization: Bearer <token>")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        let now = app.clock.now()
        guard let caller = try await app.callerCache.caller(forToken: token, now: now, credentials: { Credentials(app: app) }) else {
            throw DomainError(.unauthenticated, code: "bad_token", message: "the token is unknown or expired")
        }
        await app.tokenUses.record(caller.tokenID, at: now, address: RequestSource.address, on: app.db)
        return try await RequestActor.$current.withValue(caller.actor) {
            try await next(request, body, metadata)
        }
    }
}
