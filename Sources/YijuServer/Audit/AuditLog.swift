import Fluent
import Foundation
import YijuCore

/// Writes the append-only audit log. Callers pass the transaction they write in, so a
/// change and its audit row commit together or not at all.
struct AuditLog {
    enum Action: String {
        case create, update, delete, `import`, export, login, token
    }

    static let systemActor = "system"

    static func record(on db: any Database, actor: Actor?, action: Action, entityType: String, entityID: UUID?,
                       before: (any Encodable)? = nil, after: (any Encodable)? = nil, at: Date) async throws {
        let entry = AuditEntry()
        entry.at = at
        entry.actorID = actor?.userID
        entry.actorName = actor?.username ?? systemActor
        entry.action = action.rawValue
        entry.entityType = entityType
        entry.entityID = entityID
        entry.before = try before.map(snapshot)
        entry.after = try after.map(snapshot)
        try await entry.create(on: db)
    }

    /// A record's fields as stable JSON (sorted keys), so two snapshots diff cleanly.
    static func snapshot(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
