import Foundation

/// One compound as the interchange formats (CSV, GeoJSON, the API's import) carry it.
/// References are by name or code, not database id, so a file written by hand or by
/// another system can be read; the server resolves them.
public struct CompoundRecord: Sendable, Hashable, Codable {
    /// The compound's stable external code (the zoning format's `id`), unique in the district.
    public var code: String
    public var name: String
    /// Street office name (the zoning format's `street`).
    public var street: String
    public var community: String?
    public var kind: CompoundKind
    public var address: String?
    public var location: GeoPoint
    public var floorArea: Double
    public var households: Int
    public var buildings: Int
    public var yearBuilt: Int?
    public var renovation: RenovationState
    public var management: ManagementMode
    /// Company registration number (统一社会信用代码) or exact name.
    public var company: String?

    public init(code: String, name: String, street: String, community: String? = nil, kind: CompoundKind,
                address: String? = nil, location: GeoPoint, floorArea: Double, households: Int, buildings: Int,
                yearBuilt: Int? = nil, renovation: RenovationState, management: ManagementMode, company: String? = nil) {
        self.code = code
        self.name = name
        self.street = street
        self.community = community
        self.kind = kind
        self.address = address
        self.location = location
        self.floorArea = floorArea
        self.households = households
        self.buildings = buildings
        self.yearBuilt = yearBuilt
        self.renovation = renovation
        self.management = management
        self.company = company
    }

    /// Column order of the CSV export; the import accepts any order and ignores case.
    public static let columns = ["id", "name", "street", "community", "kind", "address", "lon", "lat",
                                 "floorArea", "households", "buildings", "yearBuilt", "renovation",
                                 "management", "company"]
    public static let requiredColumns: Set<String> = ["id", "name", "street", "kind", "lon", "lat", "floorArea", "households"]

    public var csvValues: [String] {
        [code, name, street, community ?? "", kind.rawValue, address ?? "",
         Self.format(location.lon), Self.format(location.lat), Self.format(floorArea),
         String(households), String(buildings), yearBuilt.map(String.init) ?? "",
         renovation.rawValue, management.rawValue, company ?? ""]
    }

    /// Numbers as a person writes them: no ".0" on whole values.
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A value that passed its rules, or every problem found with it.
public enum Checked<Value: Sendable>: Sendable {
    case success(Value)
    case failure([FieldError])
}

/// A value as it arrived in a file: CSV gives text, GeoJSON gives typed JSON values.
public enum RawValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case bool(Bool)
    case null
    case other(String)
}

/// Field rules for compounds, one place for forms, the API and imports. Every problem is
/// collected, not just the first, so a user fixes a row in one pass.
public enum CompoundRules {
    public static let maxFloorArea = 5_000_000.0

    /// 1–40 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit: safe in
    /// URLs, file names and spreadsheets.
    public static func isValidCode(_ code: String) -> Bool {
        func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
            ("A"..."Z").contains(s) || ("a"..."z").contains(s) || ("0"..."9").contains(s)
        }
        guard (1...40).contains(code.unicodeScalars.count), let first = code.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return code.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
    public static let maxHouseholds = 100_000

