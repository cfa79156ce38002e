import Fluent
import Foundation
import YijuCore

/// A project's site diary (施工日志): a day per entry, written by the staff of the construction
/// company engaged on it while the works are on, read by whoever reads the project. Each day
/// is checked against the bureau's site rules as they stand when it is written (noise limit of
/// the hour, dust, waste) and keeps what it failed. A day may be rewritten only while it is
/// today; an earlier day missed may still be filled in, never changed after.
extension RenovationService {
    struct DiaryDay: Sendable {
        var record: SiteDiaryRecord
        var entry: DiaryEntry
        var findings: [SiteFinding]
        var photos: [SiteDiaryPhoto]
    }

    struct Diary: Sendable {
        var file: ProjectFile
        /// Newest day first.
        var days: [DiaryDay]
        var rules: SiteRules
        var resource: Resource
    }

    static let maxPhotosPerDay = 9

    /// What the audit log keeps of a written day.
    private struct Written: Encodable {
        var entry: DiaryEntry
        var findings: [SiteFinding]
    }

    /// Who may read and write a project's diary.
    static func diaryResource(_ file: ProjectFile) -> Resource {
        .siteDiary(streetOfficeID: file.project.$streetOffice.id, contractorIDs: Set(file.engagements.map(\.$company.id)),
                   builderID: file.builder?.$company.id, gridMemberIDs: file.gridMemberIDs)
    }

    func diary(_ projectID: UUID) async throws -> Diary {
        let file = try await load(projectID)
        let resource = Self.diaryResource(file)
        try Policy.require(actor, .read, resource, notFound: "renovation project")
        let records = try await SiteDiaryRecord.query(on: db).filter(\.$project.$id == projectID).sort(\.$day, .descending).all()
        let photos = records.isEmpty ? [] : try await SiteDiaryPhoto.query(on: db).filter(\.$diary.$id ~~ records.compactMap(\.id))
            .field(\.$id).field(\.$diary.$id).field(\.$contentType).field(\.$size).field(\.$createdAt).sort(\.$createdAt).all()
        let byDay = Dictionary(grouping: photos, by: \.$diary.id)
        let days = try records.map { r in
            DiaryDay(record: r, entry: try r.entry, findings: try Self.findings(r), photos: byDay[try r.requireID()] ?? [])
        }
        return Diary(file: file, days: days, rules: try await RenovationSettingsStore.current(on: db).settings.rules.site, resource: resource)
    }

    /// Whether the actor may write a day now: the builder's staff while the works are on.
    func mayWriteToday(_ diary: Diary) -> Bool {
        Policy.allows(actor, .update, diary.resource) && DiaryRules.open.contains(diary.file.project.status)
    }

    /// Writes the entry for its day: a new day, or today's again.
    func saveDiaryDay(_ projectID: UUID, _ entry: DiaryEntry) async throws -> DiaryDay {
        let file = try await load(projectID)
        let resource = Self.diaryResource(file)
        try Policy.require(actor, .update, resource, notFound: "renovation project")
        guard case .siteDiary(_, _, let builder?, _) = resource else { throw DomainError.forbidden }
        let tidied = Self.tidied(entry)
        let problems = DiaryRules.problems(tidied, worksStarted: file.project.actualStart, today: today)
        guard problems.isEmpty else { throw DomainError.validation(problems) }
        let rules = try await RenovationSettingsStore.current(on: db).settings.rules.site
        let findings = DiaryRules.findings(tidied, rules: rules)
        let saved: SiteDiaryRecord = try await db.transaction { tx in
            guard let project = try await Self.hold(projectID, on: tx) else { throw DomainError.notFound("renovation project") }
            guard DiaryRules.open.contains(project.status) else {
                throw DomainError.worksNotOn("the site diary is kept", status: project.status)
            }
            let existing = try await SiteDiaryRecord.query(on: tx).filter(\.$project.$id == projectID).filter(\.$day == tidied.day).first()
            if existing != nil, tidied.day != today {
                throw DomainError(.conflict, code: "diary_day_closed", message: "the diary of \(tidied.day) is closed: only today's day may be written again")
            }
            let record = existing ?? SiteDiaryRecord()
            let before = try existing?.entry
            record.$project.id = projectID
            record.$company.id = builder
            record.day = tidied.day
            try record.set(tidied)
            record.findings = try Self.json(findings)
            record.recordedBy = actor.username
            try await record.save(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: existing == nil ? .create : .update, entityType: "siteDiary",
                                      entityID: record.id, before: before, after: Written(entry: tidied, findings: findings), at: now)
            return record
        }
        let photos = try await SiteDiaryPhoto.query(on: db).filter(\.$diary.$id == saved.requireID()).sort(\.$createdAt).all()
        return DiaryDay(record: saved, entry: tidied, findings: findings, photos: photos)
    }

    /// A photo of a diary day, by whoever may write the diary, while the works are on.
    func addDiaryPhoto(_ projectID: UUID, day: String, declaredType: String, data: Data) async throws -> SiteDiaryPhoto {
        let file = try await load(projectID)
        try Policy.require(actor, .update, Self.diaryResource(file), notFound: "renovation project")
        guard let record = try await SiteDiaryRecord.query(on: db).filter(\.$project.$id == projectID).filter(\.$day == day).first() else {
            throw DomainError.notFound("diary day")
        }
        guard DiaryRules.open.contains(file.project.status) else {
            throw DomainError.worksNotOn("the site diary is kept", status: file.project.status)
        }
        let type = try CasePhotos.checkedType(data, declaredType: declaredType)
        let count = try await SiteDiaryPhoto.query(on: db).filter(\.$diary.$id == record.requireID()).count()
        guard count < Self.maxPhotosPerDay else {
            throw DomainError(.conflict, code: "too_many_photos", message: "a diary day may have at most \(Self.maxPhotosPerDay) photos")
        }
        let photo = SiteDiaryPhoto()
        photo.$diary.id = try record.requireID()
        photo.contentType = type
        photo.size = data.count
        photo.data = data
        try await db.transaction { tx in
            try await photo.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "siteDiaryPhoto", entityID: photo.id,
                                      after: ["day": day, "type": type, "size": String(data.count)], at: now)
        }
        return photo
    }

    func diaryPhoto(_ projectID: UUID, _ photoID: UUID) async throws -> SiteDiaryPhoto {
        let file = try await load(projectID)
        try Policy.require(actor, .read, Self.diaryResource(file), notFound: "renovation project")
        guard let photo = try await SiteDiaryPhoto.query(on: db).filter(\.$id == photoID).with(\.$diary).first(),
              photo.diary.$project.id == projectID else {
            throw DomainError.notFound("photo")
        }
        return photo
    }

    /// Text trimmed, empty optional parts dropped.
    static func tidied(_ entry: DiaryEntry) -> DiaryEntry {
        func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        var e = entry
        e.weather = entry.weather.map(trim)?.nilIfEmpty
        e.workDone = trim(entry.workDone)
        e.machines = entry.machines.map(trim)
        e.noise = entry.noise.map { NoiseReading(time: trim($0.time), decibels: $0.decibels, place: $0.place.map(trim)?.nilIfEmpty) }
        e.incidents = entry.incidents.map(trim)
        return e
    }

    static func findings(_ record: SiteDiaryRecord) throws -> [SiteFinding] {
        try JSONDecoder().decode([SiteFinding].self, from: Data(record.findings.utf8))
    }

    static func json(_ findings: [SiteFinding]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(findings), as: UTF8.self)
    }
}
