import Foundation

/// Why a zone is outside the rules.
public enum ZoneViolation: Sendable, Hashable, CustomStringConvertible {
    case belowMinFloorArea(Double)
    case aboveMaxFloorArea(Double)
    case belowMinHouseholds(Int)
    case aboveMaxHouseholds(Int)
    case radiusTooLarge(Double)
    case disconnected
    case crossesStreetOffices
    case lockedCompoundMoved(String)

    /// Band violations rank plans; structural ones make a plan invalid outright.
    public var isBand: Bool {
        switch self {
        case .belowMinFloorArea, .aboveMaxFloorArea, .belowMinHouseholds, .aboveMaxHouseholds, .radiusTooLarge: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .belowMinFloorArea(let a): String(format: "floor area %.0f m² is below the lower band", a)
        case .aboveMaxFloorArea(let a): String(format: "floor area %.0f m² is above the upper band", a)
        case .belowMinHouseholds(let h): "\(h) households is below the lower band"
        case .aboveMaxHouseholds(let h): "\(h) households is above the upper band"
        case .radiusTooLarge(let r): String(format: "radius %.0f m exceeds maxRadiusMeters", r)
        case .disconnected: "its compounds are not connected in the adjacency"
        case .crossesStreetOffices: "it spans more than one street office"
        case .lockedCompoundMoved(let id): "locked compound \(id) is not in its zone"
        }
    }
}

/// A violation no plan can avoid, with the compounds that cause it.
public struct UnavoidableViolation: Sendable, Hashable, CustomStringConvertible {
    public var compoundIDs: [String]
    public var reason: String
    public var description: String { "\(compoundIDs.prefix(8).joined(separator: ", "))\(compoundIDs.count > 8 ? " …" : ""): \(reason)" }
}

/// A complete assignment of compounds to zones and zones to lots, with ids.
public struct ZoningPlan: Sendable, Equatable {
    /// Zone index of each compound (problem order).
    public var zoneOf: [Int]
    public var zoneIDs: [String]
    /// Lot index of each zone.
    public var lotOf: [Int]
    public var lotIDs: [String]

    public init(zoneOf: [Int], zoneIDs: [String], lotOf: [Int], lotIDs: [String]) {
        self.zoneOf = zoneOf; self.zoneIDs = zoneIDs; self.lotOf = lotOf; self.lotIDs = lotIDs
    }
}

public struct ZoneReport: Sendable {
    public var id: String
    public var street: String
    public var lot: String
    public var compoundIDs: [String]
    public var floorArea: Double
    public var households: Int
    public var radiusMeters: Double
    /// km².
    public var dispersion: Double
    public var income: Double
    public var cost: Double
    public var subsidy: Double
    public var violations: [ZoneViolation]
}

public struct LotReport: Sendable {
    public var id: String
    public var street: String
    public var zoneIDs: [String]
    public var floorArea: Double
    public var households: Int
    public var income: Double
    public var cost: Double
    public var subsidy: Double
    public var connected: Bool
}

/// A plan measured against its problem: what the planner reports (docs/ZONING.md) and `zones check` prints.
public struct PlanReport: Sendable {
    public var zones: [ZoneReport]
    public var lots: [LotReport]
    public var unavoidable: [UnavoidableViolation]
    /// Problems that make the plan invalid regardless of bands (unassigned compounds etc.).
    public var structuralErrors: [String]

    public var bandViolations: Int { zones.filter { $0.violations.contains(where: \.isBand) }.count }
    public var lowerViolations: Int { zones.filter { $0.violations.contains { if case .belowMinFloorArea = $0 { true } else if case .belowMinHouseholds = $0 { true } else { false } } }.count }
    public var upperViolations: Int { zones.filter { $0.violations.contains { if case .aboveMaxFloorArea = $0 { true } else if case .aboveMaxHouseholds = $0 { true } else if case .radiusTooLarge = $0 { true } else { false } } }.count }
    public var dispersion: Double { zones.reduce(0) { $0 + $1.dispersion } }
    public var subsidy: Double { zones.reduce(0) { $0 + $1.subsidy } }
    public var income: Double { zones.reduce(0) { $0 + $1.income } }
    public var cost: Double { zones.reduce(0) { $0 + $1.cost } }
    /// Valid: structurally sound and every band violation is one no plan could avoid.
    public var isValid: Bool { structuralErrors.isEmpty && zones.allSatisfy { !$0.violations.contains { !$0.isBand } } && bandViolations <= unavoidable.count }
    public var isStructurallySound: Bool { structuralErrors.isEmpty && zones.allSatisfy { !$0.violations.contains { !$0.isBand } } }
}
