import Foundation
import HTTPTypes
import OpenAPIRuntime
import YijuCore

/// Holds every API request to openapi.yaml before its handler runs: a parameter the document
/// does not allow is 400 `bad_parameter`, a body of the wrong shape 400 `invalid_body`, a body
/// with a value the document rules out 422 `validation_failed`, each naming every field and
/// why; nothing is written. A method the document does not give a path is 405 with `Allow`,
/// also where the router would have taken the path for a template's value.
struct ContractMiddleware: ServerMiddleware {
    let contract: APIContract
    let maxBodyBytes: Int
    /// The server URL the document's paths are under.
    static let prefix = "/api/v1"

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = contract.operations[operationID] else { return try await next(request, body, metadata) }
        let (path, query) = Self.split(request.path ?? "")
        if let refused = methodNotAllowed(path: path, operation: operation) { return refused }

        let parameterProblems = ContractParameters.problems(operation.parameters, pathValues: metadata.pathParameters,
                                                            query: query, headers: request.headerFields)
        if !parameterProblems.isEmpty {
            let message = parameterProblems.count == 1 ? parameterProblems[0].description : "\(parameterProblems.count) parameters are invalid"
            throw DomainError(.badRequest, code: "bad_parameter", message: message, fields: parameterProblems)
        }
        guard let schema = operation.jsonBody, let body, Self.isJSON(request.headerFields[.contentType]) else {
            return try await next(request, body, metadata)
        }
        let bytes: ArraySlice<UInt8>
        do { bytes = try await ArraySlice(collecting: body, upTo: maxBodyBytes) }
        catch { throw DomainError(.tooLarge, code: "body_too_large", message: "the body is larger than \(maxBodyBytes) bytes") }
        if !bytes.isEmpty { try Self.check(bytes, against: schema) }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    static func check(_ bytes: ArraySlice<UInt8>, against schema: ContractSchema) throws {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw DomainError(.badRequest, code: "invalid_body", message: "the body is not valid JSON",
                              fields: [FieldError(field: "body", reason: "is not valid JSON")])
        }
        var problems = ContractSchema.Problems()
        schema.check(value, at: "body", into: &problems)
        if !problems.shape.isEmpty {
            let first = problems.shape[0]
            throw DomainError(.badRequest, code: "invalid_body",
                              message: problems.shape.count == 1 ? "\(first.field) \(first.reason)" : "\(problems.shape.count) fields have the wrong shape",
                              fields: problems.shape)
        }
        if !problems.values.isEmpty { throw DomainError.validation(problems.values) }
    }

    /// 405 for a documented path asked with a method the document does not give it. The
    /// router answers unknown methods itself (MethodNotAllowedMiddleware); this is the case it
    /// cannot see, a literal path such as /compounds/import that a template's route
    /// (PATCH /compounds/{id}) also matches.
    func methodNotAllowed(path: String, operation: APIContract.Operation) -> (HTTPResponse, HTTPBody?)? {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let documented = String(path.dropFirst(Self.prefix.count))
        guard documented != operation.path, let methods = contract.methodsByPath[documented], !methods.contains(operation.method) else { return nil }
        let (error, allow) = MethodNotAllowedMiddleware.refusal(operation.method, at: path, allowed: methods)
        var response = HTTPResponse(status: .methodNotAllowed)
        response.headerFields[.allow] = allow
        response.headerFields[.contentType] = "application/json; charset=utf-8"
        return (response, HTTPBody(YijuErrorMiddleware.jsonBytes(error)))
    }

    static func split(_ target: String) -> (path: String, query: Substring) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), target[target.index(after: mark)...])
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return media == "application/json" || media.hasSuffix("+json")
    }
}

/// Parameters read as the generated server reads them (form-style query, `+` for a space),
/// then checked against their schemas.
enum ContractParameters {
    static func problems(_ parameters: [APIContract.Parameter], pathValues: [String: Substring], query: Substring,
                         headers: HTTPFields) -> [FieldError] {
        let queryValues = Self.queryValues(query)
        var problems: [FieldError] = []
        for parameter in parameters {
            let texts: [String]
            switch parameter.location {
            case .path: texts = pathValues[parameter.name].map { [String($0)] } ?? []
            case .query: texts = queryValues[parameter.name] ?? []
            case .header: texts = HTTPField.Name(parameter.name).map { headers[values: $0] } ?? []
            case .cookie: texts = []
            }
            guard !texts.isEmpty else {
                if parameter.required { problems.append(FieldError(field: parameter.name, reason: "is required")) }
                continue
            }
            guard let value = value(texts, as: parameter.schema) else {
                problems.append(FieldError(field: parameter.name, reason: "must be \(ContractSchema.describe(parameter.schema.type ?? "text"))"))
                continue
            }
            var found = ContractSchema.Problems()
            parameter.schema.check(value, at: parameter.name, into: &found)
            problems += found.shape + found.values
        }
        return problems
    }

    /// The text of a parameter as the value its schema's type reads it as; nil when it does not read.
    static func value(_ texts: [String], as schema: ContractSchema) -> JSONValue? {
        if schema.type == "array" {
            let items = texts.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let values = items.compactMap { item in schema.items.map { value([item], as: $0) } ?? .string(item) }
            return values.count == items.count ? .array(values) : nil
        }
        guard texts.count == 1, let text = texts.first else { return nil }
        switch schema.type {
        case "integer": return Int64(text).map { .number(Double($0)) }
        case "number": return Double(text).flatMap { $0.isFinite ? .number($0) : nil }
        case "boolean": return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        default: return .string(text)
        }
    }

    static func queryValues(_ query: Substring) -> [String: [String]] {
        var values: [String: [String]] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            values[decoded(parts[0]), default: []].append(parts.count > 1 ? decoded(parts[1]) : "")
        }
        return values
    }
}
