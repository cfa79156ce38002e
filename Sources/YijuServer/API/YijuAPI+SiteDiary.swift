import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// A project's site diary through the API: the builder writes its days and their photos,
/// whoever reads the project reads them with their civilised-construction findings.
extension YijuAPI {
    private func diaryService() throws -> RenovationService {
        RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func getSiteDiary(_ input: Operations.getSiteDiary.Input) async throws -> Operations.getSiteDiary.Output {
        let service = try diaryService()
        let diary = try await service.diary(try pathID(input.path.id, "renovation project"))
        return .ok(.init(body: .json(try .init(diary, mayWrite: service.mayWriteToday(diary)))))
    }

    func saveSiteDiaryDay(_ input: Operations.saveSiteDiaryDay.Input) async throws -> Operations.saveSiteDiaryDay.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let entry = DiaryEntry(day: input.path.day, weather: b.weather, workDone: b.workDone, workers: b.workers, machines: b.machines ?? [],
                               noise: (b.noise ?? []).map { NoiseReading(time: $0.time, decibels: $0.decibels, place: $0.place) },
                               dustSuppressed: b.dustSuppressed, wasteCleared: b.wasteCleared, incidents: b.incidents ?? [])
        let day = try await diaryService().saveDiaryDay(try pathID(input.path.id, "renovation project"), entry)
        return .ok(.init(body: .json(try .init(day))))
    }

    func addSiteDiaryPhoto(_ input: Operations.addSiteDiaryPhoto.Input) async throws -> Operations.addSiteDiaryPhoto.Output {
        let (type, body): (String, HTTPBody) = switch input.body {
        case .jpeg(let b): ("image/jpeg", b)
        case .png(let b): ("image/png", b)
        case .image_webp(let b): ("image/webp", b)
        }
        let data = try await Data(collecting: body, upTo: CasePhotos.maxBytes + 1)
        let photo = try await diaryService().addDiaryPhoto(try pathID(input.path.id, "renovation project"), day: input.path.day,
                                                           declaredType: type, data: data)
        return .created(.init(body: .json(.init(id: try photo.requireID().uuidString, contentType: photo.contentType, size: photo.size))))
    }

    func getSiteDiaryPhoto(_ input: Operations.getSiteDiaryPhoto.Input) async throws -> Operations.getSiteDiaryPhoto.Output {
        let photo = try await diaryService().diaryPhoto(try pathID(input.path.id, "renovation project"), try pathID(input.path.photoId, "photo"))
        let body = HTTPBody(photo.data)
        switch photo.contentType {
        case "image/png": return .ok(.init(body: .png(body)))
        case "image/webp": return .ok(.init(body: .image_webp(body)))
        default: return .ok(.init(body: .jpeg(body)))
        }
    }
}

extension Components.Schemas.SiteDiary {
    init(_ diary: RenovationService.Diary, mayWrite: Bool) throws {
        let p = diary.file.project
        self.init(projectId: try p.requireID().uuidString, status: .init(rawValue: p.status.rawValue)!, worksStarted: p.actualStart,
                  builder: diary.file.builder.map {
                      .init(role: .construction, companyId: $0.$company.id.uuidString, companyName: $0.company.name, leadName: $0.leadName, leadPhone: $0.leadPhone)
                  },
                  mayWrite: mayWrite, rules: .init(diary.rules), days: try diary.days.map(Components.Schemas.DiaryDay.init))
    }
}

extension Components.Schemas.DiaryDay {
    init(_ d: RenovationService.DiaryDay) throws {
        let e = d.entry
        self.init(id: try d.record.requireID().uuidString, day: e.day, weather: e.weather, workDone: e.workDone, workers: e.workers, machines: e.machines,
                  noise: e.noise.map { .init(time: $0.time, decibels: $0.decibels, place: $0.place) },
                  dustSuppressed: e.dustSuppressed, wasteCleared: e.wasteCleared, incidents: e.incidents,
                  findings: d.findings.map {
                      .init(kind: .init(rawValue: $0.kind.rawValue)!, reading: $0.reading, decibels: $0.decibels, limitDecibels: $0.limitDecibels, period: $0.period)
                  },
                  companyId: d.record.$company.id.uuidString, recordedBy: d.record.recordedBy, recordedAt: d.record.createdAt, updatedAt: d.record.updatedAt,
                  photos: try d.photos.map { .init(id: try $0.requireID().uuidString, contentType: $0.contentType, size: $0.size) })
    }
}

extension Components.Schemas.SiteRules {
    init(_ r: SiteRules) {
        self.init(dayLimitDecibels: r.dayLimitDecibels, nightLimitDecibels: r.nightLimitDecibels, nightStarts: r.nightStarts, nightEnds: r.nightEnds,
                  quietPeriods: r.quietPeriods.map { .init(name: $0.name, from: $0.from, to: $0.to, limitDecibels: $0.limitDecibels) })
    }

    var rules: SiteRules {
        var r = SiteRules()
        r.dayLimitDecibels = dayLimitDecibels
        r.nightLimitDecibels = nightLimitDecibels
        r.nightStarts = nightStarts
        r.nightEnds = nightEnds
        r.quietPeriods = quietPeriods.map { QuietPeriod(name: $0.name, from: $0.from, to: $0.to, limitDecibels: $0.limitDecibels) }
        return r
    }
}
