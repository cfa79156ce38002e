import Foundation
import YijuCore

/// What every surface (console, public page, printed notice, API) draws or exports from a
/// plan version, computed in one place.
extension ZoningPlanService.Loaded {
    /// Compounds whose handover waits for renovation works, as stored with the plan.
    var underWorks: Set<String> {
        let features = problem.document["features"]?.array ?? []
        return Set(problem.compounds.filter { c in
            guard c.featureIndex < features.count else { return false }
            let state = features[c.featureIndex]["properties"]?["renovation"]?.string
            return state == RenovationState.planned.rawValue || state == RenovationState.underWorks.rawValue
        }.map(\.id))
    }

    func map(title: String, width: Double = 960) -> String {
        var map = ZoningMap(problem: problem, plan: plan, report: report)
        map.barriers = problem.barriers.compactMap { b in BarrierKind(rawValue: b.kind).map { SVGMap.Line(label: b.kind, kind: $0, path: b.path) } }
        map.underWorks = underWorks
        map.lockedZones = record.lockedZones
        map.width = width
        return map.render(title: title)
    }

    enum Table: String { case compounds, zones }

    func csv(_ table: Table) -> String {
        var out = ""
        switch table {
        case .compounds:
            let zoneByID = Dictionary(report.zones.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let works = underWorks
            out += CSV.line(["code", "name", "kind", "zone", "lot", "floorArea", "households", "waitsForWorks"])
            for (v, c) in problem.compounds.enumerated() {
                let z = plan.zoneOf[v]
                let zone = z >= 0 ? plan.zoneIDs[z] : ""
                out += CSV.line([c.id, c.name, c.kind.rawValue, zone, zoneByID[zone]?.lot ?? "", Self.number(c.floorArea),
                                 "\(c.households)", works.contains(c.id) ? "yes" : "no"])
            }
        case .zones:
            out += CSV.line(["zone", "lot", "compounds", "floorArea", "households", "radiusMeters", "incomeYuan", "costYuan", "subsidyYuan", "violations"])
            for z in report.zones {
                out += CSV.line([z.id, z.lot, "\(z.compoundIDs.count)", Self.number(z.floorArea), "\(z.households)", Self.number(z.radiusMeters),
                                 Self.number(z.income), Self.number(z.cost), Self.number(z.subsidy), z.violations.map(\.description).joined(separator: "; ")])
            }
        }
        return out
    }

    static func number(_ v: Double) -> String { String(Int(v.rounded())) }

    /// For each compound, the set of compounds it shares a zone with (itself included).
    var zoneMates: [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for z in report.zones {
            let members = Set(z.compoundIDs)
            for c in z.compoundIDs { out[c] = members }
        }
        return out
    }
}

/// Two versions side by side: which zones are the same, which compounds changed company-mates.
struct ZoningComparison {
    var a: ZoningPlanService.Loaded
    var b: ZoningPlanService.Loaded
    var sameZones: Int
    var changedCompounds: [String]
    var onlyInA: [String]
    var onlyInB: [String]

    init(_ a: ZoningPlanService.Loaded, _ b: ZoningPlanService.Loaded) {
        self.a = a
        self.b = b
        let matesA = a.zoneMates, matesB = b.zoneMates
        let zonesB = Set(b.report.zones.map { Set($0.compoundIDs) })
        sameZones = a.report.zones.filter { zonesB.contains(Set($0.compoundIDs)) }.count
        changedCompounds = matesA.keys.filter { matesB[$0] != nil && matesB[$0] != matesA[$0] }.sorted()
        onlyInA = matesA.keys.filter { matesB[$0] == nil }.sorted()
        onlyInB = matesB.keys.filter { matesA[$0] == nil }.sorted()
    }
}

extension ZoningPlanService {
    func compare(_ a: UUID, with b: UUID) async throws -> ZoningComparison {
        let first = try await load(a), second = try await load(b)
        guard first.record.$streetOffice.id == second.record.$streetOffice.id else {
            throw DomainError.validation([FieldError(field: "other", reason: "is a plan of another street office")])
        }
        return ZoningComparison(first, second)
    }
}
