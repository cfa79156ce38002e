import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Renders every error one way: JSON `{error: {code, message, field, details}}` outside
/// the console, an error page inside it. Database and internal error text is logged,
/// never shown.
struct YijuErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let domain = Self.domainError(from: error)
            if domain.code == "internal_error" || domain.kind == .unavailable {
                Self.log(error, on: request)
            }
            let status = Self.status(domain.kind)
            if Self.isConsole(request.url.path) {
                return try await ErrorPage.render(domain, status: status, for: request)
            }
            return try Self.json(domain, status: status)
        }
    }

    /// The generated server's error describes the whole request — its Authorization header
    /// and its body, a password or a resident's phone among them — which must not reach a
    /// log: only the operation and what went wrong underneath are logged.
    static func log(_ error: any Error, on request: Request) {
        if let server = error as? ServerError {
            let underlying = StorageFault.summary(server.underlyingError) ?? String(describing: server.underlyingError)
            request.logger.error("\(server.operationID) failed: \(underlying)")
        } else if let summary = StorageFault.summary(error) {
            request.logger.error("\(request.method) \(request.url.path) failed: \(summary)")
        } else {
            request.logger.report(error: error)
        }
    }

    /// The console's pages answer errors with a page; everything else (the API, the public
    /// routes' JSON, files) with the JSON error.
    static func isConsole(_ path: String) -> Bool {
        path.hasPrefix(ConsolePath.home.path) || path == ConsolePath.root.path || path.hasPrefix(ConsolePath.login.path)
    }

    static func json(_ error: DomainError, status: HTTPResponseStatus) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(body(error), as: .json)
        return response
    }

    /// The JSON error as bytes, for an answer made inside the generated server.
    static func jsonBytes(_ error: DomainError) -> [UInt8] {
        (try? JSONEncoder().encode(body(error))).map { Array($0) } ?? []
    }

    static func body(_ error: DomainError) -> ErrorBody {
        ErrorBody(error: .init(code: error.code, message: error.message, field: error.field,
                               details: error.fields.map { .init(field: $0.field, reason: $0.reason, line: $0.line) }))
    }

    struct ErrorBody: Content {
        struct Detail: Content { var field: String; var reason: String; var line: Int? }
        struct Inner: Content { var code: String; var message: String; var field: String?; var details: [Detail] }
        var error: Inner
    }

    static func status(_ kind: DomainError.Kind) -> HTTPResponseStatus {
        switch kind {
        case .badRequest: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .unprocessableEntity
        case .throttled: .tooManyRequests
        case .tooLarge: .payloadTooLarge
        case .unavailable: .serviceUnavailable
        case .internalError: .internalServerError
        }
    }

    /// Unwraps the generated server's wrapper and turns decoding failures into field errors.
    static func domainError(from error: any Error) -> DomainError {
        switch error {
        case let domain as DomainError:
            return domain
        case let server as ServerError:
            return domainError(from: server.underlyingError)
        case let fault where StorageFault.isDiskFull(fault):
            return StorageFault.diskFull
        case let fault where StorageFault.isUnreachable(fault):
            return StorageFault.unreachable
        case let decoding as DecodingError:
            return decodingError(decoding)
        case let abort as any AbortError:
            let kind: DomainError.Kind = switch abort.status.code {
            case 401: .unauthenticated
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 413: .tooLarge
            case 422: .invalid
            case 429: .throttled
            default: .badRequest
            }
            if abort.status.code >= 500 { return internalError }
            return DomainError(kind, code: abort.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"), message: abort.reason)
        default:
            let text = String(describing: error)
            // The generated server reports a missing or wrong Content-Type this way.
            if text.contains("Unexpected content type") || text.contains("unexpectedContentType") {
                return DomainError(.badRequest, code: "unsupported_media_type", message: "the Content-Type of the body is not one this operation accepts")
            }
            if text.contains("Missing required") || text.contains("missingRequired") {
                return DomainError(.badRequest, code: "missing_parameter", message: "a required parameter or body is missing")
            }
            if text.contains("exceeded") && text.contains("bytes") {
                return DomainError(.tooLarge, code: "body_too_large", message: "the request body is too large")
            }
            return internalError
        }
    }

    static let internalError = DomainError(.internalError, code: "internal_error", message: "something went wrong on our side; it has been logged")

    static func decodingError(_ error: DecodingError) -> DomainError {
        func path(_ context: DecodingError.Context) -> String {
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
            return field.isEmpty ? "body" : field
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            let field = parent == "body" ? key.stringValue : "\(parent).\(key.stringValue)"
            return DomainError(.badRequest, code: "invalid_body", message: "\(field) is required",
                               fields: [FieldError(field: field, reason: "is required")])
        case .typeMismatch(let type, let context):
            return DomainError(.badRequest, code: "invalid_body", message: "\(path(context)) has the wrong type",
                               fields: [FieldError(field: path(context), reason: "must be \(Self.describe(type))")])
        case .valueNotFound(let type, let context):
            return DomainError(.badRequest, code: "invalid_body", message: "\(path(context)) must not be null",
                               fields: [FieldError(field: path(context), reason: "must be \(Self.describe(type)), not null")])
        case .dataCorrupted(let context):
            let field = path(context)
            let reason = field == "body" ? "is not valid JSON"
                : context.debugDescription.contains("Cannot initialize") ? "is not one of the values the API document allows"
                : "has a value that is not allowed"
            return DomainError(.badRequest, code: "invalid_body", message: "\(field) \(reason)", fields: [FieldError(field: field, reason: reason)])
        @unknown default:
            return DomainError(.badRequest, code: "invalid_body", message: "the body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Int") { return "a whole number" }
        if name.contains("Double") || name.contains("Float") { return "a number" }
        if name.contains("String") { return "text" }
        if name.contains("Bool") { return "true or false" }
        if name.contains("Array") { return "an array" }
        if name.contains("Payload") || name.contains("Kind") || name.contains("Mode") || name.contains("State") || name.contains("Role") {
            return "one of the allowed values"
        }
        return "an object"
    }
}

/// Refuses a body larger than the limit before anything reads it, whatever route it is for:
/// the generated API streams bodies, so Vapor's own collect limit does not apply there.
struct BodyLimitMiddleware: AsyncMiddleware {
    let maxBytes: Int

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBytes {
            throw DomainError(.tooLarge, code: "body_too_large", message: "the body is \(length) bytes; at most \(maxBytes) are accepted")
        }
        return try await next.respond(to: request)
    }
}

/// One line per request with status and duration; the request id ties log lines together.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        request.logger.info("\(request.method) \(request.url.path) \(response.status.code) \(String(format: "%.1f", ms)) ms")
        return response
    }
}
