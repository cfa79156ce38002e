import Foundation
import Testing
@testable import YijuCore

@Suite("Renovation: the site diary's checks and the civilised-construction rules")
struct SiteDiaryTests {
    func entry(_ day: String = "2026-05-12", noise: [NoiseReading] = [], dust: Bool = true, waste: Bool = true) -> DiaryEntry {
        DiaryEntry(day: day, weather: "晴", workDone: "3号楼外墙保温施工", workers: 18, machines: ["吊篮"], noise: noise, dustSuppressed: dust, wasteCleared: waste)
    }

    @Test("A reading is held to the limit of its hour: 70 dB by day, 55 at night (22:00–06:00), the stricter quiet period's all day")
    func limits() {
        let rules = SiteRules.default
        #expect(rules.limit(day: "2026-05-12", time: "09:30") == (70, "day"))
        #expect(rules.limit(day: "2026-05-12", time: "21:59") == (70, "day"))
        #expect(rules.limit(day: "2026-05-12", time: "22:00") == (55, "night"))
        #expect(rules.limit(day: "2026-05-12", time: "05:59") == (55, "night"))
        #expect(rules.limit(day: "2026-05-12", time: "06:00") == (70, "day"))
        #expect(rules.limit(day: "2026-06-08", time: "10:00") == (55, "高考"))
        // At night in a quiet period the night's limit is no stricter, so it stays the night's.
        #expect(rules.limit(day: "2026-06-08", time: "23:00") == (55, "night"))
        var winter = SiteRules()
        winter.quietPeriods = [QuietPeriod(name: "春节", from: "12-30", to: "01-02", limitDecibels: 50)]
        #expect(winter.limit(day: "2027-01-01", time: "10:00") == (50, "春节"))
        #expect(winter.limit(day: "2026-12-29", time: "10:00") == (70, "day"))
    }

    @Test("Findings: each reading over its limit, dust not suppressed, waste not cleared; a clean day has none")
    func findings() {
        #expect(DiaryRules.findings(entry(noise: [NoiseReading(time: "10:00", decibels: 68)]), rules: .default).isEmpty)
        let day = entry("2026-06-08", noise: [NoiseReading(time: "10:00", decibels: 62, place: "考点东侧"), NoiseReading(time: "15:00", decibels: 54)],
                        dust: false, waste: false)
        #expect(DiaryRules.findings(day, rules: .default) == [
            SiteFinding(kind: .noise, reading: 0, decibels: 62, limitDecibels: 55, period: "高考"),
            SiteFinding(kind: .dust), SiteFinding(kind: .waste),
        ])
        let night = entry(noise: [NoiseReading(time: "23:10", decibels: 58)])
        #expect(DiaryRules.findings(night, rules: .default) == [SiteFinding(kind: .noise, reading: 0, decibels: 58, limitDecibels: 55, period: "night")])
    }

    @Test("An entry is refused for a day before the works started or after today, and for each malformed part, naming it")
    func problems() {
        #expect(DiaryRules.problems(entry(), worksStarted: "2026-05-01", today: "2026-05-12").isEmpty)
        #expect(DiaryRules.problems(entry("2026-04-30"), worksStarted: "2026-05-01", today: "2026-05-12").map(\.field) == ["day"])
        #expect(DiaryRules.problems(entry("2026-05-13"), worksStarted: "2026-05-01", today: "2026-05-12").map(\.field) == ["day"])
        #expect(DiaryRules.problems(entry("2026-02-30"), worksStarted: nil, today: "2026-05-12").map(\.field) == ["day"])
        var bad = entry(noise: [NoiseReading(time: "25:00", decibels: 62), NoiseReading(time: "09:00", decibels: 400)])
        bad.workDone = "  "
        bad.workers = -1
        bad.machines = [""]
        bad.incidents = [String(repeating: "漏", count: 501)]
        #expect(DiaryRules.problems(bad, worksStarted: "2026-05-01", today: "2026-05-12").map(\.field)
                == ["workDone", "workers", "machines[0]", "noise[0].time", "noise[1].decibels", "incidents[0]"])
    }

    @Test("The site rules are checked whole, and versions stored before them read with the shipped ones")
    func rules() throws {
        #expect(SiteRules.default.problems().isEmpty)
        var rules = SiteRules()
        rules.nightLimitDecibels = 75
        rules.nightStarts = "22"
        rules.quietPeriods = [QuietPeriod(name: "", from: "02-30", to: "06-09", limitDecibels: 10)]
        #expect(rules.problems().map(\.field) == ["nightLimitDecibels", "nightStarts", "quietPeriods[0].name", "quietPeriods[0].from", "quietPeriods[0].limitDecibels"])
        var settings = RenovationSettings.default
        settings.rules.site.dayLimitDecibels = 100
        #expect(settings.problems().map(\.field) == ["rules.site.dayLimitDecibels"])
        let old = #"{"minimumResponseShare":0.7,"minimumSatisfiedShare":0.9,"noticeDays":7}"#
        let read = try JSONDecoder().decode(RenovationRules.self, from: Data(old.utf8))
        #expect(read.site == .default && read.minimumResponseShare == 0.7)
        let again = try JSONDecoder().decode(RenovationRules.self, from: JSONEncoder().encode(settings.rules))
        #expect(again == settings.rules)
    }
}
