import Foundation

/// About two years of plausible cases for the demo district, deterministic from a seed:
/// heating complaints in the heating season (Harbin heats from 20 October to 20 April),
/// sanitation and parking in summer, more from compounds nobody manages, and — the point
/// of the whole product — clearly fewer from the compounds that were zoned a year ago, for
/// the domains a manager answers for. Nothing here states a result: the dashboard's
/// year-over-year figures are computed from these cases like from real ones.
public enum DemoCaseHistory {
    public struct Case: Sendable {
        public var compoundIndex: Int
        public var domain: CaseDomain
        public var channel: CaseChannel
        public var receivedAt: Date
        public var colour: CaseColour
        /// Solved on the spot (green): closed at intake.
        public var solvedOnTheSpot: Bool
        /// Hours from dispatch to acceptance; nil when not accepted yet.
        public var acceptedAfterHours: Double?
        /// Days from dispatch to the (last) reply; nil when not replied yet.
        public var repliedAfterDays: Double?
        /// Replied later than the time limit (a supervision order was issued).
        public var overdue: Bool
        /// The order was not met either (escalated to the bureau).
        public var escalated: Bool
        /// The first follow-up was dissatisfied and the case was reopened once.
        public var reopened: Bool
        public var satisfaction: Satisfaction?
        public var closed: Bool
        /// Cases on this compound and domain within 30 days, this one included, and the one before.
        public var repeatCount: Int
        public var repeatOf: Int?
        public var externalNumber: String?
        public var reporterName: String
        public var reporterPhone: String
    }

    static let domainShare: [(CaseDomain, Double)] = [
        (.propertyService, 0.25), (.sanitation, 0.15), (.heating, 0.12), (.parking, 0.10), (.water, 0.08), (.electricity, 0.05),
        (.gas, 0.03), (.constructionQuality, 0.04), (.propertyRights, 0.03), (.safety, 0.04), (.maintenanceFund, 0.03),
        (.illegalConstruction, 0.03), (.other, 0.05),
    ]

    /// How much more (or less) a domain comes up in a month (1 = January).
    static func season(_ domain: CaseDomain, month: Int) -> Double {
        switch domain {
        case .heating: [1, 2, 3, 12, 11].contains(month) ? 4.0 : [4, 10].contains(month) ? 2.0 : 0.1
        case .sanitation: (6...8).contains(month) ? 2.2 : 0.8
        case .parking: (6...9).contains(month) ? 1.8 : 0.8
        case .electricity: (7...8).contains(month) ? 1.5 : 1
        case .gas: [12, 1, 2].contains(month) ? 1.5 : 1
        case .illegalConstruction: (5...9).contains(month) ? 1.5 : 0.7
        default: 1
        }
    }

    /// Cases per 1,000 households per day before any change, by how the compound is run.
    static func baseRate(_ mode: ManagementMode) -> Double {
        switch mode {
        case .abandoned: 0.30
        case .governmentFallback: 0.22
        case .selfManaged: 0.20
        case .professional: 0.12
        }
    }

    /// The domains a property manager answers for, which zoning changes most.
    static func managerDomain(_ d: CaseDomain) -> Bool {
        [.propertyService, .sanitation, .parking, .safety, .other, .maintenanceFund].contains(d)
    }

    /// How much more often than usual each company lets a case run late or leaves a resident
    /// dissatisfied (index = the district's company index), deterministic from the seed: about
    /// a quarter diligent, half ordinary, a few slack and one or two failing. The credit ledger
    /// then tells them apart by what happened, as it would with real companies.
    public static func diligence(companies: Int, seed: UInt64 = DemoDistrict.defaultSeed) -> [Double] {
        var rng = SeededGenerator(seed: seed ^ 0xD111_6E7C)
        return (0..<companies).map { _ in
            let u = rng.unit()
            return u < 0.12 ? 0.5 : u < 0.85 ? 0.95 : u < 0.95 ? 1.2 : 2.0
        }
    }

    /// A compound handed to another company (a tender's contract starting) from a day on.
    public struct Handover: Sendable {
        public var from: Date
        public var companyIndex: Int

        public init(from: Date, companyIndex: Int) {
            self.from = from
            self.companyIndex = companyIndex
        }
    }

