import Foundation
import YijuCore

/// One JSON Schema of openapi.yaml, compiled once, that checks a value the way the document
/// promises: what the document says is accepted, and nothing else. Only the keywords the
/// document uses are known; a schema with any other constraint keyword is refused when the
/// server starts (`APIContract.Unsupported`), so a constraint can never be written into the
/// document and silently not enforced.
final class ContractSchema: Sendable {
    /// Keywords that describe and never constrain.
    static let descriptive: Set<String> = ["description", "default", "example", "examples", "title",
                                           "contentMediaType", "deprecated", "readOnly", "writeOnly"]
    static let constraining: Set<String> = ["type", "format", "enum", "const", "minLength", "maxLength", "pattern",
                                            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                            "items", "minItems", "maxItems", "properties", "required",
                                            "additionalProperties", "allOf", "$ref"]

    let type: String?
    let format: String?
    let allowed: [JSONValue]?
    let minLength: Int?
    let maxLength: Int?
    let pattern: Pattern?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Double?
    let exclusiveMaximum: Double?
    let items: ContractSchema?
    let minItems: Int?
    let maxItems: Int?
    let properties: [String: ContractSchema]
    /// The properties in the document's order, so errors come out in the order a reader fills the form.
    let propertyOrder: [String]
    let required: [String]
    /// Schema every property not named in `properties` must meet; nil allows any.
    let additional: ContractSchema?
    let allOf: [ContractSchema]

    init(type: String?, format: String?, allowed: [JSONValue]?, minLength: Int?, maxLength: Int?, pattern: Pattern?,
         minimum: Double?, maximum: Double?, exclusiveMinimum: Double?, exclusiveMaximum: Double?,
         items: ContractSchema?, minItems: Int?, maxItems: Int?, properties: [(String, ContractSchema)],
         required: [String], additional: ContractSchema?, allOf: [ContractSchema]) {
        self.type = type; self.format = format; self.allowed = allowed
        self.minLength = minLength; self.maxLength = maxLength; self.pattern = pattern
        self.minimum = minimum; self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum; self.exclusiveMaximum = exclusiveMaximum
        self.items = items; self.minItems = minItems; self.maxItems = maxItems
        self.properties = Dictionary(properties, uniquingKeysWith: { first, _ in first })
        self.propertyOrder = properties.map(\.0); self.required = required; self.additional = additional; self.allOf = allOf
    }

    /// A regular expression kept with its source, for the error message. JSON Schema's
    /// `pattern` matches anywhere in the text unless it anchors itself.
    struct Pattern: @unchecked Sendable {  // NSRegularExpression is immutable once made
        let source: String
        let expression: NSRegularExpression

