import Foundation

extension Calendar {
    /// Dates are shown and counted in Asia/Shanghai, whatever the server's own zone.
    public static let shanghai: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar
    }()

    /// The calendar day of `date` in this calendar's zone, as yyyy-MM-dd.
    public func day(_ date: Date) -> String {
        let c = dateComponents([.year, .month, .day], from: date)
        return c.year!.zeroPadded(4) + "-" + c.month!.zeroPadded(2) + "-" + c.day!.zeroPadded(2)
    }

    /// `day` (yyyy-MM-dd) moved by a number of days.
    public func day(_ day: String, plus days: Int) -> String {
        guard let date = start(of: day), let moved = self.date(byAdding: .day, value: days, to: date) else { return day }
        return self.day(moved)
    }

    /// Whether `day` is a real yyyy-MM-dd day: 2025-13-45 is not, though `start(of:)` would
    /// read it as a day in 2026.
    public func isDay(_ day: String) -> Bool {
        start(of: day).map(self.day) == day
    }

    /// Midnight at the start of `day` (yyyy-MM-dd) in this calendar's zone.
    public func start(of day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}

/// Which days are working days: Monday to Friday, minus official holidays, plus the
/// make-up workdays (调休) on which a weekend day is worked. One table per year, kept by
/// the bureau admin, because the State Council publishes the next year's only in the
/// autumn. A year without a table counts plain weekdays, and says so.
public struct WorkingCalendar: Sendable, Equatable {
    /// yyyy-MM-dd.
    public var holidays: Set<String>
    public var makeUpWorkdays: Set<String>
    /// Years whose table was entered; deadlines in other years use weekdays only.
    public var yearsCovered: Set<Int>

    public init(holidays: Set<String> = [], makeUpWorkdays: Set<String> = [], yearsCovered: Set<Int> = []) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
        self.yearsCovered = yearsCovered
    }

    static let calendar = Calendar.shanghai

    public func isWorkingDay(_ day: String) -> Bool {
        if holidays.contains(day) { return false }
        if makeUpWorkdays.contains(day) { return true }
        guard let date = Self.calendar.start(of: day) else { return false }
        let weekday = Self.calendar.component(.weekday, from: date)  // 1 = Sunday, 7 = Saturday
        return weekday != 1 && weekday != 7
    }

    /// The end of the `count`-th working day after the day `from` falls on: a case received on
    /// Friday with 2 working days is due at the end of Tuesday (Wednesday 00:00), and one
    /// received on a Saturday likewise. `count` 0 is the end of `from`'s own day.
    public func deadline(from: Date, workingDays count: Int) -> Date {
        let calendar = Self.calendar
        var midnight = calendar.startOfDay(for: from)
        var left = count
        while left > 0 {
            midnight = calendar.date(byAdding: .day, value: 1, to: midnight)!
            if isWorkingDay(calendar.day(midnight)) { left -= 1 }
        }
        return calendar.date(byAdding: .day, value: 1, to: midnight)!
    }

    /// Working days from the day of `from` to the day of `to`, not counting `from`'s day:
    /// 0 when both fall on one day or `to` is earlier.
    public func workingDays(from: Date, to: Date) -> Int {
        var day = Self.calendar.day(from)
        let end = Self.calendar.day(to)
        var count = 0
        while day < end {
            day = Self.calendar.day(day, plus: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }
}
