import Fluent
import Foundation
import YijuCore

/// Renovation's settings in force: the newest version. Older versions stay, so a project's
/// scope can always be read against the catalogue it was chosen from.
enum RenovationSettingsStore {
    struct Current: Sendable {
        var version: Int
        var settings: RenovationSettings
        var note: String?
        var createdBy: String
        var createdAt: Date?
    }

    static func current(on db: any Database) async throws -> Current {
        guard let row = try await RenovationSettingsRecord.query(on: db).sort(\.$version, .descending).first() else {
            return Current(version: 0, settings: .default, note: nil, createdBy: AuditLog.systemActor, createdAt: nil)
        }
        return try decode(row)
    }

    static func version(_ version: Int, on db: any Database) async throws -> RenovationSettings? {
        try await RenovationSettingsRecord.query(on: db).filter(\.$version == version).first().map { try decode($0).settings }
    }

    /// The settings a project was planned with: its pinned version (versions are never
    /// deleted), or the built-in defaults for a project planned before any version was saved.
    static func pinned(_ version: Int, on db: any Database) async throws -> RenovationSettings {
        try await self.version(version, on: db) ?? .default
    }

    static func decode(_ row: RenovationSettingsRecord) throws -> Current {
        let decoder = JSONDecoder()
        let settings = RenovationSettings(
            catalogue: try decoder.decode(WorkItemCatalogue.self, from: Data(row.catalogue.utf8)),
            standard: try decoder.decode(CommunityStandard.self, from: Data(row.standard.utf8)),
            rules: try decoder.decode(RenovationRules.self, from: Data(row.rules.utf8)))
        return Current(version: row.version, settings: settings, note: row.note, createdBy: row.createdBy, createdAt: row.createdAt)
    }

    /// A version's row, its parts as stable JSON (sorted keys) so two versions diff cleanly.
    static func record(_ settings: RenovationSettings, version: Int, note: String?, by: String) throws -> RenovationSettingsRecord {
        let record = RenovationSettingsRecord()
        record.version = version
        record.catalogue = try json(settings.catalogue)
        record.standard = try json(settings.standard)
        record.rules = try json(settings.rules)
        record.note = note
        record.createdBy = by
        return record
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
