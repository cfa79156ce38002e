import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

/// Configures an application on a fresh database, runs `body`, and always shuts down.
/// SQLite (in memory, one per test) by default; PostgreSQL when `DATABASE_URL` is set,
/// with the schema dropped first, which is why every server suite nests under the
/// serialized `ServerTests`.
func withApp(demo: Bool = true, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
        let env = ProcessInfo.processInfo.environment
        var config = AppConfig(database: .sqliteMemory, bcryptCost: 4)
        if let url = env["DATABASE_URL"], !url.isEmpty { config.database = .postgres(url: url) }
        config.maxBodyBytes = 2 * 1024 * 1024
        try await configure(app, config: config)
        if case .postgres = config.database, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        try await app.autoMigrate()
        if demo { try await DemoLoader.load(into: app) }
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        // PostgresNIO hides details from `description`; a failing test should show them.
        if String(describing: type(of: error)).hasPrefix("PSQL") { throw TestSetupError(underlying: String(reflecting: error)) }
        throw error
    }
    try await app.asyncShutdown()
}

struct TestSetupError: Error, CustomStringConvertible {
    let underlying: String
    var description: String { underlying }
}

/// Every server suite lives inside this one so they never run at the same time against a
/// shared PostgreSQL database.
@Suite(.serialized) struct ServerTests {}

extension Application {
    /// A bearer token for a demo user, issued directly (no password round trip).
    func token(_ username: String) async throws -> String {
        let user = try #require(try await User.query(on: db).filter(\.$username == username).first())
        return try await Credentials(app: self).issueToken(for: user, label: "test")
    }

    func compound(code: String) async throws -> Compound {
        try #require(try await Compound.query(on: db).filter(\.$code == code).with(\.$streetOffice).first())
    }

    func streetOffice(code: String) async throws -> StreetOffice {
        try #require(try await StreetOffice.query(on: db).filter(\.$code == code).first())
    }

    func auditCount() async throws -> Int {
        try await AuditEntry.query(on: db).count()
    }
}

extension HTTPHeaders {
    static func bearer(_ token: String) -> HTTPHeaders {
        ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
    }
}

/// The `{error: {...}}` body every API error has.
struct APIError: Decodable {
    struct Inner: Decodable {
        struct Detail: Decodable { var field: String; var reason: String; var line: Int? }
        var code: String
        var message: String
        var field: String?
        var details: [Detail]
    }
    var error: Inner
}

extension TestingHTTPResponse {
    var apiError: APIError.Inner? { try? content.decode(APIError.self).error }
}

extension TestingHTTPRequest {
    /// Encodes any Encodable (the generated wire types are not Vapor `Content`) as the JSON body.
    mutating func json(_ value: some Encodable) throws {
        headers.contentType = .json
        // Dates as the API writes them (RFC 3339).
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        body = ByteBuffer(data: try encoder.encode(value))
    }
}
