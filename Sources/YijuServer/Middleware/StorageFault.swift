import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import YijuCore

/// A database that cannot take writes because its disk is full: the write is refused with
/// 503 and a message an operator can act on, nothing of it is kept (the transaction rolled
/// back), and reads go on being answered.
enum StorageFault {
    static let diskFull = DomainError(.unavailable, code: "storage_full",
                                      message: "the database's disk is full: nothing was written; reads still work, and writes will again once space is freed")

    static func isDiskFull(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.reason == .full }
        // SQLSTATE 53100 is PostgreSQL's disk_full.
        if let postgres = error as? PSQLError { return postgres.serverInfo?[.sqlState] == "53100" }
        return false
    }
}
