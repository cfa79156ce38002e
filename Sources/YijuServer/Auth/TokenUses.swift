import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor

/// When and from where each API token was last used, for its owner and the bureau to see a
/// token that is used from somewhere unexpected, or no longer used at all.
///
/// Kept in a table of its own (`token_uses`), not on `user_tokens`: any change to a token's
/// row bumps `CallerCache`'s version and would make every process forget every caller on
/// every request. And written at most once a minute per token (`interval`), so that a
/// client calling many times a second adds one small upsert a minute, not one per request,
/// in front of SQLite's single writer. The time shown is therefore accurate to a minute.
final class TokenUses: Sendable {
    static let schema = "token_uses"
    /// A use within this long of the last one written is not written again.
    static let interval: TimeInterval = 60
    /// Beyond this many tokens the memory of what was written starts afresh.
    static let largest = 10_000

    struct Use: Sendable, Equatable {
        var at: Date
        var address: String?
    }

    private let written = Mutex<[UUID: Date]>([:])
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Notes a use of the token. A failure to write (a full disk) is logged and does not
    /// refuse the request: the caller is known, only the note of it is missing.
    func record(_ tokenID: UUID, at now: Date, address: String?, on db: any Database) async {
        let due = written.withLock { memory in
            if let last = memory[tokenID], now.timeIntervalSince(last) < Self.interval, now >= last { return false }
            if memory.count >= Self.largest { memory.removeAll() }
            memory[tokenID] = now
            return true
        }
        guard due, let sql = db as? any SQLDatabase else { return }
        do {
            try await sql.insert(into: Self.schema).columns("token_id", "last_used_at", "last_address")
                .values(SQLBind(tokenID), SQLBind(now), SQLBind(address))
                .onConflict(with: ["token_id"]) { $0.set(excludedValueOf: "last_used_at").set(excludedValueOf: "last_address") }
                .run()
        } catch {
            _ = written.withLock { $0.removeValue(forKey: tokenID) }
            logger.warning("could not note the use of an API token", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// The last use of each of these tokens that has been used.
    static func last(of tokenIDs: [UUID], on db: any Database) async throws -> [UUID: Use] {
        guard !tokenIDs.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        struct Row: Decodable { var token_id: UUID; var last_used_at: Date; var last_address: String? }
        let rows = try await sql.select().columns("token_id", "last_used_at", "last_address").from(schema)
            .where("token_id", .in, SQLBind.group(tokenIDs)).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.token_id, Use(at: $0.last_used_at, address: $0.last_address)) }, uniquingKeysWith: { first, _ in first })
    }
}

extension Application {
    private struct TokenUsesKey: StorageKey { typealias Value = TokenUses }

    /// Set up by `configure`, before the first request.
    var tokenUses: TokenUses {
        get { storage[TokenUsesKey.self]! }
        set { storage[TokenUsesKey.self] = newValue }
    }
}
