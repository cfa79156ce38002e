import Foundation

/// The demo district's renovation history (旧改), from 2020 to today, in yearly batches: the
/// projects, what the residents said and were answered, the works, the surveys. Generated
/// from the seed and today alone, so a seed and a day always give the same history; the
/// server writes it by the renovation service's rules, each step on the day it happened.
///
/// Scaled from Nangang (140 projects for 223,500 households since 2020, 47 in 2023): four
/// projects a year over two or three of the district's renovated compounds each. Today's
/// batch has one project of 七政 completed lately (its compounds without a company await
/// zoning), two under works with site diaries, one in acceptance with its survey half done,
/// one in consultation with its plan under notice and objections open, and one planned for
/// next year.
public struct DemoRenovationHistory: Sendable {
    public enum Stage: String, Sendable, CaseIterable {
        case planned, consulting, acceptance, underWorks, completed
    }

    /// A scope line: a catalogue item on one of the project's compounds (by its place in
    /// `compounds`) or on the whole project.
    public struct Line: Sendable {
        public var compound: Int?
        public var item: String
        public var quantity: Double
        public var cost: Int
    }

    /// An opinion of a round, and how it was answered (adopted into its first item, or declined).
    public struct Opinion: Sendable {
        public var round: Int
        public var channel: OpinionChannel
        public var text: String
        public var person: String
        public var items: [String]
        public var adopted: Bool
        public var answer: String
    }

    public struct Project: Sendable {
        public var code: String
        public var name: String
        public var year: Int
        public var streetOffice: Int
        /// Indices into the district's compounds.
        public var compounds: [Int]
        public var stage: Stage
        public var scope: [Line]
        public var funding: [Funding]
        /// Indices into the district's contractors: construction, supervision, design.
        public var builder: Int, supervisor: Int, designer: Int
        public var opinions: [Opinion]
        /// The days of each step, `yyyy-MM-dd`; a step the project has not reached is nil.
        public var created: String
        public var consultation: String?
        public var visits: [String]
        public var meeting: String?
        public var rounds: [(collect: String, publish: String)]
        public var notice: String?
        public var approved: String?
        public var worksStarted: String?
        /// Round 3: one piece of feedback during the works, its day, and its answer's publication.
        public var feedback: (day: String, publish: String)?
        public var acceptanceRequested: String?
        public var surveyClosed: String?
        public var completed: String?
        /// The diary's days (the builder's), for the projects under works.
        public var diaryDays: [String]
        /// The share of the households that answered the survey, and the share of those dissatisfied.
        public var surveyShare: Double
        public var dissatisfiedShare: Double
        /// Objections residents file on the public page while the notice runs (open: unanswered).
        public var objections: [String]

        public var budget: Int { scope.reduce(0) { $0 + $1.cost } }
    }

    public var projects: [Project]

    public static let firstYear = 2020
    public static let projectsPerYear = 4
    /// 七政: where today's completed project hands its compounds to zoning, and where the
    /// demo's officer (qizheng) works on the live ones.
    public static let streetOfficeOfToday = "QZ"

    public static func generate(_ district: DemoDistrict, today: String, seed: UInt64 = DemoDistrict.defaultSeed) -> DemoRenovationHistory {
        var g = Generator(district: district, today: today, rng: SeededGenerator(seed: seed ^ 0x0F1E_2D3C_4B5A_6978))
        return DemoRenovationHistory(projects: g.projects())
    }
}

private struct Generator {
    let district: DemoDistrict
    let today: String
    var rng: SeededGenerator
    var taken = Set<Int>()
    let calendar = Calendar.shanghai

    var year: Int { Int(today.prefix(4))! }

    func day(_ offset: Int) -> String { calendar.day(today, plus: offset) }

    mutating func projects() -> [DemoRenovationHistory.Project] {
        var out: [DemoRenovationHistory.Project] = []
        let qz = district.streetOffices.firstIndex { $0.code == DemoRenovationHistory.streetOfficeOfToday } ?? 0
        let others = district.streetOffices.indices.filter { $0 != qz }
        for y in DemoRenovationHistory.firstYear..<year {
            for n in 1...DemoRenovationHistory.projectsPerYear {
                let office = others[(y * 3 + n) % others.count]
                if let p = project(year: y, number: n, office: office, state: .completed, stage: .completed, at: pastYear(y)) { out.append(p) }
            }
        }
        // Today's batch, each step counted back from today.
        // Each: its stage, street office, the registry state its compounds are drawn from, its builder.
        let live: [(stage: DemoRenovationHistory.Stage, office: Int, state: RenovationState, builder: Int)] = [
            (.completed, qz, .completed, 0), (.underWorks, others[0], .underWorks, 0), (.underWorks, qz, .underWorks, 0),
            (.acceptance, others[1], .underWorks, 1), (.consulting, qz, .planned, 0),
        ]
        for (n, (stage, office, state, builder)) in live.enumerated() {
            // 七政's completed project is over compounds nobody manages: they go to zoning.
            if var p = project(year: year, number: n + 1, office: office, state: state, stage: stage, at: current(stage),
                               unmanagedOnly: stage == .completed && office == qz) {
                p.builder = builder
                out.append(p)
            }
        }
        if let p = project(year: year + 1, number: 1, office: others[2], state: .planned, stage: .planned, at: current(.planned)) { out.append(p) }
        return out
    }

