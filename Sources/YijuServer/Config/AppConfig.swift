import Foundation
import Logging
import YijuCore

/// Everything the server reads from its environment, checked at once: a bad start-up
/// reports every missing or bad value in one message instead of one per restart.
public struct AppConfig: Sendable, Equatable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        /// A file-less database for tests.
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: Database
    public var host: String
    public var port: Int
    public var logLevel: Logger.Level
    /// Bcrypt work factor: 12 in production; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    /// Mark session cookies `Secure`. Off only for plain-HTTP loopback development.
    public var secureCookies: Bool
    /// Largest request body accepted, in bytes (imports included).
    public var maxBodyBytes: Int
    /// Whether `yiju serve` runs the case timers. Every process may (they claim work in the
    /// database); a deployment can leave them to some processes, and benchmarks switch them off.
    public var caseTimers = true
    /// Days an API token is valid from its issue (`TOKEN_DAYS`, 1–3650; 90 by default).
    public var tokenDays = 90
    /// Text lines or JSON lines (`LOG_FORMAT`).
    public var logFormat = LogFormat.text

    public init(database: Database, host: String = "127.0.0.1", port: Int = 8080, logLevel: Logger.Level = .info,
                bcryptCost: Int = 12, secureCookies: Bool = false, maxBodyBytes: Int = 10 * 1024 * 1024) {
        self.database = database
        self.host = host
        self.port = port
        self.logLevel = logLevel
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
        self.maxBodyBytes = maxBodyBytes
    }

    /// Reads `DATABASE_URL`, `SQLITE_PATH`, `HOST`, `PORT`, `LOG_LEVEL`, `LOG_FORMAT`,
    /// `BCRYPT_COST`, `COOKIE_SECURE`, `MAX_BODY_MB`, `CASE_TIMERS` and `TOKEN_DAYS`.
    public static func fromEnvironment(_ env: [String: String]) throws(DomainError) -> AppConfig {
        var errors: [FieldError] = []
        var config = AppConfig(database: .sqlite(path: "./yiju.sqlite"))

        if let url = nonEmpty(env["DATABASE_URL"]) {
            if let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
               components.host?.isEmpty == false {
                config.database = .postgres(url: url)
            } else {
                errors.append(FieldError(field: "DATABASE_URL", reason: "must be postgres://user:password@host:port/database"))
            }
        } else if let path = nonEmpty(env["SQLITE_PATH"]) {
            config.database = path == ":memory:" ? .sqliteMemory : .sqlite(path: path)
        }
        if let host = env["HOST"] {
            if host.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "HOST", reason: "must not be empty")) }
            else { config.host = host }
        }
        if let port = env["PORT"] {
            if let value = Int(port), (1...65_535).contains(value) { config.port = value }
            else { errors.append(FieldError(field: "PORT", reason: "must be a port number 1–65535, got \"\(port)\"")) }
        }
        if let level = env["LOG_LEVEL"] {
            if let value = Logger.Level(rawValue: level.lowercased()) { config.logLevel = value }
            else { errors.append(FieldError(field: "LOG_LEVEL", reason: "must be one of trace, debug, info, notice, warning, error, critical")) }
        }
        if let format = env["LOG_FORMAT"] {
            if let value = LogFormat(rawValue: format.lowercased()) { config.logFormat = value }
            else { errors.append(FieldError(field: "LOG_FORMAT", reason: "must be text or json, got \"\(format)\"")) }
        }
        if let cost = env["BCRYPT_COST"] {
            if let value = Int(cost), (4...31).contains(value) { config.bcryptCost = value }
            else { errors.append(FieldError(field: "BCRYPT_COST", reason: "must be 4–31, got \"\(cost)\"")) }
        }
        if let secure = env["COOKIE_SECURE"] {
            switch secure.lowercased() {
            case "1", "true", "yes": config.secureCookies = true
            case "0", "false", "no": config.secureCookies = false
            default: errors.append(FieldError(field: "COOKIE_SECURE", reason: "must be true or false"))
            }
        }
        if let timers = env["CASE_TIMERS"] {
            switch timers.lowercased() {
            case "on", "1", "true": config.caseTimers = true
            case "off", "0", "false": config.caseTimers = false
            default: errors.append(FieldError(field: "CASE_TIMERS", reason: "must be on or off"))
            }
        }
        if let days = env["TOKEN_DAYS"] {
            if let value = Int(days), (1...3650).contains(value) { config.tokenDays = value }
            else { errors.append(FieldError(field: "TOKEN_DAYS", reason: "must be 1–3650, got \"\(days)\"")) }
        }
        if let mb = env["MAX_BODY_MB"] {
            if let value = Int(mb), (1...200).contains(value) { config.maxBodyBytes = value * 1024 * 1024 }
            else { errors.append(FieldError(field: "MAX_BODY_MB", reason: "must be 1–200, got \"\(mb)\"")) }
        }
        guard errors.isEmpty else {
            throw DomainError(.invalid, code: "bad_configuration",
                              message: "the environment has \(errors.count) bad value\(errors.count == 1 ? "" : "s")", fields: errors)
        }
        return config
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return s
    }
}
