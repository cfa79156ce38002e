import Yams
import YijuCore

/// A YAML document as plain values, mappings kept in the order they were written (the
/// contract reports a body's errors in the order its schema lists the fields).
enum YAMLTree: Sendable, Equatable {
    case scalar(JSONValue)
    case sequence([YAMLTree])
    case mapping([Member])

    struct Member: Sendable, Equatable {
        let key: String
        let value: YAMLTree
    }

    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            self = .scalar(Self.value(of: scalar, tag: Tag.Name(rawValue: node.tag.rawValue)))
        case .sequence(let sequence):
            self = .sequence(sequence.map(YAMLTree.init))
        case .mapping(let mapping):
            self = .mapping(mapping.map { Member(key: $0.key.string ?? "", value: YAMLTree($0.value)) })
        case .alias:
            self = .scalar(.null)  // openapi.yaml uses no anchors
        }
    }

    private static func value(of scalar: Node.Scalar, tag: Tag.Name) -> JSONValue {
        switch tag {
        case .null: return .null
        case .bool: return .bool(["true", "yes", "on"].contains(scalar.string.lowercased()))
        case .int: return Int(scalar.string).map { .number(Double($0)) } ?? .string(scalar.string)
        case .float: return Double(scalar.string).map { .number($0) } ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    subscript(key: String) -> YAMLTree? {
        if case .mapping(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    var members: [Member]? {
        if case .mapping(let members) = self { return members }
        return nil
    }

    var elements: [YAMLTree]? {
        if case .sequence(let elements) = self { return elements }
        return nil
    }

    var string: String? { json?.string }
    var number: Double? { json?.number }

    /// The value as JSON, for `enum` members and flags.
    var json: JSONValue? {
        switch self {
        case .scalar(let value): value
        case .sequence(let elements):
            .array(elements.compactMap(\.json))
        case .mapping(let members):
            .object(Dictionary(members.compactMap { member in member.value.json.map { (member.key, $0) } }, uniquingKeysWith: { first, _ in first }))
        }
    }
}
