import Foundation
import YijuCore

/// A project's site diary in the console: the builder's form for the day (one column, for a
/// phone on site), then the days, newest first, each with its noise readings against their
/// limits, its checks, incidents, findings and photos.
struct DiaryPage: Encodable {
    struct Reading: Encodable { var time: String, decibels: String, place: String, limit: String, over: Bool }
    struct Day: Encodable {
        var day: String, weather: String, workers: Int, machines: String, workDone: String
        var noise: [Reading]
        var incidents: [String]
        var findings: [String]
        var recordedBy: String
        var photos: [String]
        /// Where a photo of the day is posted, when the viewer may add one.
        var photoAction: String?
    }
    struct Form: Encodable {
        var day: String, weather: String, workDone: String, workers: String, machines: String, noise: String, incidents: String
        var dust: Bool, waste: Bool
    }

    /// The site's inspections (文明施工) and, for whoever may inspect it now, where to start one.
    struct SiteInspections: Encodable {
        var rows: [InspectionRow]
        var inspectLink: String?
    }

    var head: ProjectHead
    var action: String
    var today: String
    var worksStarted: String
    var facts: [Fact]
    var rules: [Fact]
    var days: [Day]
    var form: Form?
    /// Why there is no form: the diary is the builder's, or the works are not on.
    var hint: String?
    var site: SiteInspections?
    var errors: [FieldError]

    init(_ diary: RenovationService.Diary, mayWrite: Bool, today: String, form posted: [String: String]?, errors: [FieldError], _ t: [String: String]) throws {
        let p = diary.file.project
        let id = try p.requireID()
        head = try ProjectHead(p, t)
        action = ConsolePath.renovationProject(.value(id), .diary).path
        self.today = today
        worksStarted = p.actualStart ?? today
        facts = [
            Fact(label: t["builder"]!, value: diary.file.builder.map { "\($0.company.name) · \($0.leadName) \($0.leadPhone)" } ?? "—"),
            Fact(label: t["worksStarted"]!, value: p.actualStart ?? "—"),
            Fact(label: t["diaryDays"]!, value: String(diary.days.count)),
            Fact(label: t["daysWithFindings"]!, value: String(diary.days.filter { !$0.findings.isEmpty }.count)),
        ]
        let r = diary.rules
        rules = [
            Fact(label: t["limitDay"]!, value: Self.decibels(r.dayLimitDecibels)),
            Fact(label: t["limitNight"]!, value: "\(Self.decibels(r.nightLimitDecibels)) (\(r.nightStarts)–\(r.nightEnds))"),
        ] + (r.quietPeriods.isEmpty ? [] : [Fact(label: t["quietPeriods"]!, value: r.quietPeriods.map {
            "\($0.name) \($0.from)–\($0.to) \(Self.decibels($0.limitDecibels))"
        }.joined(separator: "；"))])
        days = try diary.days.map { d in
            let over = Dictionary(d.findings.compactMap { f in f.reading.map { ($0, f) } }) { a, _ in a }
            return Day(
                day: d.entry.day, weather: d.entry.weather ?? "", workers: d.entry.workers, machines: d.entry.machines.joined(separator: "、"),
                workDone: d.entry.workDone,
                noise: d.entry.noise.enumerated().map { i, reading in
                    let limit = over[i].flatMap(\.limitDecibels) ?? r.limit(day: d.entry.day, time: reading.time).decibels
                    return Reading(time: reading.time, decibels: Self.decibels(reading.decibels), place: reading.place ?? "",
                                   limit: "\(t["limitOf"]!) \(Self.decibels(limit))", over: over[i] != nil)
                },
                incidents: d.entry.incidents, findings: d.findings.map { Self.finding($0, t) }, recordedBy: d.record.recordedBy,
                photos: try d.photos.map { ConsolePath.diaryPhoto(.value(id), photo: .value(try $0.requireID())).path },
                photoAction: mayWrite && d.photos.count < RenovationService.maxPhotosPerDay ? ConsolePath.diaryDayPhotos(.value(id), day: .value(d.entry.day)).path : nil)
        }
        if mayWrite {
            let written = diary.days.first { $0.entry.day == today }?.entry
            func value(_ key: String, _ current: String) -> String { posted?[key] ?? current }
            form = Form(day: value("day", today), weather: value("weather", written?.weather ?? ""), workDone: value("workDone", written?.workDone ?? ""),
                        workers: value("workers", written.map { String($0.workers) } ?? ""),
                        machines: value("machines", written?.machines.joined(separator: "、") ?? ""),
                        noise: value("noise", written?.noise.map(Self.line).joined(separator: "\n") ?? ""),
                        incidents: value("incidents", written?.incidents.joined(separator: "\n") ?? ""),
                        dust: posted.map { $0["dustSuppressed"] != nil } ?? written?.dustSuppressed ?? true,
                        waste: posted.map { $0["wasteCleared"] != nil } ?? written?.wasteCleared ?? true)
            hint = nil
        } else {
            hint = DiaryRules.open.contains(p.status) ? t["diaryReadOnly"] : t["diaryNotOpen"]
        }
        self.errors = errors
    }

    /// A level as people write it: 55, or 62.5.
    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func decibels(_ value: Double) -> String { number(value) + " dB" }

    /// A reading as the form's line: `09:30 62 3号楼东侧`.
    static func line(_ r: NoiseReading) -> String {
        ([r.time, number(r.decibels)] + (r.place.map { [$0] } ?? [])).joined(separator: " ")
    }

    static func finding(_ f: SiteFinding, _ t: [String: String]) -> String {
        switch f.kind {
        case .noise:
            let period = f.period.map { $0 == "day" ? t["limitDay"]! : $0 == "night" ? t["limitNight"]! : $0 } ?? ""
            return "\(t["noiseOver"]!)：\(f.decibels.map(decibels) ?? "") > \(period) \(f.limitDecibels.map(decibels) ?? "")"
        case .dust: return t["dustFinding"]!
        case .waste: return t["wasteFinding"]!
        }
    }

    /// The form's fields as an entry: machines separated by commas or 、, a noise reading and
    /// an incident per line. A line that does not read is named by its number.
    static func entry(_ form: [String: String]) throws -> DiaryEntry {
        var errors: [FieldError] = []
        func text(_ key: String) -> String { (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        func lines(_ key: String) -> [String] {
            text(key).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let workers = Int(text("workers"))
        if workers == nil { errors.append(FieldError(field: "workers", reason: "a whole number, like 12")) }
        let machines = text("machines").split { ",，、\n".contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var noise: [NoiseReading] = []
        for (i, line) in lines("noise").enumerated() {
            let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard parts.count >= 2, let decibels = Double(parts[1].replacingOccurrences(of: "dB", with: "")) else {
                errors.append(FieldError(field: "noise", reason: "line \(i + 1): a time and a level, like 09:30 62 3号楼东侧"))
                continue
            }
            noise.append(NoiseReading(time: parts[0], decibels: decibels, place: parts.count > 2 ? parts[2...].joined(separator: " ") : nil))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return DiaryEntry(day: text("day"), weather: text("weather").nilIfEmpty, workDone: text("workDone"), workers: workers ?? 0, machines: machines,
                          noise: noise, dustSuppressed: form["dustSuppressed"] != nil, wasteCleared: form["wasteCleared"] != nil, incidents: lines("incidents"))
    }
}
