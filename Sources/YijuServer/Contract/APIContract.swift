import Foundation
import Yams
import YijuCore

/// openapi.yaml read as the rules a request must meet: each operation's parameters and JSON
/// body with their schemas compiled. The generator turns the same document into types, which
/// check a value's type and nothing more; this is the rest of what the document promises
/// (lengths, ranges, formats, patterns, item counts), so that what it says and what the server
/// accepts are one thing (docs/DESIGN.md §5).
struct APIContract: Sendable {
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header, cookie }
        let name: String
        let location: Location
        let required: Bool
        let schema: ContractSchema
    }

    struct Operation: Sendable {
        let id: String
        let method: String
        /// The path as the document writes it, under the server URL: /compounds/{id}.
        let path: String
        let parameters: [Parameter]
        /// The schema of an application/json body, when the operation takes one.
        let jsonBody: ContractSchema?
    }

    /// A document the check cannot enforce exactly: a keyword it does not know, a `$ref` it
    /// cannot follow. The server refuses to start rather than promise what it does not check.
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    let operations: [String: Operation]
    /// Every documented path and the methods it answers.
    let methodsByPath: [String: Set<String>]

    /// The document compiled into the server's bundle, read once per process.
    static func bundled() throws -> APIContract { try bundledContract.get() }

    private static let bundledContract = Result<APIContract, any Error> {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Unsupported(description: "openapi.yaml is missing from the bundle")
        }
        return try APIContract(yaml: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    init(yaml: String) throws {
        guard let node = try Yams.compose(yaml: yaml) else { throw Unsupported(description: "the document is empty") }
        let document = YAMLTree(node)
        var compiler = SchemaCompiler(components: document["components"]?["schemas"]?.members ?? [])
        let sharedParameters = document["components"]?["parameters"]?.members ?? []
        var operations: [String: Operation] = [:]
        var methodsByPath: [String: Set<String>] = [:]
        for (path, item) in (document["paths"]?.members ?? []).map({ ($0.key, $0.value) }) {
            let common = item["parameters"]?.elements ?? []
            for (method, operation) in (item.members ?? []).map({ ($0.key, $0.value) }) where Self.methods.contains(method) {
                guard let id = operation["operationId"]?.string else { throw Unsupported(description: "\(method) \(path) has no operationId") }
                methodsByPath[path, default: []].insert(method.uppercased())
                let parameters = try (common + (operation["parameters"]?.elements ?? [])).map { raw in
                    try Self.parameter(raw, shared: sharedParameters, compiler: &compiler, in: id)
                }
                let body = try operation["requestBody"]?["content"]?["application/json"]?["schema"].map {
                    try compiler.compile($0, at: "\(id) body")
                }
                operations[id] = Operation(id: id, method: method.uppercased(), path: path, parameters: parameters, jsonBody: body)
            }
        }
        self.operations = operations
        self.methodsByPath = methodsByPath
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    private static func parameter(_ raw: YAMLTree, shared: [YAMLTree.Member], compiler: inout SchemaCompiler, in id: String) throws -> Parameter {
        var raw = raw
        if let ref = raw["$ref"]?.string {
            let name = String(ref.split(separator: "/").last ?? "")
            guard let resolved = shared.first(where: { $0.key == name })?.value else { throw Unsupported(description: "\(id): \(ref) is not in components.parameters") }
            raw = resolved
        }
        guard let name = raw["name"]?.string, let location = raw["in"]?.string.flatMap(Parameter.Location.init(rawValue:)),
              let schema = raw["schema"] else { throw Unsupported(description: "\(id): a parameter without name, in or schema") }
        let required = raw["required"]?.json == .bool(true) || location == .path
        return Parameter(name: name, location: location, required: required, schema: try compiler.compile(schema, at: "\(id) \(name)"))
    }
}

/// Compiles schemas, following `$ref`s into components.schemas once each.
private struct SchemaCompiler {
    let components: [String: YAMLTree]
    var compiled: [String: ContractSchema] = [:]
    var compiling: Set<String> = []

    init(components: [YAMLTree.Member]) {
        self.components = Dictionary(components.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    mutating func compile(_ object: YAMLTree, at place: String) throws -> ContractSchema {
        guard let keys = object.members?.map(\.key) else {
            if object.json == .bool(true) { return try compile(.mapping([]), at: place) }
            throw APIContract.Unsupported(description: "\(place): a schema must be an object")
        }
        if let ref = object["$ref"]?.string {
            let prefix = "#/components/schemas/"
            guard ref.hasPrefix(prefix), let target = components[String(ref.dropFirst(prefix.count))] else {
                throw APIContract.Unsupported(description: "\(place): cannot follow \(ref)")
            }
            let name = String(ref.dropFirst(prefix.count))
            if let done = compiled[name] { return done }
            guard compiling.insert(name).inserted else { throw APIContract.Unsupported(description: "\(place): \(ref) refers to itself") }
            let schema = try compile(target, at: name)
            compiling.remove(name)
            compiled[name] = schema
            return schema
        }
        let unknown = Set(keys).subtracting(ContractSchema.constraining).subtracting(ContractSchema.descriptive)
        guard unknown.isEmpty else {
            throw APIContract.Unsupported(description: "\(place): the contract check does not know \(unknown.sorted().joined(separator: ", "))")
        }
        if let format = object["format"]?.string, !ContractFormat.known.contains(format) {
            throw APIContract.Unsupported(description: "\(place): the contract check does not know format \(format)")
        }
        func int(_ key: String) -> Int? { object[key]?.number.map { Int($0) } }
        var properties: [(String, ContractSchema)] = []
        for member in object["properties"]?.members ?? [] {
            properties.append((member.key, try compile(member.value, at: "\(place).\(member.key)")))
        }
        let pattern = try object["pattern"]?.string.map { source in
            ContractSchema.Pattern(source: source, expression: try NSRegularExpression(pattern: source))
        }
        var additional: ContractSchema?
        if let extra = object["additionalProperties"], extra.json != .bool(true) {
            if extra.json == .bool(false) { throw APIContract.Unsupported(description: "\(place): additionalProperties: false is not checked") }
            additional = try compile(extra, at: "\(place).*")
        }
        return ContractSchema(
            type: object["type"]?.string, format: object["format"]?.string,
            allowed: object["enum"]?.elements?.compactMap(\.json) ?? object["const"]?.json.map { [$0] },
            minLength: int("minLength"), maxLength: int("maxLength"), pattern: pattern,
            minimum: object["minimum"]?.number, maximum: object["maximum"]?.number,
            exclusiveMinimum: object["exclusiveMinimum"]?.number, exclusiveMaximum: object["exclusiveMaximum"]?.number,
            items: try object["items"].map { try compile($0, at: "\(place)[]") },
            minItems: int("minItems"), maxItems: int("maxItems"), properties: properties,
            required: object["required"]?.elements?.compactMap(\.string) ?? [], additional: additional,
            allOf: try (object["allOf"]?.elements ?? []).map { try compile($0, at: place) })
    }
}
