import Fluent
import Foundation
import Synchronization
import Vapor
import YijuCore

/// API callers by token, remembered while no user or token has been changed since.
///
/// Every API request names its caller by a bearer token. Looking the token up was a query
/// per request, and on SQLite's two connections those queries queued in front of the
/// intake writer's statements. Here a request costs a share of one tiny read instead: the
/// `access_version` that triggers bump on any update or delete of a user or a token (a new
/// token cannot invalidate anything remembered), read afresh for the requests waiting at
/// that moment. A revocation or a role change committed before a request arrived is always
/// seen, by every process sharing the database — there is no window in which a stale
/// caller is believed.
final class CallerCache: Sendable {
    static let changes = ChangeCounter(table: "access_version", watchedTables: [User.schema, UserToken.schema],
                                       operations: [.update, .delete])
    /// Beyond this many tokens the memory starts afresh rather than grow without bound.
    static let largest = 10_000

    private let remembered = Mutex<(version: Int, callers: [String: Credentials.Caller])>((-1, [:]))
    private let version: SharedRead<Int>

    init(database: @escaping @Sendable () -> any Database) {
        version = SharedRead { try await CallerCache.changes.read(on: database()) }
    }

    /// The caller owning `token`, if the token is known and not expired. `credentials` is
    /// only made for a token not remembered: a remembered caller costs no database handle.
    func caller(forToken token: String, now: Date, credentials: () -> Credentials) async throws -> Credentials.Caller? {
        guard Credentials.isWellFormedToken(token) else { return nil }
        let hash = Credentials.hash(token)
        let current = try await version.value()
        let known = remembered.withLock { memory -> Credentials.Caller? in
            if current > memory.version { memory = (current, [:]) }
            return current == memory.version ? memory.callers[hash] : nil
        }
        let caller: Credentials.Caller
        if let known {
            caller = known
        } else {
            guard let found = try await credentials().caller(tokenHash: hash) else { return nil }
            caller = found
            // Kept under the version read before the lookup: a change since then bumps it,
            // and the next request finds the memory outdated.
            remembered.withLock { memory in
                guard memory.version == current else { return }
                if memory.callers.count >= Self.largest { memory.callers.removeAll() }
                memory.callers[hash] = found
            }
        }
        if let expires = caller.expiresAt, expires < now { return nil }
        return caller
    }
}

extension Application {
    private struct CallerCacheKey: StorageKey { typealias Value = CallerCache }

    /// Set up by `configure`, before the first request.
    var callerCache: CallerCache {
        get { storage[CallerCacheKey.self]! }
        set { storage[CallerCacheKey.self] = newValue }
    }
}
