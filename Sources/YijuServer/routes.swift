import Fluent
import OpenAPIVapor
import Vapor

/// Mounts the surfaces; handlers live in their collections.
func routes(_ app: Application) throws {
    app.get("healthz", use: health)
    app.get("openapi.yaml", use: openAPIDocument)

    // JSON API, generated from openapi.yaml.
    let transport = VaporTransport(routesBuilder: app.grouped(RequestSourceMiddleware()))
    try YijuAPI(app: app).registerHandlers(on: transport, serverURL: try Servers.Server1.url(),
                                           middlewares: [BearerAuthMiddleware(app: app)])

    // Console: session cookie, then login required, CSRF on every POST.
    let sessions = app.grouped(app.sessions.middleware, User.sessionAuthenticator())
    try sessions.register(collection: ConsoleAuthController())
    let console = sessions.grouped(ConsoleAuthMiddleware(), CSRFMiddleware()).grouped("console")
    try console.register(collection: ConsoleHomeController())
    try console.register(collection: ConsoleCompoundsController())
    try console.register(collection: ConsoleDirectoryController())
    try console.register(collection: ConsoleZoningController())
    try console.register(collection: ConsoleCasesController())

    // Public pages: no login; plans under notice, and the resident's case form and lookup.
    try app.register(collection: PublicZoningController())
    try app.register(collection: PublicCasesController())
}

/// Liveness plus a database round trip, for load balancers and `yiju serve` readiness checks.
@Sendable
func health(req: Request) async throws -> Response {
    struct Health: Content {
        var status: String
        var database: String
    }
    do {
        _ = try await StreetOffice.query(on: req.db).count()
        return try await Health(status: "ok", database: "ok").encodeResponse(for: req)
    } catch {
        req.logger.error("health check: database unreachable: \(String(reflecting: error))")
        let response = try await Health(status: "degraded", database: "unreachable").encodeResponse(for: req)
        response.status = .serviceUnavailable
        return response
    }
}

/// The API's contract, served as written: the same file the generator compiled.
@Sendable
func openAPIDocument(req: Request) async throws -> Response {
    guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
          let data = try? Data(contentsOf: url) else {
        throw Abort(.notFound)
    }
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.contentType = HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
    return response
}
