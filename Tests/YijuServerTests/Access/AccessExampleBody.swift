import Foundation
import YijuCore
@testable import YijuServer

/// The smallest JSON body openapi.yaml accepts for an operation, made from its schema: only
/// the required fields, each with the first value its constraints allow, and the demo's
/// records where a field names one (`compoundId` is the matrix's compound). The access matrix
/// sends it so that a refusal can only be about who is asking, never about the body's shape.
struct AccessExampleBody {
    /// Values by field name, for the fields that name a record.
    let ids: [String: String]

    func value(_ schema: ContractSchema, field: String) -> JSONValue {
        if let allowed = schema.allowed?.first { return allowed }
        var merged: [String: JSONValue] = [:]
        for part in schema.allOf {
            if case .object(let members) = value(part, field: field) { merged.merge(members) { first, _ in first } }
        }
        let isObject = schema.type == "object" || (schema.type == nil && (!schema.properties.isEmpty || !merged.isEmpty))
        switch isObject ? "object" : schema.type {
        case "object":
            // The required fields, and the optional ones that name one of the matrix's records.
            for name in schema.propertyOrder where merged[name] == nil && (schema.required.contains(name) || ids[name] != nil) {
                if let property = schema.properties[name] { merged[name] = value(property, field: name) }
            }
            return .object(merged)
        case "array":
            let count = max(schema.minItems ?? 0, ids[field] != nil ? 1 : 0)
            return .array((0..<count).map { _ in schema.items.map { value($0, field: field) } ?? .null })
        case "integer", "number":
            var number = schema.minimum ?? schema.exclusiveMinimum.map { $0 + 1 } ?? 1
            if let maximum = schema.maximum, number > maximum { number = maximum }
            return .number(number)
        case "boolean":
            return .bool(false)
        case "string":
            return .string(text(schema, field: field))
        default:
            return .object(merged)
        }
    }

    /// A text the schema accepts: the named record's id, a date, or the first candidate
    /// that meets the length and pattern.
    private func text(_ schema: ContractSchema, field: String) -> String {
        switch schema.format {
        case "uuid": return ids[field] ?? ids[String(field.dropLast(1))] ?? UUID().uuidString
        case "date": return "2026-11-30"
        case "date-time": return "2026-11-30T09:00:00+08:00"
        default: break
        }
        if let id = ids[field] { return id }
        let candidates = ["13800138000", "矩阵检查", "2026-11-30", "09:00", "A1", "QZ-901", "x"]
        for candidate in candidates {
            var padded = candidate
            while padded.count < (schema.minLength ?? 0) { padded += candidate }
            if let maximum = schema.maxLength, padded.count > maximum { padded = String(padded.prefix(maximum)) }
            var problems = ContractSchema.Problems()
            schema.check(.string(padded), at: field, into: &problems)
            if problems.isEmpty { return padded }
        }
        return candidates[0]
    }
}
