import Foundation

/// One compound as the planner sees it.
public struct ZoningCompound: Sendable, Equatable {
    public var id: String
    public var name: String
    public var street: String
    public var kind: CompoundKind
    public var location: GeoPoint
    public var floorArea: Double
    public var households: Int
    /// Ids of given neighbours (the adjacency, exactly, when any compound has them).
    public var neighbors: [String]?
    /// A zone id the compound must keep.
    public var locked: String?
    /// Position of the feature in the input's `features` array.
    public var featureIndex: Int

    public init(id: String, name: String, street: String, kind: CompoundKind = .estate, location: GeoPoint, floorArea: Double,
                households: Int, neighbors: [String]? = nil, locked: String? = nil, featureIndex: Int = 0) {
        self.id = id; self.name = name; self.street = street; self.kind = kind; self.location = location
        self.floorArea = floorArea; self.households = households; self.neighbors = neighbors; self.locked = locked
        self.featureIndex = featureIndex
    }
}

public struct ZoningBarrier: Sendable, Equatable {
    public var kind: String
    public var path: [GeoPoint]
    public init(kind: String, path: [GeoPoint]) { self.kind = kind; self.path = path }
}

/// The estimate of what a zone earns and costs a year (docs/ZONING.md). Officials decide with
/// the subsidy in front of them, so every figure is a parameter with a stated default.
public struct CostModel: Sendable, Equatable {
    /// Fee in yuan per m² per month. Default 0.50: Harbin's guide prices for basic service
    /// in old compounds run from about 0.30 to 0.80; renovated compounds sit mid-range.
    public var feeRate = 0.50
    /// Share of the fee actually collected. Default 0.75: old compounds newly taken over
    /// collect far below the 90 %+ of commercial estates.
    public var collectionRate = 0.75
    /// Fixed yuan a year per zone for its service station: a manager, an office, tools and
    /// a small machine share (about 150,000 + 30,000).
    public var stationCost = 180_000.0
    /// Yuan per m² a year for cleaning, security, greening and small repairs: about 0.35
    /// yuan per m² per month, the level at which basic service is delivered.
    public var costPerSquareMetre = 4.2
    /// Yuan a year per km of mean distance from the zone's centre to its compounds: staff
    /// time and vehicles spent moving between scattered sites.
    public var travelCostPerKm = 60_000.0

    public init() {}

    public func income(floorArea: Double) -> Double { feeRate * 12 * floorArea * collectionRate }

    public func cost(floorArea: Double, meanDistanceMetres: Double) -> Double {
        stationCost + costPerSquareMetre * floorArea + travelCostPerKm * meanDistanceMetres / 1000
    }
}

/// The `zoning` member: bands, lot size, cost model and adjacency cut-off.
public struct ZoningParameters: Sendable, Equatable {
    public var minFloorArea: Double
    public var maxFloorArea: Double
    public var minHouseholds: Int?
    public var maxHouseholds: Int?
    public var maxRadiusMeters: Double?
    public var zonesPerLot = 3
    /// Delaunay edges longer than this are not adjacency. Default 600 m: about four city
    /// blocks, so a park does not cut neighbours apart but a district edge does.
    public var neighborCutoffMeters = 600.0
    public var cost = CostModel()

    public init(minFloorArea: Double, maxFloorArea: Double, minHouseholds: Int? = nil, maxHouseholds: Int? = nil,
                maxRadiusMeters: Double? = nil, zonesPerLot: Int = 3) {
        self.minFloorArea = minFloorArea; self.maxFloorArea = maxFloorArea; self.minHouseholds = minHouseholds
        self.maxHouseholds = maxHouseholds; self.maxRadiusMeters = maxRadiusMeters; self.zonesPerLot = zonesPerLot
    }
}

/// A planning problem read from a planner file (docs/ZONING.md).
public struct ZoningProblem: Sendable {
    public var compounds: [ZoningCompound]
    public var barriers: [ZoningBarrier]
    public var parameters: ZoningParameters
    /// The document as read, so the output keeps every member and property it had.
    public var document: JSONValue

