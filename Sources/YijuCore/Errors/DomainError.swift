/// One problem with one input field. `row` and `column` are set for import files.
public struct FieldError: Sendable, Hashable, Codable, CustomStringConvertible {
    public var field: String
    public var reason: String
    /// 1-based line in the source file (the header is line 1), for imports.
    public var line: Int?

    public init(field: String, reason: String, line: Int? = nil) {
        self.field = field
        self.reason = reason
        self.line = line
    }

    public var description: String {
        if let line { return "line \(line), \(field): \(reason)" }
        return "\(field): \(reason)"
    }
}

/// The one error type every layer speaks. The server maps `kind` to an HTTP status and
/// renders `code`, `message`, `field` (and every field error) as JSON or as a page.
public struct DomainError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The request itself is malformed (400).
        case badRequest
        /// Not logged in or bad credentials (401).
        case unauthenticated
        /// Logged in but the role or scope does not allow it (403).
        case forbidden
        /// No such record, or one the caller may not know exists (404).
        case notFound
        /// A uniqueness or state conflict (409).
        case conflict
        /// Well-formed but breaks a rule (422).
        case invalid
        /// Too many attempts (429).
        case throttled
        /// Body larger than allowed (413).
        case tooLarge
        /// The database cannot take writes now (503): its disk is full. Nothing was written.
        case unavailable
        /// Our fault (500); the message never carries internal detail.
        case internalError
    }

    public var kind: Kind
    /// Stable, machine-readable code (e.g. `validation_failed`).
    public var code: String
    public var message: String
    public var fields: [FieldError]

    public init(_ kind: Kind, code: String, message: String, fields: [FieldError] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// The first offending field, for clients that show one.
    public var field: String? { fields.first?.field }

    public var description: String {
        ([message] + fields.map(\.description)).joined(separator: "\n")
    }

    public static func validation(_ fields: [FieldError]) -> DomainError {
        DomainError(.invalid, code: "validation_failed",
                    message: fields.count == 1 ? "1 field is invalid" : "\(fields.count) fields are invalid",
                    fields: fields)
    }

    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: "not_found", message: "\(what) not found")
    }

    public static let internalError = DomainError(.internalError, code: "internal_error", message: "something went wrong on our side; it has been logged")

    public static let forbidden = DomainError(.forbidden, code: "forbidden",
                                              message: "your role or scope does not allow this")
}
