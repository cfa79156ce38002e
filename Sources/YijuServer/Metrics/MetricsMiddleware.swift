import Fluent
import SQLKit
import Vapor
import YijuCore

/// Counts every answer by the route pattern that took it (`api/v1/compounds/:id`, never the
/// concrete path, so the series stay few) and its status, with its latency. Outermost but
/// for the request id, so it sees the status the error middleware chose.
struct MetricsMiddleware: AsyncMiddleware {
    let metrics: ServerMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            record(request, status: response.status.code, since: start)
            return response
        } catch {
            record(request, status: 500, since: start)
            throw error
        }
    }

    private func record(_ request: Request, status: UInt, since start: ContinuousClock.Instant) {
        metrics.request(method: request.method.rawValue, route: Self.route(of: request), status: status, duration: ContinuousClock.now - start)
    }

    /// The pattern of the route that answered, or `unrouted` for what no route took (static
    /// files, unknown paths).
    static func route(of request: Request) -> String {
        guard let route = request.route else { return "unrouted" }
        return route.path.map(\.description).joined(separator: "/")
    }
}

/// `GET /metrics`: the counters, and what the database says now.
@Sendable
func metricsEndpoint(req: Request) async throws -> Response {
    let metrics = req.application.metrics
    // One pass over the open cases for all colours, not a count per colour; a colour with
    // none open still reads 0 rather than keeping the last value seen.
    guard let sql = req.db as? any SQLDatabase else { throw DomainError.internalError }
    struct Row: Decodable { var colour: String; var n: Int }
    let rows = try await sql.select().column("colour").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(CaseRecord.schema)
        .where("state", .notEqual, SQLBind(CaseState.closed.rawValue)).groupBy("colour").all(decoding: Row.self)
    let open = Dictionary(rows.map { ($0.colour, $0.n) }, uniquingKeysWith: +)
    for colour in CaseColour.allCases {
        metrics.set("cases_open", help: "Cases not closed, by ledger colour", labels: [("colour", colour.rawValue)], to: Double(open[colour.rawValue] ?? 0))
    }
    let response = Response(status: .ok, body: .init(data: Data(metrics.registry.emitToBuffer())))
    response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
    return response
}
