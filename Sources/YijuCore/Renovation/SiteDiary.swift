import Foundation

/// A day on site as the builder records it (施工日志): what was done with how many workers
/// and machines, and the civilised-construction checks (文明施工, 为民施工不扰民) — noise
/// readings against the limit of their hour, dust suppressed, construction waste cleared
/// the same day — with any incidents.
public struct DiaryEntry: Sendable, Codable, Equatable {
    /// yyyy-MM-dd.
    public var day: String
    public var weather: String?
    public var workDone: String
    public var workers: Int
    /// e.g. 挖掘机, 混凝土泵车.
    public var machines: [String]
    public var noise: [NoiseReading]
    public var dustSuppressed: Bool
    public var wasteCleared: Bool
    public var incidents: [String]

    public init(day: String, weather: String? = nil, workDone: String, workers: Int, machines: [String] = [], noise: [NoiseReading] = [],
                dustSuppressed: Bool, wasteCleared: Bool, incidents: [String] = []) {
        self.day = day
        self.weather = weather
        self.workDone = workDone
        self.workers = workers
        self.machines = machines
        self.noise = noise
        self.dustSuppressed = dustSuppressed
        self.wasteCleared = wasteCleared
        self.incidents = incidents
    }
}

/// A sound level measured at the site's boundary (场界), in dB(A), at a time of day.
public struct NoiseReading: Sendable, Codable, Equatable {
    /// HH:mm, Beijing time.
    public var time: String
    public var decibels: Double
    /// Where it was taken, e.g. 3号楼东侧.
    public var place: String?

    public init(time: String, decibels: Double, place: String? = nil) {
        self.time = time
        self.decibels = decibels
        self.place = place
    }
}

/// Days when a stricter limit holds all day, every year (e.g. 高考, 6-7 to 6-9).
public struct QuietPeriod: Sendable, Codable, Equatable {
    public var name: String
    /// MM-dd, both inclusive; a period may run over the new year (12-28 to 01-03).
    public var from: String
    public var to: String
    public var limitDecibels: Double

    public init(name: String, from: String, to: String, limitDecibels: Double) {
        self.name = name
        self.from = from
        self.to = to
        self.limitDecibels = limitDecibels
    }

    func contains(monthDay: String) -> Bool {
        from <= to ? (from...to).contains(monthDay) : monthDay >= from || monthDay <= to
    }
}

/// The bureau's site rules: the boundary noise limits of GB 12523-2011 (70 dB(A) by day,
/// 55 at night), the night's hours, and the quiet periods.
public struct SiteRules: Sendable, Codable, Equatable {
    public var dayLimitDecibels: Double = 70
    public var nightLimitDecibels: Double = 55
    /// HH:mm: the night runs from `nightStarts` to `nightEnds` the next morning.
    public var nightStarts = "22:00"
    public var nightEnds = "06:00"
    public var quietPeriods = [QuietPeriod(name: "高考", from: "06-07", to: "06-09", limitDecibels: 55)]

    public init() {}

    public static let `default` = SiteRules()

    /// The limit a reading at `time` on `day` is held to, and which limit it is: `day`,
    /// `night` or a quiet period's name (the stricter when both apply).
    public func limit(day: String, time: String) -> (decibels: Double, period: String) {
        let minute = Self.minutes(time) ?? 0
        let start = Self.minutes(nightStarts) ?? 0, end = Self.minutes(nightEnds) ?? 0
        let night = start <= end ? (start..<end).contains(minute) : minute >= start || minute < end
        var limit = night ? (nightLimitDecibels, "night") : (dayLimitDecibels, "day")
        let monthDay = String(day.suffix(5))
        for period in quietPeriods where period.contains(monthDay: monthDay) && period.limitDecibels < limit.0 {
            limit = (period.limitDecibels, period.name)
        }
        return limit
    }

    /// Minutes after midnight of an HH:mm time, or nil when it is not one.
    public static func minutes(_ time: String) -> Int? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 5, parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
            return nil
        }
        return h * 60 + m
    }

    /// Whether `text` is a day of the year, MM-dd (02-29 included: 2024 was a leap year).
    static func isMonthDay(_ text: String) -> Bool {
        text.count == 5 && Calendar.shanghai.isDay("2024-" + text)
    }

    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        let limits = 30.0...90.0
        if !limits.contains(dayLimitDecibels) { errors.append(FieldError(field: "dayLimitDecibels", reason: "must be 30 to 90 dB(A)")) }
        if !limits.contains(nightLimitDecibels) { errors.append(FieldError(field: "nightLimitDecibels", reason: "must be 30 to 90 dB(A)")) }
        if nightLimitDecibels > dayLimitDecibels {
            errors.append(FieldError(field: "nightLimitDecibels", reason: "the night's limit may not be above the day's"))
        }
        for (name, value) in [("nightStarts", nightStarts), ("nightEnds", nightEnds)] where Self.minutes(value) == nil {
            errors.append(FieldError(field: name, reason: "a time like 22:00"))
        }
        if nightStarts == nightEnds { errors.append(FieldError(field: "nightEnds", reason: "the night must last: it starts and ends at \(nightEnds)")) }
        if quietPeriods.count > 20 { errors.append(FieldError(field: "quietPeriods", reason: "at most 20 periods")) }
        for (i, p) in quietPeriods.enumerated() {
            let name = p.name.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || name.count > 20 || name == "day" || name == "night" {
                errors.append(FieldError(field: "quietPeriods[\(i)].name", reason: "name the period, 1 to 20 characters"))
            }
            if !Self.isMonthDay(p.from) { errors.append(FieldError(field: "quietPeriods[\(i)].from", reason: "a day of the year like 06-07")) }
            if !Self.isMonthDay(p.to) { errors.append(FieldError(field: "quietPeriods[\(i)].to", reason: "a day of the year like 06-09")) }
            if !limits.contains(p.limitDecibels) { errors.append(FieldError(field: "quietPeriods[\(i)].limitDecibels", reason: "must be 30 to 90 dB(A)")) }
        }
        return errors
    }
}

