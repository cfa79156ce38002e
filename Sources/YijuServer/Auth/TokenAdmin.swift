import Fluent
import Foundation
import Vapor
import YijuCore

/// API tokens seen and revoked: by their owner, and by the bureau for anyone (a lost phone,
/// a leaver, a bridge to another system retired). Revoking deletes the token's row, which
/// bumps `CallerCache`'s version, so no process believes it one request longer.
struct TokenAdmin {
    let db: any Database
    let actor: Actor
    let now: Date

    struct Listed: Sendable {
        var token: UserToken
        var username: String
        /// When and from where it was last used (`TokenUses`); nil if never.
        var lastUse: TokenUses.Use?
    }

    /// The tokens the actor may see, newest first: their own; for the bureau, everyone's or
    /// `userID`'s.
    func list(userID: UUID?) async throws -> [Listed] {
        let owner = userID ?? (Policy.seesEveryonesTokens(actor) ? nil : actor.userID)
        if let owner { try Policy.require(actor, .read, .apiToken(ownerID: owner), notFound: "user") }
        let query = UserToken.query(on: db).with(\.$user).sort(\.$createdAt, .descending)
        if let owner { query.filter(\.$user.$id == owner) }
        let tokens = try await query.all()
        let uses = try await TokenUses.last(of: tokens.compactMap(\.id), on: db)
        return tokens.map { Listed(token: $0, username: $0.user.username, lastUse: $0.id.flatMap { uses[$0] }) }
    }

    /// Revokes a token: from the next request on it answers 401. Audited with whose it was.
    func revoke(_ id: UUID) async throws {
        guard let token = try await UserToken.query(on: db).filter(\.$id == id).with(\.$user).first() else {
            throw DomainError.notFound("token")
        }
        try Policy.require(actor, .delete, .apiToken(ownerID: token.$user.id), notFound: "token")
        struct Snapshot: Encodable { var username: String; var label: String?; var createdAt: Date?; var expiresAt: Date? }
        let snapshot = Snapshot(username: token.user.username, label: token.label, createdAt: token.createdAt, expiresAt: token.expiresAt)
        try await db.transaction { tx in
            try await token.delete(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .delete, entityType: "apiToken", entityID: id, before: snapshot, at: now)
        }
    }
}
