import Fluent
import OpenAPIRuntime
import OpenAPIVapor
import SQLKit
import Vapor
import YijuCore

/// Mounts the surfaces; handlers live in their collections.
func routes(_ app: Application) throws {
    // The process answers, whatever the database does: for a supervisor that must not restart
    // a healthy process through a database outage (/healthz says degraded then).
    app.get("livez") { _ in "ok" }
    app.get("healthz", use: health)
    app.get("readyz", use: readiness)
    app.get("openapi.yaml", use: openAPIDocument)
    // For Prometheus on the internal network; the load balancer should not route it.
    app.get("metrics", use: metricsEndpoint)

    // JSON API, generated from openapi.yaml. Compact JSON: pretty-printing is for people,
    // and cost every answer a second pass (measured on intake, the busiest write).
    let transport = VaporTransport(routesBuilder: app.grouped(RequestSourceMiddleware()))
    try YijuAPI(app: app).registerHandlers(on: transport, serverURL: try Servers.Server1.url(),
                                           configuration: Configuration(dateTranscoder: ISO8601FormatStyleTranscoder(), jsonEncodingOptions: [.sortedKeys]),
                                           middlewares: [BearerAuthMiddleware(app: app),
                                                         ContractMiddleware(contract: try APIContract.bundled(), maxBodyBytes: app.yijuConfig.maxBodyBytes)])

    // Console: session cookie, then login required, CSRF on every POST.
    let sessions = app.grouped(app.sessions.middleware, User.sessionAuthenticator())
    try sessions.register(collection: ConsoleAuthController())
    // Each collection registers its pages by their `ConsolePath`, which starts with /console.
    let console = sessions.grouped(ConsoleAuthMiddleware(), CSRFMiddleware())
    try console.register(collection: ConsoleHomeController())
    try console.register(collection: ConsoleCompoundsController())
    try console.register(collection: ConsoleDirectoryController())
    try console.register(collection: ConsoleZoningController())
    try console.register(collection: ConsoleCasesController())
    try console.register(collection: ConsoleSelectionController())
    try console.register(collection: ConsoleInspectionsController())
    try console.register(collection: ConsoleRenovationController())
    try console.register(collection: ConsoleGridsController())
    try console.register(collection: ConsoleConsultationController())
    try console.register(collection: ConsoleDiaryController())
    try console.register(collection: ConsoleDocumentsController())
    try console.register(collection: ConsoleGovernanceController())
    try console.register(collection: ConsoleAcceptanceController())
    try console.register(collection: ConsoleExitsController())
    try console.register(collection: ConsoleTokensController())

    // Public pages: no login; plans under notice, and the resident's case form and lookup.
    try app.register(collection: PublicZoningController())
    try app.register(collection: PublicRenovationController())
    try app.register(collection: PublicSurveyController())
    try app.register(collection: PublicCasesController())
}

/// RFC 3339 dates as the API has always written them (2025-11-22T02:00:00Z), by Foundation's
/// format style: the runtime's default formatter re-created an ICU formatter for every date
/// on Linux, a tenth of intake's time. Reading accepts an offset (+08:00) and fractional seconds.
struct ISO8601FormatStyleTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String { date.formatted(.iso8601) }

    func decode(_ text: String) throws -> Date {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = Self.farOffset(text) { return date }
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time such as 2025-11-22T10:00:00+08:00, not \(text)"))
    }
}

extension ISO8601FormatStyleTranscoder {
    /// A time with an offset Foundation does not read (it stops at ±18:00) but RFC 3339
    /// allows (any ±HH:MM to 23:59): read as UTC, then moved by the offset.
    static func farOffset(_ text: String) -> Date? {
        let offset = Array(text.utf8.suffix(6))
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"), offset[3] == UInt8(ascii: ":"),
              let hours = Int(String(decoding: offset[1...2], as: UTF8.self)), let minutes = Int(String(decoding: offset[4...5], as: UTF8.self)),
              (0...23).contains(hours), (0...59).contains(minutes),
              let utc = try? Date(String(text.dropLast(6)) + "Z", strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else { return nil }
        let seconds = Double(hours * 3600 + minutes * 60)
        return utc.addingTimeInterval(offset[0] == UInt8(ascii: "+") ? -seconds : seconds)
    }
}

/// Liveness plus a database round trip, for load balancers and `yiju serve` readiness checks.
@Sendable
/// Liveness for a load balancer or orchestrator: the process answers and reaches its database
/// (503 when it does not).
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

/// Readiness: every migration this build knows has run and the database answers. A process
/// that is still migrating, or was started against a database a newer release's migrations
/// have not reached, answers 503 with what is missing, so a load balancer sends it no users.
func readiness(req: Request) async throws -> Response {
    struct Readiness: Content {
        var status: String
        var database: String
        var pendingMigrations: [String]
    }
    var ready = Readiness(status: "ready", database: "ok", pendingMigrations: [])
    do {
        guard let sql = req.db as? any SQLDatabase else { throw DomainError.internalError }
        try await sql.raw("SELECT 1").run()
        ready.pendingMigrations = try await req.application.migrator.previewPrepareBatch().get().map { $0.0.name }
    } catch {
        req.logger.error("readiness check: database unreachable: \(String(reflecting: error))")
        ready.database = "unreachable"
    }
    if ready.database != "ok" || !ready.pendingMigrations.isEmpty { ready.status = "not ready" }
    let response = try await ready.encodeResponse(for: req)
    if ready.status != "ready" { response.status = .serviceUnavailable }
    return response
}
