import Foundation
import OpenAPIRuntime
import YijuCore

/// API tokens: listed and revoked by their owner, and by the bureau.
extension YijuAPI {
    func tokenAdmin() throws -> TokenAdmin {
        TokenAdmin(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func listTokens(_ input: Operations.listTokens.Input) async throws -> Operations.listTokens.Output {
        let userID = try input.query.userId.map { try queryID($0, "userId") }
        let listed = try await tokenAdmin().list(userID: userID)
        return .ok(.init(body: .json(try listed.map(Components.Schemas.ApiToken.init))))
    }

    func revokeToken(_ input: Operations.revokeToken.Input) async throws -> Operations.revokeToken.Output {
        try await tokenAdmin().revoke(try pathID(input.path.id, "token"))
        return .noContent(.init())
    }
}

extension Components.Schemas.ApiToken {
    init(_ listed: TokenAdmin.Listed) throws {
        self.init(id: try listed.token.requireID().uuidString, userId: listed.token.$user.id.uuidString, username: listed.username,
                  label: listed.token.label, createdAt: listed.token.createdAt ?? Date(timeIntervalSince1970: 0), expiresAt: listed.token.expiresAt,
                  lastUsedAt: listed.lastUse?.at, lastUsedFrom: listed.lastUse?.address)
    }
}
