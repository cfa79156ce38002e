import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor
import YijuCore

/// The intake writer's own thread, and on SQLite its own connection.
///
/// Under load the two event loops that serve HTTP are busy parsing and answering requests
/// in bursts: every statement of a group that completed on them, and every continuation of
/// the writer that ran on them, waited behind such a burst, so a group took as long as the
/// HTTP work of the group before it and the two never overlapped (measured: ~1 ms of wall
/// time per case with both cores half idle). Here the writer's code runs on a loop of its
/// own, and on SQLite its statements go to a connection whose thread and loop are its own,
/// so writing one group overlaps with receiving the next.
final class IntakeLane: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool?
    let executor: EventLoopTaskExecutor
    /// SQLite: the writer's connection. nil on PostgreSQL, whose driver needs no thread of its own.
    private let connection: SQLiteConnection?

    /// `group` has the one loop the writer's code, and its connection's results, run on.
    private init(group: MultiThreadedEventLoopGroup, threadPool: NIOThreadPool?, connection: SQLiteConnection?) {
        self.group = group
        self.threadPool = threadPool
        self.executor = EventLoopTaskExecutor(group.next())
        self.connection = connection
    }

    /// `sqlitePath`: the database file, for a connection of the writer's own; nil uses the application's pool.
    static func open(sqlitePath: String?, logger: Logger) async throws -> IntakeLane {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        guard let sqlitePath else { return IntakeLane(group: group, threadPool: nil, connection: nil) }
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        do {
            let connection = try await SQLiteConnection.open(storage: .file(path: sqlitePath), threadPool: threadPool,
                                                             logger: logger, on: group.next())
            try await applyConnectionPragmas(on: connection.sql())
            return IntakeLane(group: group, threadPool: threadPool, connection: connection)
        } catch {
            try? await threadPool.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Where the writer reads and writes: its own connection, or the application's database.
    func store(models: any Database) -> any IntakeStore {
        if let connection { return SQLiteLaneStore(connection: connection, models: models) }
        return FluentIntakeStore(db: models)
    }

    func close() async {
        try? await connection?.close()
        try? await threadPool?.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Runs the jobs of tasks that prefer it on one event loop (SE-0417), so that the library
/// code the writer awaits (SQLKit, Fluent) continues on the writer's loop, not on the HTTP loops.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// What the intake writer needs of a database: plain SQL for its reads and writes, a
/// transaction, and Fluent for the rare model loads (a case taken in twice, a compound
/// found by address).
protocol IntakeStore: Sendable {
    var sql: any SQLDatabase { get }
    var models: any Database { get }
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}

struct FluentIntakeStore: IntakeStore {
    let db: any Database

    var sql: any SQLDatabase { db as! any SQLDatabase }
    var models: any Database { db }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            return try await body(sql)
        }
    }
}

/// The writer's own SQLite connection. Only the writer uses it, one group at a time, so a
/// transaction is simply BEGIN … COMMIT on it; IMMEDIATE takes the write lock up front, so
/// a concurrent writer elsewhere (the timers) makes it wait, never fail half-way.
struct SQLiteLaneStore: IntakeStore {
    let connection: SQLiteConnection
    let models: any Database

    var sql: any SQLDatabase { connection.sql() }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let sql = self.sql
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

extension Application {
    private struct IntakeLaneKey: StorageKey { typealias Value = IntakeLane }

    /// Set up by `configure`, before the first request.
    var intakeLane: IntakeLane {
        get { storage[IntakeLaneKey.self]! }
        set { storage[IntakeLaneKey.self] = newValue }
    }
}

/// Closes the lane when the application shuts down.
struct CloseIntakeLane: LifecycleHandler {
    let lane: IntakeLane

    func shutdownAsync(_ application: Application) async { await lane.close() }
}