/// A civilised-construction check an entry failed.
public struct SiteFinding: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A reading above the limit of its hour.
        case noise
        /// Dust not suppressed (no wetting, no cover on bare soil and spoil).
        case dust
        /// Construction waste left on site overnight.
        case waste
    }

    public var kind: Kind
    /// For noise: which reading (from 0), what it measured, the limit and whose limit.
    public var reading: Int?
    public var decibels: Double?
    public var limitDecibels: Double?
    public var period: String?

    public init(kind: Kind, reading: Int? = nil, decibels: Double? = nil, limitDecibels: Double? = nil, period: String? = nil) {
        self.kind = kind
        self.reading = reading
        self.decibels = decibels
        self.limitDecibels = limitDecibels
        self.period = period
    }
}

/// The checks on a diary entry, and what it shows about the site.
public enum DiaryRules {
    /// Every problem with an entry for a project whose works started on `worksStarted`,
    /// written on `today`: no day before the works started, none still to come.
    public static func problems(_ entry: DiaryEntry, worksStarted: String?, today: String) -> [FieldError] {
        var errors: [FieldError] = []
        if !Calendar.shanghai.isDay(entry.day) {
            errors.append(FieldError(field: "day", reason: "a day like 2026-05-12"))
        } else if let started = worksStarted, entry.day < started {
            errors.append(FieldError(field: "day", reason: "is before the works started on \(started)"))
        } else if entry.day > today {
            errors.append(FieldError(field: "day", reason: "is after today, \(today): a diary records what happened"))
        }
        if let weather = entry.weather, weather.count > 20 { errors.append(FieldError(field: "weather", reason: "at most 20 characters")) }
        let work = entry.workDone.trimmingCharacters(in: .whitespacesAndNewlines)
        if work.isEmpty || work.count > 2000 { errors.append(FieldError(field: "workDone", reason: "say what was done, 1 to 2000 characters")) }
        if !(0...5000).contains(entry.workers) { errors.append(FieldError(field: "workers", reason: "must be 0 to 5000")) }
        if entry.machines.count > 20 { errors.append(FieldError(field: "machines", reason: "at most 20 machines")) }
        for (i, m) in entry.machines.enumerated() where m.trimmingCharacters(in: .whitespaces).isEmpty || m.count > 40 {
            errors.append(FieldError(field: "machines[\(i)]", reason: "name the machine, 1 to 40 characters"))
        }
        if entry.noise.count > 24 { errors.append(FieldError(field: "noise", reason: "at most 24 readings a day")) }
        for (i, r) in entry.noise.enumerated() {
            if SiteRules.minutes(r.time) == nil { errors.append(FieldError(field: "noise[\(i)].time", reason: "a time like 09:30")) }
            if !(20...140).contains(r.decibels) { errors.append(FieldError(field: "noise[\(i)].decibels", reason: "must be 20 to 140 dB(A)")) }
            if let place = r.place, place.count > 40 { errors.append(FieldError(field: "noise[\(i)].place", reason: "at most 40 characters")) }
        }
        if entry.incidents.count > 10 { errors.append(FieldError(field: "incidents", reason: "at most 10 a day")) }
        for (i, text) in entry.incidents.enumerated() where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > 500 {
            errors.append(FieldError(field: "incidents[\(i)]", reason: "say what happened, 1 to 500 characters"))
        }
        return errors
    }

    /// The checks the entry failed under `rules`, noise readings in their order first.
    public static func findings(_ entry: DiaryEntry, rules: SiteRules) -> [SiteFinding] {
        var findings: [SiteFinding] = entry.noise.enumerated().compactMap { i, r in
            let limit = rules.limit(day: entry.day, time: r.time)
            guard r.decibels > limit.decibels else { return nil }
            return SiteFinding(kind: .noise, reading: i, decibels: r.decibels, limitDecibels: limit.decibels, period: limit.period)
        }
        if !entry.dustSuppressed { findings.append(SiteFinding(kind: .dust)) }
        if !entry.wasteCleared { findings.append(SiteFinding(kind: .waste)) }
        return findings
    }

    /// Statuses in which the builder keeps the diary: while the works are on.
    public static let open: Set<ProjectStatus> = [.underWorks]
}

/// Site inspections (文明施工): while the works are on, and during acceptance, when a
/// rectification may still be under way.
public enum SiteInspections {
    public static let open: Set<ProjectStatus> = [.underWorks, .acceptance]
}

extension DomainError {
    /// 409 `works_not_on`: what is done on a site (`what`) waits for, or is over with, its works.
    public static func worksNotOn(_ what: String, status: ProjectStatus) -> DomainError {
        DomainError(.conflict, code: "works_not_on", message: "\(what) while the works are on; the project is \(status.rawValue)")
    }
}