    /// The days of a completed project of a past year's batch: consulted in spring, built
    /// from May, accepted in October.
    func pastYear(_ y: Int) -> Timeline {
        func d(_ md: String) -> String { "\(y)-\(md)" }
        return Timeline(created: d("02-20"), consultation: d("03-01"), visits: [d("03-02"), d("03-04"), d("03-06")], meeting: d("03-12"),
                        rounds: [(d("03-15"), d("03-18")), (d("03-25"), d("03-28"))], notice: d("04-01"), approved: d("04-15"),
                        worksStarted: d("05-10"), feedback: (d("07-01"), d("07-06")), acceptanceRequested: d("10-10"),
                        surveyClosed: d("10-20"), completed: d("10-25"), diaryDays: [])
    }

    /// Today's batch, counted back from today.
    func current(_ stage: DemoRenovationHistory.Stage) -> Timeline {
        switch stage {
        case .completed:
            var t = shifted(-280)
            (t.acceptanceRequested, t.surveyClosed, t.completed) = (day(-60), day(-45), day(-40))
            return t
        case .acceptance:
            var t = shifted(-250)
            t.acceptanceRequested = day(-6)
            return t
        case .underWorks:
            var t = shifted(-220)
            // The last fortnight's working days on site.
            t.diaryDays = (1...14).map { day(-$0) }.filter { WorkingCalendar().isWorkingDay($0) }.reversed()
            return t
        case .consulting:
            // The final plan went on notice two days ago: the notice runs, objections come in.
            return Timeline(created: day(-40), consultation: day(-35), visits: [day(-34), day(-32), day(-30)], meeting: day(-25),
                            rounds: [(day(-22), day(-20)), (day(-8), day(-5))], notice: day(-2), approved: nil, worksStarted: nil,
                            feedback: nil, acceptanceRequested: nil, surveyClosed: nil, completed: nil, diaryDays: [])
        case .planned:
            return Timeline(created: day(-10), consultation: nil, visits: [], meeting: nil, rounds: [], notice: nil, approved: nil,
                            worksStarted: nil, feedback: nil, acceptanceRequested: nil, surveyClosed: nil, completed: nil, diaryDays: [])
        }
    }

    /// A project's timeline to the works' round-3 feedback, its first day `start` days from
    /// today; the stages add what comes after.
    func shifted(_ start: Int) -> Timeline {
        Timeline(created: day(start), consultation: day(start + 9), visits: [day(start + 10), day(start + 12), day(start + 14)],
                 meeting: day(start + 20), rounds: [(day(start + 23), day(start + 26)), (day(start + 33), day(start + 36))],
                 notice: day(start + 40), approved: day(start + 54), worksStarted: day(start + 79),
                 feedback: (day(start + 130), day(start + 135)), acceptanceRequested: nil, surveyClosed: nil, completed: nil,
                 diaryDays: [])
    }

    struct Timeline {
        var created: String, consultation: String?, visits: [String], meeting: String?
        var rounds: [(collect: String, publish: String)]
        var notice: String?, approved: String?, worksStarted: String?
        var feedback: (day: String, publish: String)?
        var acceptanceRequested: String?, surveyClosed: String?, completed: String?
        var diaryDays: [String]
    }

    /// Two or three compounds of `office` in the registry state `state`, next to each other in
    /// code order (a street's run of old compounds), none taken by another project.
    mutating func compounds(of office: Int, state: RenovationState, unmanagedOnly: Bool) -> [Int] {
        let name = district.streetOffices[office].name
        let candidates = district.compounds.indices.filter { i in
            let r = district.compounds[i].record
            return r.street == name && r.renovation == state && !taken.contains(i) && (!unmanagedOnly || district.compounds[i].companyIndex == nil)
        }
        guard !candidates.isEmpty else { return [] }
        let count = min(candidates.count, 2 + Int(rng.next() % 2))
        let start = Int(rng.next() % UInt64(max(1, candidates.count - count + 1)))
        let chosen = Array(candidates[start..<start + count])
        taken.formUnion(chosen)
        return chosen
    }

