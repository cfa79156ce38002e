import Foundation

/// Writes the planner's output (docs/ZONING.md): the input FeatureCollection with `zone` and `lot` on each
/// compound and a `plan` member with per-zone, per-lot and total metrics.
public enum ZoningOutput {
    public static func write(_ problem: ZoningProblem, _ plan: ZoningPlan, _ report: PlanReport, elapsedSeconds: Double? = nil) -> Data {
        guard case .object(var root) = problem.document, var features = root["features"]?.array else { return Data() }
        for (v, compound) in problem.compounds.enumerated() where compound.featureIndex < features.count {
            guard case .object(var feature) = features[compound.featureIndex] else { continue }
            var properties = feature["properties"]?.object ?? [:]
            let z = plan.zoneOf[v]
            properties["zone"] = z >= 0 ? .string(plan.zoneIDs[z]) : .null
            properties["lot"] = z >= 0 && plan.lotOf[z] >= 0 ? .string(plan.lotIDs[plan.lotOf[z]]) : .null
            feature["properties"] = .object(properties)
            features[compound.featureIndex] = .object(feature)
        }
        root["features"] = .array(features)
        root["plan"] = planMember(report, elapsedSeconds: elapsedSeconds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue.object(root))) ?? Data()
    }

    static func money(_ v: Double) -> JSONValue { .number((v).rounded()) }

    static func planMember(_ r: PlanReport, elapsedSeconds: Double?) -> JSONValue {
        let zones: [JSONValue] = r.zones.map { z in
            .object([
                "id": .string(z.id), "street": .string(z.street), "lot": .string(z.lot),
                "compounds": .number(Double(z.compoundIDs.count)), "compoundIds": .array(z.compoundIDs.map(JSONValue.string)),
                "floorArea": .number(z.floorArea.rounded()), "households": .number(Double(z.households)),
                "radiusMeters": .number(z.radiusMeters.rounded()), "dispersionKm2": .number((z.dispersion * 1e4).rounded() / 1e4),
                "incomeYuan": money(z.income), "costYuan": money(z.cost), "subsidyYuan": money(z.subsidy),
                "violations": .array(z.violations.map { .string($0.description) }),
            ])
        }
        let lots: [JSONValue] = r.lots.map { l in
            .object([
                "id": .string(l.id), "street": .string(l.street), "zones": .array(l.zoneIDs.map(JSONValue.string)),
                "floorArea": .number(l.floorArea.rounded()), "households": .number(Double(l.households)),
                "incomeYuan": money(l.income), "costYuan": money(l.cost), "subsidyYuan": money(l.subsidy),
                "connected": .bool(l.connected),
            ])
        }
        var totals: [String: JSONValue] = [
            "zones": .number(Double(r.zones.count)), "lots": .number(Double(r.lots.count)),
            "lowerBandViolations": .number(Double(r.lowerViolations)), "upperBandViolations": .number(Double(r.upperViolations)),
            "unavoidableViolations": .array(r.unavoidable.map { .object(["compounds": .array($0.compoundIDs.map(JSONValue.string)), "reason": .string($0.reason)]) }),
            "dispersionKm2": .number((r.dispersion * 1e4).rounded() / 1e4), "incomeYuan": money(r.income), "costYuan": money(r.cost),
            "subsidyYuan": money(r.subsidy), "valid": .bool(r.isValid),
        ]
        if let elapsedSeconds { totals["seconds"] = .number((elapsedSeconds * 1e4).rounded() / 1e4) }
        return .object(["zones": .array(zones), "lots": .array(lots), "totals": .object(totals)])
    }

    /// The problem's input document as JSON bytes.
    public static func inputData(_ problem: ZoningProblem) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(problem.document)) ?? Data()
    }

    /// A problem as a planner input document (docs/ZONING.md) (for generated districts).
    public static func document(for problem: ZoningProblem) -> JSONValue {
        var features: [JSONValue] = problem.compounds.map { c in
            var properties: [String: JSONValue] = [
                "id": .string(c.id), "name": .string(c.name), "street": .string(c.street), "kind": .string(c.kind.rawValue),
                "floorArea": .number(c.floorArea), "households": .number(Double(c.households)),
            ]
            if let n = c.neighbors { properties["neighbors"] = .array(n.map(JSONValue.string)) }
            if let l = c.locked { properties["locked"] = .string(l) }
            return .object(["type": .string("Feature"), "properties": .object(properties),
                            "geometry": .object(["type": .string("Point"), "coordinates": .array([.number(c.location.lon), .number(c.location.lat)])])])
        }
        features += problem.barriers.map { b in
            .object(["type": .string("Feature"), "properties": .object(["barrier": .string(b.kind)]),
                     "geometry": .object(["type": .string("LineString"), "coordinates": .array(b.path.map { .array([.number($0.lon), .number($0.lat)]) })])])
        }
        let p = problem.parameters
        var zoning: [String: JSONValue] = ["minFloorArea": .number(p.minFloorArea), "maxFloorArea": .number(p.maxFloorArea),
                                           "zonesPerLot": .number(Double(p.zonesPerLot))]
        if let v = p.minHouseholds { zoning["minHouseholds"] = .number(Double(v)) }
        if let v = p.maxHouseholds { zoning["maxHouseholds"] = .number(Double(v)) }
        if let v = p.maxRadiusMeters { zoning["maxRadiusMeters"] = .number(v) }
        return .object(["type": .string("FeatureCollection"), "features": .array(features), "zoning": .object(zoning)])
    }

    /// Reads a plan back from a file that carries `zone` (and optionally `lot`) on each
    /// compound: ours, hand-made or another tool's.
    public static func readPlan(_ problem: ZoningProblem) throws(DomainError) -> ZoningPlan {
        guard let features = problem.document["features"]?.array else { throw DomainError.validation([FieldError(field: "features", reason: "missing")]) }
        var zoneIndex: [String: Int] = [:], lotIndex: [String: Int] = [:]
        var zoneIDs: [String] = [], lotIDs: [String] = [], lotOf: [Int] = []
        var zoneOf: [Int] = []
        var errors: [FieldError] = []
        for c in problem.compounds {
            let properties = features[c.featureIndex]["properties"]
            guard let zone = properties?["zone"]?.string ?? properties?["zone"]?.number.map({ CompoundRecord.format($0) }) else {
                errors.append(FieldError(field: "features[\(c.featureIndex)].properties.zone", reason: "is required to check a plan", line: c.featureIndex + 1))
                zoneOf.append(-1)
                continue
            }
            if zoneIndex[zone] == nil { zoneIndex[zone] = zoneIDs.count; zoneIDs.append(zone); lotOf.append(-1) }
            let z = zoneIndex[zone]!
            zoneOf.append(z)
            if let lot = properties?["lot"]?.string {
                if lotIndex[lot] == nil { lotIndex[lot] = lotIDs.count; lotIDs.append(lot) }
                if lotOf[z] >= 0 && lotOf[z] != lotIndex[lot]! {
                    errors.append(FieldError(field: "features[\(c.featureIndex)].properties.lot", reason: "zone \(zone) is put in two lots", line: c.featureIndex + 1))
                }
                lotOf[z] = lotIndex[lot]!
            }
        }
        guard errors.isEmpty else { throw DomainError(.invalid, code: "plan_invalid", message: "the file is not a complete plan", fields: errors) }
        return ZoningPlan(zoneOf: zoneOf, zoneIDs: zoneIDs, lotOf: lotOf, lotIDs: lotIDs)
    }
}