    public init(compounds: [ZoningCompound], barriers: [ZoningBarrier], parameters: ZoningParameters, document: JSONValue? = nil) {
        self.compounds = compounds
        self.barriers = barriers
        self.parameters = parameters
        self.document = document ?? .object(["type": .string("FeatureCollection"), "features": .array([])])
    }

    /// Whether the file gives the adjacency (`neighbors`) instead of leaving it to Delaunay.
    public var adjacencyGiven: Bool { compounds.contains { $0.neighbors != nil } }
}

extension ZoningProblem {
    public static let maxCompounds = 200_000

    /// Reads and checks a file. Every problem is reported with its feature and field; an
    /// empty, malformed or contradictory file throws, it never crashes.
    /// `overrides` replace or supply members of `zoning` (e.g. bands given on the command line).
    public static func read(_ data: Data, overrides: [String: Double] = [:]) throws(DomainError) -> ZoningProblem {
        var root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw DomainError(.badRequest, code: "json_malformed", message: "the file is not valid JSON",
                              fields: [FieldError(field: "file", reason: data.isEmpty ? "is empty" : "is not valid JSON")])
        }
        guard root["type"]?.string == "FeatureCollection", let features = root["features"]?.array else {
            throw DomainError(.invalid, code: "geojson_invalid", message: "expected a GeoJSON FeatureCollection",
                              fields: [FieldError(field: "type", reason: "must be \"FeatureCollection\" with a \"features\" array")])
        }
        if !overrides.isEmpty, case .object(var members) = root {
            var zoning = members["zoning"]?.object ?? [:]
            for (key, value) in overrides { zoning[key] = .number(value) }
            members["zoning"] = .object(zoning)
            root = .object(members)
        }
        var errors: [FieldError] = []
        let parameters = readParameters(root["zoning"], &errors)
        guard features.count <= maxCompounds + 10_000 else {
            throw DomainError(.tooLarge, code: "too_many_features", message: "the file has \(features.count) features; at most \(maxCompounds) compounds are planned",
                              fields: [FieldError(field: "features", reason: "too many")])
        }
        var compounds: [ZoningCompound] = []
        var barriers: [ZoningBarrier] = []
        for (index, feature) in features.enumerated() {
            let prefix = "features[\(index)]"
            func fail(_ field: String, _ reason: String) { errors.append(FieldError(field: "\(prefix).\(field)", reason: reason, line: index + 1)) }
            guard feature["type"]?.string == "Feature" else { fail("type", "must be \"Feature\""); continue }
            let properties = feature["properties"]?.object ?? [:]
            let geometryType = feature["geometry"]?["type"]?.string
            let coordinates = feature["geometry"]?["coordinates"]
            switch geometryType {
            case "LineString", "MultiLineString":
                guard properties["barrier"] != nil else { continue }  // other lines are decoration
                guard let kind = properties["barrier"]?.string, !kind.isEmpty else { fail("properties.barrier", "must be text such as \"river\""); continue }
                let lines = geometryType == "LineString" ? [coordinates] : (coordinates?.array ?? []).map { Optional($0) }
                for line in lines {
                    var path: [GeoPoint] = []
                    for (k, position) in (line?.array ?? []).enumerated() {
                        guard let p = position.array, p.count >= 2, let lon = p[0].number, let lat = p[1].number, lon.isFinite, lat.isFinite,
                              (-180...180).contains(lon), (-90...90).contains(lat) else {
                            fail("geometry.coordinates[\(k)]", "must be [lon, lat] in degrees"); path = []; break
                        }
                        path.append(GeoPoint(lon: lon, lat: lat))
                    }
                    if path.count >= 2 { barriers.append(ZoningBarrier(kind: kind, path: path)) }
                    else if !(line?.array ?? []).isEmpty || lines.count == 1 { fail("geometry.coordinates", "a barrier needs at least 2 positions") }
                }
            case "Point":
                if let compound = readCompound(properties, coordinates, index: index, prefix: prefix, &errors) { compounds.append(compound) }
            default:
                fail("geometry.type", "must be Point (a compound) or LineString (a barrier), got \(geometryType.map { "\"\($0)\"" } ?? "none")")
            }
        }
        if compounds.isEmpty && errors.isEmpty {
            errors.append(FieldError(field: "features", reason: "has no compound (Point) features"))
        }
        if compounds.count > maxCompounds {
            errors.append(FieldError(field: "features", reason: "has \(compounds.count) compounds; at most \(maxCompounds) are planned at once"))
        }
        errors += checkReferences(compounds)
        guard errors.isEmpty, let parameters else {
            throw DomainError(.invalid, code: "zoning_input_invalid",
                              message: "the file has \(errors.count) problem\(errors.count == 1 ? "" : "s")", fields: errors)
        }
        return ZoningProblem(compounds: compounds, barriers: barriers, parameters: parameters, document: root)
    }

    static func readParameters(_ value: JSONValue?, _ errors: inout [FieldError]) -> ZoningParameters? {
        guard let member = value?.object else {
            errors.append(FieldError(field: "zoning", reason: "the foreign member with minFloorArea and maxFloorArea is required"))
            return nil
        }
        func number(_ key: String, required: Bool = false) -> Double? {
            guard let raw = member[key], raw != .null else {
                if required { errors.append(FieldError(field: "zoning.\(key)", reason: "is required")) }
                return nil
            }
            guard let n = raw.number, n.isFinite else {
                errors.append(FieldError(field: "zoning.\(key)", reason: "must be a finite number")); return nil
            }
            if n < 0 { errors.append(FieldError(field: "zoning.\(key)", reason: "must not be negative, got \(n)")); return nil }
            return n
        }
        func integer(_ key: String) -> Int? {
            guard let n = number(key) else { return nil }
            guard n == n.rounded(), n < 1e9 else { errors.append(FieldError(field: "zoning.\(key)", reason: "must be a whole number")); return nil }
            return Int(n)
        }
        let before = errors.count
        let minArea = number("minFloorArea", required: true), maxArea = number("maxFloorArea", required: true)
        var parameters = ZoningParameters(minFloorArea: minArea ?? 0, maxFloorArea: maxArea ?? 0,
                                          minHouseholds: integer("minHouseholds"), maxHouseholds: integer("maxHouseholds"),
                                          maxRadiusMeters: number("maxRadiusMeters"))
        if let minArea, let maxArea, minArea > maxArea {
            errors.append(FieldError(field: "zoning.minFloorArea", reason: "must not exceed maxFloorArea (\(minArea) > \(maxArea))"))
        }
        if let maxArea, maxArea == 0 { errors.append(FieldError(field: "zoning.maxFloorArea", reason: "must be above 0")) }
        if let low = parameters.minHouseholds, let high = parameters.maxHouseholds, low > high {
            errors.append(FieldError(field: "zoning.minHouseholds", reason: "must not exceed maxHouseholds"))
        }
        if let radius = parameters.maxRadiusMeters, radius == 0 { errors.append(FieldError(field: "zoning.maxRadiusMeters", reason: "must be above 0")) }
        if let lot = integer("zonesPerLot") {
            if lot < 1 { errors.append(FieldError(field: "zoning.zonesPerLot", reason: "must be at least 1")) } else { parameters.zonesPerLot = lot }
        }
        if let cutoff = number("neighborCutoffMeters") { parameters.neighborCutoffMeters = cutoff }
        if let v = number("feeRate") { parameters.cost.feeRate = v }
        if let v = number("collectionRate") {
            if v > 1 { errors.append(FieldError(field: "zoning.collectionRate", reason: "must be between 0 and 1")) } else { parameters.cost.collectionRate = v }
        }
        if let v = number("stationCost") { parameters.cost.stationCost = v }
        if let v = number("costPerSquareMetre") { parameters.cost.costPerSquareMetre = v }
        if let v = number("travelCostPerKm") { parameters.cost.travelCostPerKm = v }
        return errors.count == before ? parameters : nil
    }

    static func readCompound(_ p: [String: JSONValue], _ coordinates: JSONValue?, index: Int, prefix: String,
                             _ errors: inout [FieldError]) -> ZoningCompound? {
        let before = errors.count
        func fail(_ field: String, _ reason: String) { errors.append(FieldError(field: "\(prefix).\(field)", reason: reason, line: index + 1)) }
        func text(_ key: String, required: Bool) -> String? {
            switch p[key] {
            case nil, .null?: if required { fail("properties.\(key)", "is required") }; return nil
            case .string(let s)?:
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.isEmpty && required { fail("properties.\(key)", "must not be empty") }
                return t.isEmpty ? nil : t
            default: fail("properties.\(key)", "must be text"); return nil
            }
        }
        func number(_ key: String) -> Double? {
            guard let raw = p[key], raw != .null else { fail("properties.\(key)", "is required"); return nil }
            guard let n = raw.number, n.isFinite else { fail("properties.\(key)", "must be a finite number"); return nil }
            return n
        }
        let id = text("id", required: true)
        let name = text("name", required: false)
        let street = text("street", required: true)
        var kind = CompoundKind.estate
        if let raw = text("kind", required: false) {
            if let k = CompoundKind(rawValue: raw) { kind = k } else { fail("properties.kind", "must be one of \(CompoundKind.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(raw)\"") }
        }
        let area = number("floorArea")
        if let area, area <= 0 { fail("properties.floorArea", "must be above 0, got \(area)") }
        let households = number("households")
        if let h = households, h < 0 || h != h.rounded() { fail("properties.households", "must be a whole number of 0 or more, got \(h)") }
        var neighbors: [String]?
        if let raw = p["neighbors"], raw != .null {
            if let list = raw.array, list.allSatisfy({ $0.string != nil }) { neighbors = list.compactMap(\.string) }
            else { fail("properties.neighbors", "must be an array of compound ids") }
        }
        let locked = text("locked", required: false)
        var location: GeoPoint?
        if let c = coordinates?.array, c.count >= 2, let lon = c[0].number, let lat = c[1].number {
            if lon.isFinite, lat.isFinite, (-180...180).contains(lon), (-90...90).contains(lat) { location = GeoPoint(lon: lon, lat: lat) }
            else { fail("geometry.coordinates", "must be a longitude in −180…180 and a latitude in −90…90, got [\(lon), \(lat)]") }
        } else {
            fail("geometry.coordinates", "must be [lon, lat]")
        }
        guard errors.count == before, let id, let street, let area, let households, let location else { return nil }
        return ZoningCompound(id: id, name: name ?? id, street: street, kind: kind, location: location, floorArea: area,
                              households: Int(households), neighbors: neighbors, locked: locked, featureIndex: index)
    }

    /// Unique ids; neighbours known, not self, symmetric, and all-or-nothing.
    static func checkReferences(_ compounds: [ZoningCompound]) -> [FieldError] {
        var errors: [FieldError] = []
        var index: [String: Int] = [:]
        for (i, c) in compounds.enumerated() {
            if let first = index[c.id] {
                errors.append(FieldError(field: "features[\(c.featureIndex)].properties.id",
                                         reason: "\"\(c.id)\" is also the id of features[\(compounds[first].featureIndex)]", line: c.featureIndex + 1))
            } else { index[c.id] = i }
        }
        guard compounds.contains(where: { $0.neighbors != nil }) else { return errors }
        let sets: [Set<String>] = compounds.map { Set($0.neighbors ?? []) }
        for (i, c) in compounds.enumerated() {
            let field = "features[\(c.featureIndex)].properties.neighbors"
            guard c.neighbors != nil else {
                errors.append(FieldError(field: field, reason: "is missing; when one compound lists neighbors every compound must (use [] for none)", line: c.featureIndex + 1))
                continue
            }
            for n in sets[i] {
                if n == c.id { errors.append(FieldError(field: field, reason: "lists the compound itself", line: c.featureIndex + 1)) }
                else if let j = index[n] {
                    if compounds[j].neighbors != nil, !sets[j].contains(c.id) {
                        errors.append(FieldError(field: field, reason: "lists \"\(n)\" but \"\(n)\" does not list \"\(c.id)\"", line: c.featureIndex + 1))
                    }
                } else { errors.append(FieldError(field: field, reason: "lists unknown id \"\(n)\"", line: c.featureIndex + 1)) }
            }
        }
        return errors
    }
}