    public static func parse(_ values: [String: RawValue], line: Int?, currentYear: Int) -> Checked<CompoundRecord> {
        var errors: [FieldError] = []
        var reader = Reader(values: values, line: line)

        let code = reader.text("id", required: true)
        if let code, !isValidCode(code) {
            errors.append(FieldError(field: "id", reason: "must be 1–40 letters, digits, '-', '_' or '.', starting with a letter or digit", line: line))
        }
        let name = reader.text("name", required: true, maxLength: 100)
        let street = reader.text("street", required: true, maxLength: 100)
        let community = reader.text("community", maxLength: 100)
        let kind: CompoundKind? = reader.enumValue("kind", required: true)
        let address = reader.text("address", maxLength: 200)
        let lon = reader.number("lon", required: true)
        let lat = reader.number("lat", required: true)
        if let lon, let lat { errors += GeoRules.check(lon: lon, lat: lat).map { FieldError(field: $0.field, reason: $0.reason, line: line) } }
        let floorArea = reader.number("floorArea", required: true)
        if let floorArea, !(floorArea > 0 && floorArea <= maxFloorArea) {
            errors.append(FieldError(field: "floorArea", reason: "must be a floor area in m² above 0 and at most \(Int(maxFloorArea)), got \(CompoundRecord.format(floorArea))", line: line))
        }
        let households = reader.integer("households", required: true)
        if let households, !(0...maxHouseholds).contains(households) {
            errors.append(FieldError(field: "households", reason: "must be between 0 and \(maxHouseholds), got \(households)", line: line))
        }
        let buildings = reader.integer("buildings") ?? (kind == .singleBuilding ? 1 : nil)
        if let buildings, !(1...500).contains(buildings) {
            errors.append(FieldError(field: "buildings", reason: "must be between 1 and 500, got \(buildings)", line: line))
        }
        if kind == .singleBuilding, let buildings, buildings != 1 {
            errors.append(FieldError(field: "buildings", reason: "a singleBuilding compound has exactly 1 building, got \(buildings)", line: line))
        }
        let yearBuilt = reader.integer("yearBuilt")
        if let yearBuilt, !(1900...currentYear).contains(yearBuilt) {
            errors.append(FieldError(field: "yearBuilt", reason: "must be between 1900 and \(currentYear), got \(yearBuilt)", line: line))
        }
        let renovation: RenovationState? = reader.enumValue("renovation")
        let management: ManagementMode? = reader.enumValue("management")
        let company = reader.text("company", maxLength: 100)
        let mode = management ?? .abandoned
        if mode == .professional && company == nil && !reader.errors.contains(where: { $0.field == "company" }) {
            errors.append(FieldError(field: "company", reason: "is required when management is professional", line: line))
        }
        if mode != .professional && company != nil {
            errors.append(FieldError(field: "company", reason: "must be empty unless management is professional (it is \(mode.rawValue))", line: line))
        }
        errors = reader.errors + errors
        guard errors.isEmpty, let code, let name, let street, let kind, let lon, let lat, let floorArea, let households else {
            return .failure(errors)
        }
        return .success(CompoundRecord(
            code: code, name: name, street: street, community: community, kind: kind, address: address,
            location: GeoPoint(lon: lon, lat: lat), floorArea: floorArea, households: households,
            buildings: buildings ?? max(1, Int((floorArea / 4_000).rounded())), yearBuilt: yearBuilt,
            renovation: renovation ?? .none, management: mode, company: company))
    }

    /// Reads typed values out of a raw row, recording each problem with its field.
    struct Reader {
        let values: [String: RawValue]
        let line: Int?
        var errors: [FieldError] = []

        init(values: [String: RawValue], line: Int?) {
            self.values = values
            self.line = line
        }

        private func present(_ field: String) -> RawValue? {
            switch values[field] {
            case nil, .null: return nil
            case .text(let s) where s.trimmingCharacters(in: .whitespaces).isEmpty: return nil
            case let value?: return value
            }
        }

        mutating func fail(_ field: String, _ reason: String) {
            errors.append(FieldError(field: field, reason: reason, line: line))
        }

        mutating func text(_ field: String, required: Bool = false, maxLength: Int = 40) -> String? {
            switch present(field) {
            case nil:
                if required { fail(field, "is required") }
                return nil
            case .text(let s)?:
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                if trimmed.count > maxLength { fail(field, "is longer than \(maxLength) characters"); return nil }
                return trimmed
            case .number(let n)?:
                return CompoundRecord.format(n)
            case let other?:
                fail(field, "must be text, got \(describe(other))")
                return nil
            }
        }

        mutating func number(_ field: String, required: Bool = false) -> Double? {
            switch present(field) {
            case nil:
                if required { fail(field, "is required") }
                return nil
            case .number(let n)?:
                guard n.isFinite else { fail(field, "must be a finite number"); return nil }
                return n
            case .text(let s)?:
                guard let n = Double(s.trimmingCharacters(in: .whitespaces)), n.isFinite else {
                    fail(field, "must be a number, got \"\(s)\"")
                    return nil
                }
                return n
            case let other?:
                fail(field, "must be a number, got \(describe(other))")
                return nil
            }
        }

        mutating func integer(_ field: String, required: Bool = false) -> Int? {
            guard let n = number(field, required: required) else { return nil }
            guard n == n.rounded(), abs(n) < 1e9 else { fail(field, "must be a whole number, got \(CompoundRecord.format(n))"); return nil }
            return Int(n)
        }

        mutating func enumValue<E: RawRepresentable & CaseIterable>(_ field: String, required: Bool = false) -> E? where E.RawValue == String {
            guard let raw = text(field, required: required) else { return nil }
            if let value = E(rawValue: raw) { return value }
            if let value = E.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) { return value }
            fail(field, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(raw)\"")
            return nil
        }

        private func describe(_ value: RawValue) -> String {
            switch value {
            case .text(let s): "text \"\(s)\""
            case .number(let n): "number \(n)"
            case .bool(let b): "boolean \(b)"
            case .null: "null"
            case .other(let s): s
            }
        }
    }
}
