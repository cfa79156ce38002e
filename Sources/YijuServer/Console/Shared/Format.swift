import Foundation
import YijuCore

/// How the console writes numbers, money and times: on Foundation's format styles, which
/// are values made once (a formatter per call was most of a long table's rendering).
enum Format {
    private static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    private static let whole = FloatingPointFormatStyle<Double>.number.precision(.fractionLength(0))
    private static let minutes = Date.VerbatimFormatStyle(
        format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: shanghai, calendar: Calendar(identifier: .gregorian))
    private static let seconds = Date.VerbatimFormatStyle(
        format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
        timeZone: shanghai, calendar: Calendar(identifier: .gregorian))

    /// An area (or any count) rounded, with thousands separators: 440,000.
    static func area(_ value: Double) -> String { value.formatted(whole) }

    /// Yuan, rounded, with thousands separators.
    static func money(_ value: Double) -> String { "¥" + area(value) }

    /// A fee in fen as yuan with two decimals: 85 → "¥0.85".
    static func fen(_ fen: Int) -> String { "¥" + String(fen / 100) + "." + (fen % 100).zeroPadded(2) }

    /// Fen as yuan, rounded, with thousands separators: 123456789 → "¥1,234,568".
    static func yuan(fen: Int) -> String { money(Double(fen) / 100) }

    /// A quantity as counted: whole numbers without decimals, others to two (29, 12.5).
    static func quantity(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// Fen as typed in a yuan field: 1234567 → "12345.67", 1200 → "12".
    static func yuanField(fen: Int) -> String {
        fen % 100 == 0 ? String(fen / 100) : String(fen / 100) + "." + (fen % 100).zeroPadded(2)
    }

    /// A number as typed in a form field: no separators.
    static func plain(_ value: Double) -> String { String(Int(value.rounded())) }

    /// Date and time in Asia/Shanghai, to the minute: 2025-11-22 10:00.
    static func dateTime(_ date: Date) -> String { date.formatted(minutes) }

    /// Date and time in Asia/Shanghai, to the second, as the audit log shows it.
    static func dateTimeSeconds(_ date: Date) -> String { date.formatted(seconds) }

    /// A share as a percentage with one decimal, or a dash when there is nothing to count.
    static func percent(_ share: Double?) -> String { share.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
}
