import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import YijuCore

/// A database that cannot take writes because its disk is full: the write is refused with
/// 503 and a message an operator can act on, nothing of it is kept (the transaction rolled
/// back), and reads go on being answered.
///
/// And a PostgreSQL server that is restarting, failing over or out of reach: the request is
/// refused at once with 503 rather than 500, and the connection pool opens new connections
/// by itself once the server answers again (Tests/system/check_pg_restart.py).
enum StorageFault {
    static let diskFull = DomainError(.unavailable, code: "storage_full",
                                      message: "the database's disk is full: nothing was written; reads still work, and writes will again once space is freed")

    static let unreachable = DomainError(.unavailable, code: "database_unavailable",
                                         message: "the database is restarting or cannot be reached; try again in a moment (a write cut off mid-way may or may not have been made: look before repeating it)")

    /// A connection that could not be opened or was lost: refused (57P03 cannot_connect_now),
    /// ended by the server's shutdown (57P01 admin_shutdown, 57P02 crash_shutdown), any
    /// connection exception (class 08), or no connection free in the pool's time.
    static func isUnreachable(_ error: any Error) -> Bool {
        if error is ConnectionPoolTimeoutError { return true }
        guard let postgres = error as? PSQLError else { return false }
        switch postgres.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return true
        case .server:
            let state = postgres.serverInfo?[.sqlState] ?? ""
            return ["57P01", "57P02", "57P03"].contains(state) || state.hasPrefix("08")
        default:
            return false
        }
    }

    /// What a PostgreSQL error says, for the log: its code, SQLSTATE and the server's
    /// message, never the query's values (PSQLError describes itself only generically).
    static func summary(_ error: any Error) -> String? {
        guard let postgres = error as? PSQLError else { return nil }
        let state = postgres.serverInfo?[.sqlState].map { " \($0)" } ?? ""
        let message = postgres.serverInfo?[.message].map { ": \($0)" } ?? ""
        return "PostgreSQL \(postgres.code)\(state)\(message)"
    }

    static func isDiskFull(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.reason == .full }
        // SQLSTATE 53100 is PostgreSQL's disk_full.
        if let postgres = error as? PSQLError { return postgres.serverInfo?[.sqlState] == "53100" }
        return false
    }
}