    mutating func project(year: Int, number: Int, office: Int, state: RenovationState, stage: DemoRenovationHistory.Stage,
                          at t: Timeline, unmanagedOnly: Bool = false) -> DemoRenovationHistory.Project? {
        let chosen = compounds(of: office, state: state, unmanagedOnly: unmanagedOnly)
        guard !chosen.isEmpty else { return nil }
        let street = district.streetOffices[office]
        let scope = scope(for: chosen)
        let budget = scope.reduce(0) { $0 + $1.cost }
        // 向上争取 about 60 %, the residents' share where elevators are added, the district the rest.
        let higher = budget * (55 + Int(rng.next() % 11)) / 100
        let residents = scope.contains { $0.item == "elevator" } ? budget / 20 : 0
        var funding = [Funding(source: .higherSubsidy, fen: higher), Funding(source: .districtBudget, fen: budget - higher - residents)]
        if residents > 0 { funding.append(Funding(source: .residents, fen: residents, note: "加装电梯住户分摊")) }
        let names = chosen.map { district.compounds[$0].record.name }
        return DemoRenovationHistory.Project(
            code: "\(street.code)-\(year)-\(String(format: "%02d", number))",
            name: "\(names[0])等\(chosen.count)个小区老旧小区改造（\(year)年）",
            year: year, streetOffice: office, compounds: chosen, stage: stage, scope: scope, funding: funding,
            builder: Int(rng.next() % 2), supervisor: 3, designer: 2, opinions: opinions(scope, stage: stage),
            created: t.created, consultation: t.consultation, visits: t.visits, meeting: t.meeting, rounds: t.rounds, notice: t.notice,
            approved: t.approved, worksStarted: t.worksStarted, feedback: stage == .consulting || stage == .planned ? nil : t.feedback,
            acceptanceRequested: t.acceptanceRequested, surveyClosed: t.surveyClosed, completed: t.completed, diaryDays: t.diaryDays,
            surveyShare: stage == .acceptance ? 0.35 : rng.uniform(0.72...0.88), dissatisfiedShare: rng.uniform(0.01...0.06),
            objections: stage == .consulting ? ["停车位规划占用了楼前绿地，希望调整位置", "施工时间请避开中考高考"] : [])
    }

    /// What old compounds lack most (Shiquan's and Nangang's lists), priced at typical unit costs.
    mutating func scope(for compounds: [Int]) -> [DemoRenovationHistory.Line] {
        var lines: [DemoRenovationHistory.Line] = []
        for (k, i) in compounds.enumerated() {
            let c = district.compounds[i].record
            let area = c.floorArea
            lines.append(.init(compound: k, item: "roofWaterproofing", quantity: (area / 6).rounded(), cost: Int(area / 6 * 9_000)))
            lines.append(.init(compound: k, item: "stairwellLighting", quantity: Double(6 * c.buildings), cost: 6 * c.buildings * 80_000))
            lines.append(.init(compound: k, item: "waterDrainage", quantity: Double(40 * c.buildings), cost: 60_000 * 40 * c.buildings))
            if rng.chance(0.7) { lines.append(.init(compound: k, item: "wallInsulation", quantity: (area / 3).rounded(), cost: Int(area / 3 * 16_000))) }
            let spaces = 10 + Int(rng.next() % 40)
            lines.append(.init(compound: k, item: "parkingSpaces", quantity: Double(spaces), cost: spaces * 800_000))
            if rng.chance(0.5) { lines.append(.init(compound: k, item: "bicycleShed", quantity: 1, cost: 6_000_000)) }
            if rng.chance(0.6) { lines.append(.init(compound: k, item: "chargingPoints", quantity: 10, cost: 10 * 300_000)) }
            if rng.chance(0.5) { lines.append(.init(compound: k, item: "accessControl", quantity: Double(c.buildings), cost: c.buildings * 1_500_000)) }
            if rng.chance(0.3) { lines.append(.init(compound: k, item: "elevator", quantity: 1, cost: 60_000_000)) }
            let green = 200 + Double(rng.next() % 600)
            lines.append(.init(compound: k, item: "greening", quantity: green, cost: Int(green) * 12_000))
        }
        return lines
    }

    /// Adopted answers name lines every scope has (stairwell lighting, parking spaces).
    func opinions(_ scope: [DemoRenovationHistory.Line], stage: DemoRenovationHistory.Stage) -> [DemoRenovationHistory.Opinion] {
        guard stage != .planned else { return [] }
        var out: [DemoRenovationHistory.Opinion] = [
            .init(round: 1, channel: .visit, text: "楼道灯常坏，夜里上下楼不安全", person: "1号楼 住户", items: ["stairwellLighting"], adopted: true,
                  answer: "纳入改造：楼道照明更换为声控灯"),
            .init(round: 1, channel: .meeting, text: "希望多建停车位", person: "居民代表", items: ["parkingSpaces"], adopted: true,
                  answer: "车位增加，利用闲置空地"),
            .init(round: 2, channel: .meeting, text: "停车棚位置离单元门太远", person: "业委会", items: ["bicycleShed"], adopted: false,
                  answer: "单元门前为消防通道，不能设棚；另设充电车棚于院内东侧"),
        ]
        if stage != .consulting {
            out.append(.init(round: 3, channel: .receptionRoom, text: "施工车辆堵住单元门", person: "3号楼 住户", items: [], adopted: false,
                             answer: "已要求施工单位错峰进出并设专人疏导"))
        }
        return out
    }
}
