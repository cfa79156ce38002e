import Foundation
import YijuCore

/// What the tokens page shows: never a token, only what it was issued for and until when.
struct TokensPage: Encodable {
    struct Row: Encodable {
        var owner: String
        var label: String
        var created: String
        var expires: String
        /// When and from where, to the minute; empty if never used.
        var lastUsed: String
        var revokeAction: String
    }

    var tokens: [Row]
    /// The bureau's page lists everyone's, and says so.
    var everyone: Bool

    init(_ listed: [TokenAdmin.Listed], actor: Actor, _ lang: Language) throws {
        tokens = try listed.map { item in
            Row(owner: item.username, label: item.token.label ?? "", created: item.token.createdAt.map(Format.dateTime) ?? "",
                expires: item.token.expiresAt.map(Format.dateTime) ?? "",
                lastUsed: item.lastUse.map { use in Format.dateTime(use.at) + (use.address.map { " · " + $0 } ?? "") } ?? "",
                revokeAction: ConsolePath.tokenRevocation(.value(try item.token.requireID())).path)
        }
        everyone = Policy.seesEveryonesTokens(actor)
    }
}
