import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Password checks, login throttling and API tokens, shared by the console and the API.
struct Credentials {
    let db: any Database
    let passwords: AsyncPasswordHasher
    let now: Date
    /// How long an issued API token is valid (`TOKEN_DAYS`).
    let tokenLifetime: TimeInterval

    /// Five failures within 15 minutes lock a username for 15 minutes, and twenty from one
    /// address lock that address (whatever usernames it tries) for as long. Counted in the
    /// database, so every server process sharing it enforces the same limits.
    static let maxFailures = 5
    static let maxFailuresPerAddress = 20
    static let window: TimeInterval = 15 * 60

    init(app: Application, db: (any Database)? = nil) {
        self.db = db ?? app.db
        passwords = app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.any())
        now = app.clock.now()
        tokenLifetime = Double(app.yijuConfig.tokenDays) * 86_400
    }

    /// The user with this username and password, or an error that never says which of the
    /// two was wrong. `address` is the client's, for the per-address limit.
    func authenticate(username rawUsername: String, password: String, address: String?) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        var missing: [FieldError] = []
        if username.isEmpty { missing.append(FieldError(field: "username", reason: "is required")) }
        if password.isEmpty { missing.append(FieldError(field: "password", reason: "is required")) }
        guard missing.isEmpty else { throw DomainError.validation(missing) }

        let since = now.addingTimeInterval(-Self.window)
        let lastSuccess = try await LoginAttempt.query(on: db)
            .filter(\.$username == username).filter(\.$succeeded == true).filter(\.$at >= since)
            .sort(\.$at, .descending).first()?.at
        let failures = try await LoginAttempt.query(on: db)
            .filter(\.$username == username).filter(\.$succeeded == false)
            .filter(\.$at >= max(since, lastSuccess ?? since)).count()
        if failures >= Self.maxFailures {
            throw DomainError(.throttled, code: "too_many_attempts",
                              message: "too many failed attempts for this user; try again in 15 minutes")
        }
        if let address, try await LoginAttempt.query(on: db).filter(\.$address == address).filter(\.$succeeded == false)
            .filter(\.$at >= since).count() >= Self.maxFailuresPerAddress {
            throw DomainError(.throttled, code: "too_many_attempts",
                              message: "too many failed attempts from this address; try again in 15 minutes")
        }

        let user = try await User.query(on: db).filter(\.$username == username).first()
        // Verify against a fixed hash when the user is unknown, so timing does not reveal which usernames exist.
        let hash = user?.passwordHash ?? "$2b$12$C6UzMDM.H6dfI/f/IKxGhu2mYOdmxpyxMCNKHtWQvjVoLxbA2zhXS"
        let valid = (try? await passwords.verify(password, created: hash)) ?? false
        try await record(username: username, address: address, succeeded: valid && user != nil)
        guard valid, let user else {
            throw DomainError(.unauthenticated, code: "bad_credentials", message: "wrong username or password")
        }
        return user
    }

    private func record(username: String, address: String?, succeeded: Bool) async throws {
        let attempt = LoginAttempt()
        attempt.username = username
        attempt.address = address
        attempt.succeeded = succeeded
        attempt.at = now
        try await attempt.create(on: db)
    }

    /// Issues a new API token, valid for `tokenLifetime`, and stores only its hash. The plain
    /// token is returned once.
    func issueToken(for user: User, label: String?) async throws -> String {
        let token = "yj_" + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URLEncoded
        let record = UserToken()
        record.$user.id = try user.requireID()
        record.tokenHash = Self.hash(token)
        record.label = label
        record.expiresAt = now.addingTimeInterval(tokenLifetime)
        try await record.create(on: db)
        return token
    }

    /// Who a token belongs to, and until when.
    struct Caller: Sendable {
        var actor: Actor
        var tokenID: UUID
        var expiresAt: Date?
    }

    /// Tokens are "yj_" and 43 characters of base64url; anything else is not looked up.
    static func isWellFormedToken(_ token: String) -> Bool { token.hasPrefix("yj_") && token.utf8.count < 200 }

    /// The caller of an API request, in one query of plain columns: loading the token and
    /// the user as models cost more than most handlers. `CallerCache` spares most requests even this.
    func caller(tokenHash: String) async throws -> Caller? {
        guard let sql = db as? any SQLDatabase else { return nil }
        struct Row: Decodable {
            var id: UUID, username: String, role: Role, street_office_id: UUID?, department_id: UUID?, company_id: UUID?
            var token_id: UUID, expires_at: Date?
        }
        guard let row = try await sql.select()
            .columns(SQLColumn("id", table: "u"), SQLColumn("username", table: "u"), SQLColumn("role", table: "u"),
                     SQLColumn("street_office_id", table: "u"), SQLColumn("department_id", table: "u"),
                     SQLColumn("company_id", table: "u"),
                     SQLAlias(SQLColumn("id", table: "t"), as: SQLIdentifier("token_id")), SQLColumn("expires_at", table: "t"))
            .from(SQLAlias(SQLIdentifier(UserToken.schema), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")), on: SQLColumn("user_id", table: "t"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("token_hash", table: "t"), .equal, SQLBind(tokenHash))
            .first(decoding: Row.self) else { return nil }
        return Caller(actor: Actor(userID: row.id, username: row.username, role: row.role, streetOfficeID: row.street_office_id,
                                   departmentID: row.department_id, companyID: row.company_id),
                      tokenID: row.token_id, expiresAt: row.expires_at)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    func hashPassword(_ password: String) async throws -> String {
        try await passwords.hash(password)
    }
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The rules for new users and passwords, shared by the CLI, the API and the demo loader.
enum UserRules {
    static func check(username: String, displayName: String, password: String?) -> [FieldError] {
        var errors: [FieldError] = []
        if !isValidUsername(username) {
            errors.append(FieldError(field: "username", reason: "must be 3–64 lowercase letters, digits, '.', '_' or '-'"))
        }
        if displayName.trimmingCharacters(in: .whitespaces).isEmpty || displayName.count > 100 {
            errors.append(FieldError(field: "displayName", reason: "must be 1–100 characters"))
        }
        if let password { errors += passwordProblems(password, username: username) }
        return errors
    }

    /// A new password's rules (after NIST SP 800-63B: length, and not one an attacker tries
    /// first; no rules about which kinds of characters, which only make passwords harder to
    /// remember): 10–200 characters, not the username or containing it, not one character
    /// over and over, not a well-known password.
    static func passwordProblems(_ password: String, username: String) -> [FieldError] {
        func problem(_ reason: String) -> [FieldError] { [FieldError(field: "password", reason: reason)] }
        guard (10...200).contains(password.count) else { return problem("must be 10–200 characters") }
        let folded = password.lowercased()
        if username.count >= 3, folded.contains(username.lowercased()) { return problem("must not contain the username") }
        if Set(folded).count <= 2 { return problem("must not be one or two characters repeated") }
        if commonPasswords.contains(folded) || isRun(folded) { return problem("is one of the passwords tried first; choose another") }
        return []
    }

    /// Passwords tried first by anyone guessing, of ten characters or more: the top of the
    /// public leaked-password lists, keyboard rows, and the demo district's published password.
    static let commonPasswords: Set<String> = [
        "password123", "password1234", "passw0rd123", "1234567890", "12345678910", "0123456789", "9876543210",
        "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "1qaz2wsx3edc", "asdfghjkl;", "zxcvbnm123",
        "iloveyou123", "admin12345", "administrator", "welcome123", "changeme123", "letmein123", "abc1234567",
        "woaini1314", "woaini5201314", "5201314520", "a1234567890", "aa12345678", "demo-yiju-2026",
    ]

    /// Letters or digits that follow one another (abcdefghij, 3456789012).
    static func isRun(_ text: String) -> Bool {
        let values: [UInt32] = text.unicodeScalars.map(\.value)
        guard values.count >= 2 else { return false }
        let nine = UInt32(UInt8(ascii: "9")), zero = UInt32(UInt8(ascii: "0"))
        func follows(_ a: UInt32, _ b: UInt32) -> Bool {
            if b == a + 1 || a == b + 1 { return true }
            return (a == nine && b == zero) || (a == zero && b == nine)
        }
        return zip(values, values.dropFirst()).allSatisfy { follows($0, $1) }
    }

    static func isValidUsername(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        func allowed(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
        guard (3...64).contains(scalars.count), let first = scalars.first, allowed(first) else { return false }
        return scalars.allSatisfy { allowed($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }
}
