import Foundation

/// A household of a project, as the survey addresses it: a compound (its code), building,
/// unit and room.
public struct Household: Sendable, Hashable, Codable {
    public var compound: String
    public var building: String
    public var unit: String
    public var room: String

    public init(compound: String, building: String, unit: String, room: String) {
        self.compound = compound
        self.building = building
        self.unit = unit
        self.room = room
    }

    public var label: String { "\(compound) \(building)-\(unit)-\(room)" }

    /// A building of the project: its compound's code and the building's number.
    public var buildingRef: BuildingRef { BuildingRef(compound: compound, building: building) }
}

public struct BuildingRef: Sendable, Hashable {
    public var compound: String
    public var building: String

    public init(compound: String, building: String) {
        self.compound = compound
        self.building = building
    }
}

/// 满意度测评: the acceptance survey's arithmetic. It passes only when enough of the
/// project's households answered and enough of the answers are satisfied or basically
/// satisfied (Shiquan: at least 2/3 answered, at least 90 % satisfied).
public struct SurveyResult: Sendable, Equatable {
    public var households: Int
    public var responses: Int
    public var satisfied: Int
    public var basicallySatisfied: Int
    public var dissatisfied: Int
    public var minimumResponseShare: Double
    public var minimumSatisfiedShare: Double

    /// Responses as a share of the project's households.
    public var responseShare: Double { households == 0 ? 0 : Double(responses) / Double(households) }
    /// Satisfied and basically satisfied as a share of the responses.
    public var satisfiedShare: Double { responses == 0 ? 0 : Double(satisfied + basicallySatisfied) / Double(responses) }
    /// Responses still needed to reach the response share.
    public var responsesNeeded: Int { max(0, Int((Double(households) * minimumResponseShare - 1e-9).rounded(.up)) - responses) }

    public var enoughResponses: Bool { households > 0 && Double(responses) >= Double(households) * minimumResponseShare - 1e-9 }
    public var enoughSatisfied: Bool { responses > 0 && Double(satisfied + basicallySatisfied) >= Double(responses) * minimumSatisfiedShare - 1e-9 }
    public var passes: Bool { enoughResponses && enoughSatisfied }

    /// The arithmetic, as the acceptance page shows it.
    public var explanation: String {
        let answered = "\(responses) / \(households) 户参与测评 = \(Self.percent(responseShare))（须 ≥ \(Self.percent(minimumResponseShare))）"
        let content = "满意 \(satisfied) + 基本满意 \(basicallySatisfied) = \(satisfied + basicallySatisfied) / \(responses) = \(Self.percent(satisfiedShare))（须 ≥ \(Self.percent(minimumSatisfiedShare))）"
        return answered + "；" + content + "；" + (passes ? "测评通过" : "测评未通过")
    }

    public init(households: Int, verdicts: [SurveyVerdict], rules: RenovationRules) {
        self.households = households
        responses = verdicts.count
        satisfied = verdicts.filter { $0 == .satisfied }.count
        basicallySatisfied = verdicts.filter { $0 == .basicallySatisfied }.count
        dissatisfied = verdicts.filter { $0 == .dissatisfied }.count
        minimumResponseShare = rules.minimumResponseShare
        minimumSatisfiedShare = rules.minimumSatisfiedShare
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}

/// Why a survey response is refused: it is not valid, or its household has answered already
/// (a conflict with the earlier answer, which stands).
public enum SurveyProblem: Sendable, Equatable {
    case invalid(FieldError)
    case duplicate(FieldError)

    public var error: FieldError {
        switch self {
        case .invalid(let e), .duplicate(let e): e
        }
    }
}

/// The checks on one survey response: a household of the project's buildings, once per
/// round, and no more answers than the project has households.
public enum SurveyRules {
    public static func problem(_ household: Household, buildings: Set<BuildingRef>, answered: Set<Household>, households: Int) -> SurveyProblem? {
        if !buildings.contains(household.buildingRef) {
            return .invalid(FieldError(field: "building", reason: "\(household.compound) building \(household.building) is not one of this project's buildings"))
        }
        if household.unit.isEmpty || household.unit.count > 10 || household.room.isEmpty || household.room.count > 10 {
            return .invalid(FieldError(field: household.unit.isEmpty || household.unit.count > 10 ? "unit" : "room", reason: "1 to 10 characters, e.g. 2 or 301"))
        }
        if answered.contains(household) {
            return .duplicate(FieldError(field: "household", reason: "\(household.label) has answered this survey already"))
        }
        if answered.count >= households {
            return .invalid(FieldError(field: "household", reason: "all \(households) households of the project have answered"))
        }
        return nil
    }
}
