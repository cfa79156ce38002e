import Foundation

/// What a project contributes to renovation's figures.
public struct ProjectFigureRow: Sendable {
    public var status: ProjectStatus
    public var year: Int
    public var households: Int
    public var buildings: Int
    public var budgetFen: Int
    public var funding: [Funding]
    /// The scope lines built (a completed project's), as item code and quantity.
    public var built: [(item: String, quantity: Double)]
    /// Distinct households visited during its consultation.
    public var householdsVisited: Int
    /// Its closed acceptance rounds' results (nil: withdrawn).
    public var surveyResults: [Bool?]
    /// Cases about its compounds received while its works were on (即接即办), how many were
    /// replied to, and how many of those before their due time.
    public var worksCases: WorksCases

    public struct WorksCases: Sendable, Equatable {
        public var received = 0, replied = 0, onTime = 0
        public init(received: Int = 0, replied: Int = 0, onTime: Int = 0) {
            self.received = received
            self.replied = replied
            self.onTime = onTime
        }
    }

    public init(status: ProjectStatus, year: Int, households: Int, buildings: Int, budgetFen: Int, funding: [Funding],
                built: [(item: String, quantity: Double)] = [], householdsVisited: Int = 0, surveyResults: [Bool?] = [],
                worksCases: WorksCases = .init()) {
        self.worksCases = worksCases
        self.status = status
        self.year = year
        self.households = households
        self.buildings = buildings
        self.budgetFen = budgetFen
        self.funding = funding
        self.built = built
        self.householdsVisited = householdsVisited
        self.surveyResults = surveyResults
    }
}

/// Renovation's figures for a set of projects (a period, a street office), Shiquan-style:
/// projects by status and year batch, households and buildings benefited, the money by
/// source, the items built, the survey's pass rate and the consultation's reach. Cancelled
/// projects are counted by status only: they benefit nobody and spend nothing.
public struct RenovationFigures: Sendable, Equatable {
    public struct Year: Sendable, Equatable {
        public var year: Int
        public var projects: Int
        public var households: Int
        public var buildings: Int
        public var budgetFen: Int
    }

    public var byStatus: [ProjectStatus: Int]
    public var years: [Year]
    public var projects: Int
    public var households: Int
    public var buildings: Int
    public var budgetFen: Int
    public var fundingFen: [FundingSource: Int]
    /// Item code → quantity built, for completed projects.
    public var built: [String: Double]
    public var surveysClosed: Int
    public var surveysPassed: Int
    /// Households visited against the households of the projects put to the residents.
    public var householdsVisited: Int
    public var householdsConsulted: Int
    /// Cases received during the works, replied, replied on time.
    public var worksCases: ProjectFigureRow.WorksCases

    /// Replied on time over replied, for the cases during the works; nil when none was replied.
    public var worksOnTimeRate: Double? { worksCases.replied == 0 ? nil : Double(worksCases.onTime) / Double(worksCases.replied) }

    /// Passed rounds over rounds closed with a result; nil when none closed.
    public var passRate: Double? { surveysClosed == 0 ? nil : Double(surveysPassed) / Double(surveysClosed) }
    public var participation: Double? { householdsConsulted == 0 ? nil : Double(householdsVisited) / Double(householdsConsulted) }

    public init(_ rows: [ProjectFigureRow]) {
        byStatus = Dictionary(grouping: rows, by: \.status).mapValues(\.count)
        let counted = rows.filter { $0.status != .cancelled }
        years = Dictionary(grouping: counted, by: \.year).map { year, rows in
            Year(year: year, projects: rows.count, households: rows.reduce(0) { $0 + $1.households },
                 buildings: rows.reduce(0) { $0 + $1.buildings }, budgetFen: rows.reduce(0) { $0 + $1.budgetFen })
        }.sorted { $0.year > $1.year }
        projects = counted.count
        households = counted.reduce(0) { $0 + $1.households }
        buildings = counted.reduce(0) { $0 + $1.buildings }
        budgetFen = counted.reduce(0) { $0 + $1.budgetFen }
        fundingFen = counted.flatMap(\.funding).reduce(into: [:]) { $0[$1.source, default: 0] += $1.fen }
        built = counted.filter { $0.status == .completed }.flatMap(\.built).reduce(into: [:]) { $0[$1.item, default: 0] += $1.quantity }
        let results = counted.flatMap(\.surveyResults).compactMap { $0 }
        surveysClosed = results.count
        surveysPassed = results.filter { $0 }.count
        let consulted = counted.filter { $0.status != .planned }
        householdsVisited = consulted.reduce(0) { $0 + min($1.householdsVisited, $1.households) }
        householdsConsulted = consulted.reduce(0) { $0 + $1.households }
        worksCases = rows.reduce(into: .init()) {
            $0.received += $1.worksCases.received
            $0.replied += $1.worksCases.replied
            $0.onTime += $1.worksCases.onTime
        }
    }
}
