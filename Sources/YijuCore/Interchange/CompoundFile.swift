import Foundation

/// Reading and writing whole compound files. Reading is all-or-nothing: either every row
/// parses, or the caller gets one error per bad row and nothing to write.
public enum CompoundFile {
    public struct Row: Sendable, Hashable {
        /// Where the row came from: the CSV line, or the GeoJSON feature's 1-based position.
        public var line: Int
        public var record: CompoundRecord
    }

    /// The rows that passed the field rules, and every problem with the others. File-level
    /// problems (no header, malformed JSON, too many rows) throw instead: there are no rows.
    public struct Parsed: Sendable {
        public var rows: [Row]
        /// Features in a GeoJSON file that are not compounds (barriers), skipped on purpose.
        public var skippedFeatures: Int
        public var errors: [FieldError] = []

        /// Throws every problem at once unless the whole file is valid.
        public func requireValid() throws(DomainError) {
            guard errors.isEmpty else { throw DomainError.importFailed(errors) }
        }
    }

    /// The largest file the importer reads; beyond it the caller gets 413.
    public static let maxRows = 20_000

    public static func readCSV(_ text: String, currentYear: Int) throws(DomainError) -> Parsed {
        let records = try CSV.parse(text)
        guard let header = records.first else {
            throw DomainError(.invalid, code: "empty_file", message: "the file has no header line",
                              fields: [FieldError(field: "file", reason: "is empty", line: 1)])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var headerErrors: [FieldError] = []
        var columnIndex: [String: Int] = [:]
        let known = Dictionary(uniqueKeysWithValues: CompoundRecord.columns.map { ($0.lowercased(), $0) })
        for (i, name) in names.enumerated() {
            guard let canonical = known[name.lowercased()] else {
                headerErrors.append(FieldError(field: name.isEmpty ? "column \(i + 1)" : name,
                                               reason: "unknown column; expected some of \(CompoundRecord.columns.joined(separator: ", "))", line: 1))
                continue
            }
            if columnIndex[canonical] != nil {
                headerErrors.append(FieldError(field: name, reason: "appears twice in the header", line: 1))
            }
            columnIndex[canonical] = i
        }
        for required in CompoundRecord.columns where CompoundRecord.requiredColumns.contains(required) && columnIndex[required] == nil {
            headerErrors.append(FieldError(field: required, reason: "required column is missing from the header", line: 1))
        }
        guard headerErrors.isEmpty else { throw DomainError.importFailed(headerErrors) }
        guard records.count - 1 <= maxRows else { throw tooManyRows(records.count - 1) }

        var rows: [Row] = []
        var errors: [FieldError] = []
        var codes: [(line: Int, code: String)] = []
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                errors.append(FieldError(field: "row", reason: "has \(record.fields.count) fields, the header has \(names.count)", line: record.line))
                continue
            }
            var values: [String: RawValue] = [:]
            for (column, index) in columnIndex { values[column] = .text(record.fields[index]) }
            codes.append((record.line, record.fields[columnIndex["id"]!].trimmingCharacters(in: .whitespaces)))
            switch CompoundRules.parse(values, line: record.line, currentYear: currentYear) {
            case .success(let parsed): rows.append(Row(line: record.line, record: parsed))
            case .failure(let rowErrors): errors += rowErrors
            }
        }
        errors += duplicateCodes(codes)
        guard records.count > 1 else {
            throw DomainError(.invalid, code: "empty_file", message: "the file has a header but no rows",
                              fields: [FieldError(field: "file", reason: "has no rows", line: 2)])
        }
        return Parsed(rows: rows, skippedFeatures: 0, errors: errors)
    }

    public static func readGeoJSON(_ data: Data, currentYear: Int) throws(DomainError) -> Parsed {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw DomainError(.badRequest, code: "json_malformed", message: "the file is not valid JSON",
                              fields: [FieldError(field: "file", reason: "is not valid JSON")])
        }
        guard root["type"]?.string == "FeatureCollection", let features = root["features"]?.array else {
            throw DomainError(.invalid, code: "geojson_invalid", message: "expected a GeoJSON FeatureCollection with a features array",
                              fields: [FieldError(field: "type", reason: "must be \"FeatureCollection\" with a \"features\" array")])
        }
        guard features.count <= maxRows else { throw tooManyRows(features.count) }
        var rows: [Row] = []
        var errors: [FieldError] = []
        var codes: [(line: Int, code: String)] = []
        var skipped = 0
        for (offset, item) in features.enumerated() {
            let position = offset + 1
            let prefix = "features[\(offset)]"
            guard item["type"]?.string == "Feature" else {
                errors.append(FieldError(field: prefix + ".type", reason: "must be \"Feature\"", line: position))
                continue
            }
            let geometry = item["geometry"]
            let geometryType = geometry?["type"]?.string
            let properties = item["properties"]?.object ?? [:]
            if geometryType == "LineString" || geometryType == "MultiLineString" || properties["barrier"] != nil {
                skipped += 1
                continue
            }
            guard geometryType == "Point" else {
                errors.append(FieldError(field: prefix + ".geometry.type", reason: "must be \"Point\" for a compound, got \(geometryType.map { "\"\($0)\"" } ?? "none")", line: position))
                continue
            }
            var values: [String: RawValue] = [:]
            for column in CompoundRecord.columns where column != "lon" && column != "lat" {
                if let value = properties[column] { values[column] = value.raw }
            }
            if let coordinates = geometry?["coordinates"]?.array, coordinates.count >= 2 {
                values["lon"] = coordinates[0].raw
                values["lat"] = coordinates[1].raw
            } else {
                errors.append(FieldError(field: prefix + ".geometry.coordinates", reason: "must be [lon, lat]", line: position))
                continue
            }
            if case .text(let code)? = values["id"] { codes.append((position, code)) }
            switch CompoundRules.parse(values, line: position, currentYear: currentYear) {
            case .success(let parsed): rows.append(Row(line: position, record: parsed))
            case .failure(let rowErrors):
                errors += rowErrors.map { FieldError(field: "\(prefix).\($0.field == "lon" || $0.field == "lat" ? "geometry.coordinates" : "properties." + $0.field)", reason: $0.reason, line: position) }
            }
        }
        errors += duplicateCodes(codes)
        guard features.count > skipped else {
            throw DomainError(.invalid, code: "empty_file", message: "the file has no compound (Point) features",
                              fields: [FieldError(field: "features", reason: "has no Point features")])
        }
        return Parsed(rows: rows, skippedFeatures: skipped, errors: errors)
    }

    /// Codes are compared without case, as the registry's unique index on them is meant.
    private static func duplicateCodes(_ codes: [(line: Int, code: String)]) -> [FieldError] {
        var firstLine: [String: Int] = [:]
        var errors: [FieldError] = []
        for (line, code) in codes where !code.isEmpty {
            if let first = firstLine[code.lowercased()] {
                errors.append(FieldError(field: "id", reason: "\"\(code)\" already appears on line \(first)", line: line))
            } else {
                firstLine[code.lowercased()] = line
            }
        }
        return errors
    }

    private static func tooManyRows(_ count: Int) -> DomainError {
        DomainError(.tooLarge, code: "too_many_rows", message: "the file has \(count) rows; at most \(maxRows) are imported at once",
                    fields: [FieldError(field: "file", reason: "more than \(maxRows) rows")])
    }

    // MARK: Writing

    public static func csv(_ records: [CompoundRecord]) -> String {
        // The BOM makes Excel open the file as UTF-8 instead of GBK.
        var out = "\u{FEFF}" + CSV.line(CompoundRecord.columns)
        for record in records { out += CSV.line(record.csvValues) }
        return out
    }

    public struct BarrierLine: Sendable {
        public var name: String
        public var kind: BarrierKind
        public var path: [GeoPoint]
        public init(name: String, kind: BarrierKind, path: [GeoPoint]) {
            self.name = name
            self.kind = kind
            self.path = path
        }
    }

    /// A FeatureCollection in the zoning planner's input format (docs/ZONING.md), so an export
    /// can be planned as it is.
    public static func geoJSON(_ records: [CompoundRecord], barriers: [BarrierLine]) -> Data {
        var features: [GeoFeature] = records.map { r in
            GeoFeature(geometry: .init(type: "Point", coordinates: .point([r.location.lon, r.location.lat])),
                       properties: .compound(.init(r)))
        }
        features += barriers.map { b in
            GeoFeature(geometry: .init(type: "LineString", coordinates: .line(b.path.map { [$0.lon, $0.lat] })),
                       properties: .barrier(.init(name: b.name, barrier: b.kind.rawValue)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(GeoCollection(features: features))) ?? Data()
    }
}

extension DomainError {
    public static func importFailed(_ errors: [FieldError]) -> DomainError {
        DomainError(.invalid, code: "import_failed",
                    message: "nothing was imported: \(errors.count) problem\(errors.count == 1 ? "" : "s") in the file",
                    fields: errors)
    }
}

private struct GeoCollection: Encodable {
    let type = "FeatureCollection"
    var features: [GeoFeature]
}

private struct GeoFeature: Encodable {
    let type = "Feature"
    var geometry: Geometry
    var properties: Properties

    struct Geometry: Encodable {
        var type: String
        var coordinates: Coordinates
    }

    enum Coordinates: Encodable {
        case point([Double])
        case line([[Double]])
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .point(let p): try c.encode(p)
            case .line(let l): try c.encode(l)
            }
        }
    }

    enum Properties: Encodable {
        case compound(CompoundProperties)
        case barrier(BarrierProperties)
        func encode(to encoder: any Encoder) throws {
            switch self {
            case .compound(let p): try p.encode(to: encoder)
            case .barrier(let p): try p.encode(to: encoder)
            }
        }
    }

    struct CompoundProperties: Encodable {
        var id, name, street: String
        var community: String?
        var kind: String
        var address: String?
        var floorArea: Double
        var households, buildings: Int
        var yearBuilt: Int?
        var renovation, management: String
        var company: String?

        init(_ r: CompoundRecord) {
            id = r.code; name = r.name; street = r.street; community = r.community; kind = r.kind.rawValue
            address = r.address; floorArea = r.floorArea; households = r.households; buildings = r.buildings
            yearBuilt = r.yearBuilt; renovation = r.renovation.rawValue; management = r.management.rawValue
            company = r.company
        }
    }

    struct BarrierProperties: Encodable {
        var name: String
        var barrier: String
    }
}
