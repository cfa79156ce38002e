import Foundation
import YijuCore

/// The site rules' fields on the renovation settings page: the day's and the night's noise
/// limits, the night's hours, and the quiet periods one per line (`高考 06-07 06-09 55`).
struct SiteRulesForm: Encodable {
    var dayLimit: String, nightLimit: String, nightStarts: String, nightEnds: String, quietPeriods: String

    init(_ r: SiteRules, form: [String: String]?) {
        dayLimit = form?["dayLimitDecibels"] ?? DiaryPage.number(r.dayLimitDecibels)
        nightLimit = form?["nightLimitDecibels"] ?? DiaryPage.number(r.nightLimitDecibels)
        nightStarts = form?["nightStarts"] ?? r.nightStarts
        nightEnds = form?["nightEnds"] ?? r.nightEnds
        quietPeriods = form?["quietPeriods"] ?? r.quietPeriods.map { "\($0.name) \($0.from) \($0.to) \(DiaryPage.number($0.limitDecibels))" }
            .joined(separator: "\n")
    }

    /// The posted fields as site rules; what does not read is named (`rules.site.…`), and
    /// the rules' own checks come after, when the settings are saved.
    static func rules(_ form: [String: String], _ errors: inout [FieldError]) -> SiteRules {
        var rules = SiteRules()
        func decibels(_ key: String) -> Double? {
            guard let value = Double((form[key] ?? "").trimmingCharacters(in: .whitespaces)) else {
                errors.append(FieldError(field: "rules.site.\(key)", reason: "a level in dB(A), like 55"))
                return nil
            }
            return value
        }
        rules.dayLimitDecibels = decibels("dayLimitDecibels") ?? rules.dayLimitDecibels
        rules.nightLimitDecibels = decibels("nightLimitDecibels") ?? rules.nightLimitDecibels
        rules.nightStarts = (form["nightStarts"] ?? "").trimmingCharacters(in: .whitespaces)
        rules.nightEnds = (form["nightEnds"] ?? "").trimmingCharacters(in: .whitespaces)
        let lines = (form["quietPeriods"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        rules.quietPeriods = lines.enumerated().compactMap { i, line in
            let parts = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard parts.count == 4, let limit = Double(parts[3]) else {
                errors.append(FieldError(field: "rules.site.quietPeriods", reason: "line \(i + 1): a name, two days and a level, like 高考 06-07 06-09 55"))
                return nil
            }
            return QuietPeriod(name: parts[0], from: parts[1], to: parts[2], limitDecibels: limit)
        }
        return rules
    }
}
