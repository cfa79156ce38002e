import Foundation

/// How a tender's bids are weighed (选聘评分), in points out of 100. Editable per tender.
public struct TenderWeights: Codable, Sendable, Equatable {
    public var price: Int
    public var servicePlan: Int
    public var credit: Int
    public var resources: Int

    public static let `default` = TenderWeights(price: 30, servicePlan: 40, credit: 20, resources: 10)

    public init(price: Int, servicePlan: Int, credit: Int, resources: Int) {
        self.price = price
        self.servicePlan = servicePlan
        self.credit = credit
        self.resources = resources
    }

    public func problems(prefix: String = "weights.") -> [FieldError] {
        var problems: [FieldError] = []
        for (name, value) in [("price", price), ("servicePlan", servicePlan), ("credit", credit), ("resources", resources)] where !(0...100).contains(value) {
            problems.append(FieldError(field: prefix + name, reason: "must be 0 to 100"))
        }
        let sum = price + servicePlan + credit + resources
        if sum != 100 { problems.append(FieldError(field: prefix.isEmpty ? "weights" : String(prefix.dropLast()), reason: "must sum to 100, not \(sum)")) }
        return problems
    }
}

/// A bid as the scoring sees it.
public struct BidFigures: Sendable, Equatable {
    public var bidID: UUID
    public var companyName: String
    /// Fen per m² per month.
    public var priceFen: Int
    public var stations: Int
    public var staff: Int
    public var machines: Int
    /// The company's credit score on the tender's closing day.
    public var creditScore: Tenths
    /// Each panel member's score of the service plan, 0–100.
    public var panelScores: [Double]

    public init(bidID: UUID, companyName: String, priceFen: Int, stations: Int, staff: Int, machines: Int, creditScore: Tenths, panelScores: [Double]) {
        self.bidID = bidID
        self.companyName = companyName
        self.priceFen = priceFen
        self.stations = stations
        self.staff = staff
        self.machines = machines
        self.creditScore = creditScore
        self.panelScores = panelScores
    }
}

public struct RankedBid: Sendable, Equatable {
    public var bidID: UUID
    public var rank: Int
    public var price: Double
    public var servicePlan: Double
    public var credit: Double
    public var resources: Double
    public var total: Double
}

public enum TenderScoring {
    /// Price: the lowest price gets the full weight, others lowest ÷ theirs of it. Service
    /// plan: the panel's mean out of 100. Credit: the score out of 100 (capped). Resources:
    /// stations, staff and machines each against the most any bidder offers, averaged.
    /// Ranked by total; ties go to the better credit, then the lower price, then the name.
    public static func rank(_ bids: [BidFigures], weights: TenderWeights) -> [RankedBid] {
        guard let lowest = bids.map(\.priceFen).filter({ $0 > 0 }).min() else { return [] }
        let most = (stations: bids.map(\.stations).max() ?? 0, staff: bids.map(\.staff).max() ?? 0, machines: bids.map(\.machines).max() ?? 0)
        func share(_ value: Int, _ max: Int) -> Double { max > 0 ? Double(value) / Double(max) : 0 }
        func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
        let scored = bids.map { bid -> (BidFigures, RankedBid) in
            let price = bid.priceFen > 0 ? Double(weights.price) * Double(lowest) / Double(bid.priceFen) : 0
            let plan = bid.panelScores.isEmpty ? 0 : Double(weights.servicePlan) * (bid.panelScores.reduce(0, +) / Double(bid.panelScores.count)) / 100
            let credit = Double(weights.credit) * Double(min(max(bid.creditScore, 0), 1000)) / 1000
            let resources = Double(weights.resources) * (share(bid.stations, most.stations) + share(bid.staff, most.staff) + share(bid.machines, most.machines)) / 3
            return (bid, RankedBid(bidID: bid.bidID, rank: 0, price: round2(price), servicePlan: round2(plan), credit: round2(credit),
                                   resources: round2(resources), total: round2(price + plan + credit + resources)))
        }
        let ordered = scored.sorted { a, b in
            if a.1.total != b.1.total { return a.1.total > b.1.total }
            if a.0.creditScore != b.0.creditScore { return a.0.creditScore > b.0.creditScore }
            if a.0.priceFen != b.0.priceFen { return a.0.priceFen < b.0.priceFen }
            return a.0.companyName < b.0.companyName
        }
        return ordered.enumerated().map { index, pair in
            var ranked = pair.1
            ranked.rank = index + 1
            return ranked
        }
    }
}