        func matches(_ text: String) -> Bool {
            expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    /// What is wrong with a value, by field path; the shape (types, required fields, enums)
    /// apart from the values (lengths, ranges, patterns, formats), because a body of the
    /// wrong shape is a malformed request (400) and a well-formed one with a value out of
    /// range breaks a rule (422), as the API has always answered.
    struct Problems {
        var shape: [FieldError] = []
        var values: [FieldError] = []
        var isEmpty: Bool { shape.isEmpty && values.isEmpty }
    }

    func check(_ value: JSONValue, at field: String, into problems: inout Problems) {
        for part in allOf { part.check(value, at: field, into: &problems) }
        if let type, !Self.has(type, value) {
            problems.shape.append(FieldError(field: field, reason: "must be \(Self.describe(type)), not \(Self.describe(value))"))
            return
        }
        if let allowed, !allowed.contains(value) {
            let names = allowed.map { $0.string ?? "\($0)" }.joined(separator: ", ")
            problems.shape.append(FieldError(field: field, reason: "must be one of \(names)"))
            return
        }
        switch value {
        case .string(let text): checkText(text, at: field, into: &problems)
        case .number(let number): checkNumber(number, at: field, into: &problems)
        case .array(let elements): checkArray(elements, at: field, into: &problems)
        case .object(let members): checkObject(members, at: field, into: &problems)
        case .bool, .null: break
        }
    }

    private func checkText(_ text: String, at field: String, into problems: inout Problems) {
        // JSON Schema counts code points, not what a reader sees as characters.
        let length = text.unicodeScalars.count
        if let minLength, length < minLength {
            problems.values.append(FieldError(field: field, reason: minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters"))
        }
        if let maxLength, length > maxLength {
            problems.values.append(FieldError(field: field, reason: "must be at most \(maxLength) characters, got \(length)"))
        }
        if let pattern, !pattern.matches(text) {
            problems.values.append(FieldError(field: field, reason: "must match \(pattern.source)"))
        }
        if let format, let reason = ContractFormat.problem(with: text, format: format) {
            problems.values.append(FieldError(field: field, reason: reason))
        }
    }

    private func checkNumber(_ number: Double, at field: String, into problems: inout Problems) {
        if let minimum, number < minimum { problems.values.append(FieldError(field: field, reason: "must be at least \(Self.show(minimum))")) }
        if let maximum, number > maximum { problems.values.append(FieldError(field: field, reason: "must be at most \(Self.show(maximum))")) }
        if let exclusiveMinimum, number <= exclusiveMinimum {
            problems.values.append(FieldError(field: field, reason: "must be more than \(Self.show(exclusiveMinimum))"))
        }
        if let exclusiveMaximum, number >= exclusiveMaximum {
            problems.values.append(FieldError(field: field, reason: "must be less than \(Self.show(exclusiveMaximum))"))
        }
    }

    private func checkArray(_ elements: [JSONValue], at field: String, into problems: inout Problems) {
        if let minItems, elements.count < minItems {
            problems.values.append(FieldError(field: field, reason: "must have at least \(minItems) item\(minItems == 1 ? "" : "s")"))
        }
        if let maxItems, elements.count > maxItems {
            problems.values.append(FieldError(field: field, reason: "must have at most \(maxItems) items, got \(elements.count)"))
        }
        guard let items else { return }
        for (index, element) in elements.enumerated() { items.check(element, at: "\(field)[\(index)]", into: &problems) }
    }

    private func checkObject(_ members: [String: JSONValue], at field: String, into problems: inout Problems) {
        func path(_ key: String) -> String { field == "body" ? key : "\(field).\(key)" }
        for key in required where members[key] == nil {
            problems.shape.append(FieldError(field: path(key), reason: "is required"))
        }
        for key in propertyOrder {
            if let member = members[key], let schema = properties[key] { schema.check(member, at: path(key), into: &problems) }
        }
        guard let additional else { return }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) where properties[key] == nil {
            additional.check(member, at: path(key), into: &problems)
        }
    }

    static func has(_ type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("array", .array), ("object", .object), ("null", .null), ("number", .number): true
        // Within a 64-bit integer, what the server reads a whole number as.
        case ("integer", .number(let n)): n.isFinite && n == n.rounded(.towardZero) && n >= -0x1p63 && n <= 0x1p63
        default: false
        }
    }

    static func describe(_ type: String) -> String {
        switch type {
        case "string": "text"
        case "integer": "a whole number"
        case "number": "a number"
        case "boolean": "true or false"
        case "array": "an array"
        case "object": "an object"
        default: type
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "true or false"
        case .number(let n): n == n.rounded(.towardZero) ? "a whole number" : "a number"
        case .string: "text"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func show(_ number: Double) -> String {
        number == number.rounded(.towardZero) && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// The `format`s the document uses, checked as the server reads them.
enum ContractFormat {
    static let known: Set<String> = ["uuid", "date", "date-time", "double", "float", "int32", "int64"]

    static func problem(with text: String, format: String) -> String? {
        switch format {
        case "uuid": UUID(uuidString: text) == nil ? "must be a UUID" : nil
        case "date": isDate(text) ? nil : "must be a date such as 2026-03-01"
        case "date-time": (try? ISO8601FormatStyleTranscoder().decode(text)) == nil ? "must be a date and time such as 2026-03-01T09:00:00+08:00" : nil
        default: nil
        }
    }

    /// A calendar date written YYYY-MM-DD (RFC 3339 full-date), the day existing in its month.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}
