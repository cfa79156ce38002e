import Foundation
import YijuCore

/// A plan's figures as the workspace, the comparison and the printed notice show them.
struct PlanSummary: Encodable {
    var zones: Int
    var lots: Int
    var compounds: Int
    var floorArea: String
    var households: Int
    var bandViolations: Int
    var unavoidable: [String]
    var subsidy: String
    var dispersion: String
    var valid: Bool

    init(_ loaded: ZoningPlanService.Loaded) {
        let r = loaded.report
        zones = r.zones.count
        lots = r.lots.count
        compounds = loaded.problem.compounds.count
        floorArea = Format.area(loaded.problem.compounds.reduce(0) { $0 + $1.floorArea })
        households = loaded.problem.compounds.reduce(0) { $0 + $1.households }
        bandViolations = r.bandViolations
        unavoidable = r.unavoidable.map(\.description)
        subsidy = Format.money(r.subsidy)
        dispersion = String(format: "%.3f", r.dispersion)
        valid = r.isValid
    }
}

/// A zone of a plan: its colour on the map, its lot, size, money and violations.
struct ZoneRow: Encodable {
    var id: String
    var colour: String
    var lot: String
    var compounds: Int
    var floorArea: String
    var households: Int
    var income: String
    var cost: String
    var subsidy: String
    var violations: String
    var locked: Bool

    static func rows(_ loaded: ZoningPlanService.Loaded) -> [ZoneRow] {
        let index = Dictionary(loaded.plan.zoneIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        return loaded.report.zones.map { z in
            ZoneRow(id: z.id, colour: ZoningMap.colour(zoneIndex: index[z.id] ?? 0), lot: z.lot, compounds: z.compoundIDs.count,
                    floorArea: Format.area(z.floorArea), households: z.households, income: Format.money(z.income), cost: Format.money(z.cost),
                    subsidy: Format.money(z.subsidy), violations: z.violations.map(\.description).joined(separator: "; "),
                    locked: loaded.record.lockedZones.contains(z.id))
        }
    }
}

/// A tender lot of a plan: its zones, size and money, and whether it is connected.
struct LotRow: Encodable {
    var id: String
    var zones: String
    var floorArea: String
    var households: Int
    var income: String
    var cost: String
    var subsidy: String
    var connected: Bool

    static func rows(_ loaded: ZoningPlanService.Loaded) -> [LotRow] {
        loaded.report.lots.map { l in
            LotRow(id: l.id, zones: l.zoneIDs.joined(separator: ", "), floorArea: Format.area(l.floorArea), households: l.households,
                   income: Format.money(l.income), cost: Format.money(l.cost), subsidy: Format.money(l.subsidy), connected: l.connected)
        }
    }
}

extension Language {
    /// A plan's status in words: 草稿, 公示中, 已通过 …
    func status(_ status: ZoningPlanRecord.Status) -> String { strings["status." + status.rawValue] ?? status.rawValue }
}