    /// `zoned` holds the compounds in management areas since `zonedSince`; `handovers` the
    /// compounds (by index) whose company changed, and when.
    public static func generate(_ district: DemoDistrict, zoned: Set<Int>, zonedSince: Date, now: Date, days: Int = 730,
                                handovers: [Int: Handover] = [:], seed: UInt64 = DemoDistrict.defaultSeed) -> [Case] {
        let diligence = Self.diligence(companies: district.companies.count, seed: seed)
        var rng = SeededGenerator(seed: seed ^ 0xCA5E_5EED)
        let calendar = Calendar.shanghai
        let start = calendar.start(of: calendar.day(now.addingTimeInterval(-Double(days) * 86_400)))!
        var cases: [Case] = []
        var lastByKey: [String: [Int]] = [:]
        let surnames = Array("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗")
        for d in 0..<days {
            let dayStart = start.addingTimeInterval(Double(d) * 86_400)
            let month = calendar.component(.month, from: dayStart)
            let weights = domainShare.map { ($0.0, $0.1 * season($0.0, month: month)) }
            let seasonal = weights.map(\.1).reduce(0, +)
            // Zoned compounds got a manager: manager-domain complaints fall by about two thirds.
            let zonedWeights = weights.map { managerDomain($0.0) ? ($0.0, $0.1 * 0.35) : $0 }
            let zonedFactor = zonedWeights.map(\.1).reduce(0, +) / seasonal
            let zoningInForce = dayStart >= zonedSince
            for (i, compound) in district.compounds.enumerated() {
                let record = compound.record
                let afterZoning = zoningInForce && zoned.contains(i)
                var lambda = baseRate(record.management) * Double(record.households) / 1000 * seasonal
                if afterZoning { lambda *= zonedFactor }
                let count = poisson(lambda, &rng)
                for _ in 0..<count {
                    let domain = pick(afterZoning ? zonedWeights : weights, &rng)
                    let received = dayStart.addingTimeInterval(rng.uniform(7.5 * 3600...21 * 3600))
                    guard received < now else { continue }
                    let handover = handovers[i].flatMap { received >= $0.from ? $0.companyIndex : nil }
                    let care = (handover ?? compound.companyIndex).map { diligence[$0] }
                    // A diligent company heads off part of what residents would call about.
                    if let care, managerDomain(domain), rng.unit() > min(1, 0.35 + 0.4 * care) { continue }
                    cases.append(outcome(i, domain, received, afterZoning: afterZoning, diligence: care ?? 1,
                                         now: now, names: surnames, &rng))
                }
            }
        }
        cases.sort { $0.receivedAt < $1.receivedAt }
        // The hotline's and other systems' work-order numbers: the day and its sequence, so
        // never the same twice (random ones collided now and then, and the load failed).
        var sequence: [String: Int] = [:]
        for index in cases.indices where [.hotline, .api].contains(cases[index].channel) {
            let day = String(calendar.day(cases[index].receivedAt).replacingOccurrences(of: "-", with: "").dropFirst(2))
            sequence[day, default: 0] += 1
            cases[index].externalNumber = "12345-\(day)\(String(format: "%04d", sequence[day]!))"
        }
        // Repeats: the same compound and domain within 30 days; the third goes red.
        for index in cases.indices {
            let key = "\(cases[index].compoundIndex)/\(cases[index].domain.rawValue)"
            let window = cases[index].receivedAt.addingTimeInterval(-30 * 86_400)
            let earlier = (lastByKey[key] ?? []).filter { cases[$0].receivedAt >= window }
            cases[index].repeatCount = earlier.count + 1
            cases[index].repeatOf = earlier.last
            if cases[index].repeatCount >= 3, !cases[index].solvedOnTheSpot { cases[index].colour = .red }
            lastByKey[key] = earlier + [index]
        }
        return cases
    }

    static func outcome(_ compound: Int, _ domain: CaseDomain, _ received: Date, afterZoning: Bool, diligence: Double, now: Date,
                        names: [Character], _ rng: inout SeededGenerator) -> Case {
        let channels: [(CaseChannel, Double)] = [(.hotline, 0.6), (.gridPatrol, 0.12), (.reception, 0.1), (.webForm, 0.08), (.petition, 0.04),
                                                 (.media, 0.02), (.api, 0.04)]
        let channel = pick(channels, &rng)
        let roll = rng.unit()
        let green = roll < 0.15 && channel != .petition
        var c = Case(compoundIndex: compound, domain: domain, channel: channel, receivedAt: received,
                     colour: green ? .green : (rng.unit() < 0.1 ? .red : .yellow), solvedOnTheSpot: green,
                     acceptedAfterHours: nil, repliedAfterDays: nil, overdue: false, escalated: false, reopened: false, satisfaction: nil,
                     closed: green, repeatCount: 1, repeatOf: nil,
                     externalNumber: nil,
                     reporterName: "\(names[Int(rng.next() % UInt64(names.count))])\(["先生", "女士"][Int(rng.next() % 2)])",
                     reporterPhone: String(format: "13%09llu", rng.next() % 1_000_000_000))
        guard !green else { return c }
        let age = now.timeIntervalSince(received) / 86_400
        let accept = rng.unit() < 0.05 ? rng.uniform(26...40) : rng.uniform(0.3...20)
        guard age * 24 > accept else { return c }
        c.acceptedAfterHours = accept
        let limit = c.colour == .red ? 9.0 : 3.0
        let overdueChance = (afterZoning ? 0.025 : 0.06) * diligence
        let late = rng.unit() < overdueChance
        // A late reply comes within the supervision order's three days for a careful company
        // and mostly after them for a slack one: lapsed orders are what mark the slack.
        let lateness = 0.5 + 4.5 * min(1, diligence / 1.5)
        // Never before the acceptance (up to 40 hours after dispatch): a reply comes after it.
        let reply = max(late ? rng.uniform(limit + 0.5...limit + lateness) : rng.uniform(0.2...(limit - 0.5)), accept / 24 + 0.1)
        c.overdue = late && age > limit
        c.escalated = late && reply > limit + 3 && age > limit + 3
        guard age > reply else { return c }
        c.repliedAfterDays = reply
        let verdict = rng.unit()
        let reopenChance = min(0.08 * diligence, 0.3)
        c.reopened = verdict < reopenChance
        c.satisfaction = verdict < 0.83 ? .satisfied : .basicallySatisfied
        if c.reopened { c.repliedAfterDays = reply + rng.uniform(1...3) }
        guard age > (c.repliedAfterDays ?? 0) + 1 else { c.satisfaction = nil; return c }
        c.closed = age > (c.repliedAfterDays ?? 0) + 2
        return c
    }

    static func poisson(_ lambda: Double, _ rng: inout SeededGenerator) -> Int {
        guard lambda > 0 else { return 0 }
        let limit = exp(-lambda)
        var k = 0
        var p = rng.unit()
        while p > limit {
            k += 1
            p *= rng.unit()
        }
        return k
    }

    static func pick<T>(_ weighted: [(T, Double)], _ rng: inout SeededGenerator) -> T {
        let total = weighted.map(\.1).reduce(0, +)
        var x = rng.unit() * total
        for (value, weight) in weighted {
            if x < weight { return value }
            x -= weight
        }
        return weighted.last!.0
    }
}
