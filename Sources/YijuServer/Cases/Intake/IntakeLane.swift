import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Synchronization
import Vapor
import YijuCore

/// The intake writer's own thread and its own database connection.
///
/// Under load the two event loops that serve HTTP are busy parsing and answering requests
/// in bursts: every statement of a group that completed on them, and every continuation of
/// the writer that ran on them, waited behind such a burst, so a group took as long as the
/// HTTP work of the group before it and the two never overlapped (measured: ~1 ms of wall
/// time per case with both cores half idle). Here the writer's code runs on a thread of
/// its own, so writing one group overlaps with receiving the next.
///
/// On PostgreSQL the writer's connection lives on that thread's event loop, so its answers
/// arrive where the writer runs; one from the application's pool belongs to an HTTP loop
/// and answered behind that loop's requests. It is opened again when it was lost (a
/// restarted server). A group there is two prepared statements, one read and one write
/// (see `PostgresLaneStore`).
///
/// On SQLite that thread is the connection's own: the writer's code and its statements
/// take turns on one thread, so a statement is a function call, not a hand-over to another
/// thread and back (measured: 0.4–1 ms of waiting per statement on a busy 2-core machine,
/// eight statements a group). Nor does that thread copy the log into the database file
/// (a checkpoint) in the middle of a commit, as SQLite does by default every thousand
/// pages — a stall of tens of milliseconds for the fsync of the database file: a
/// `LogCheckpoints` connection of its own does that beside the writer.
final class IntakeLane: Sendable {
    /// Where the writer's database is.
    enum Target {
        case sqlite(path: String)
        case postgres(PostgresConnection.Configuration)
    }

    /// PostgreSQL: the writer's loop. SQLite: the thread of its connection.
    private let thread: Thread
    let executor: any TaskExecutor
    private let connection: Connection
    /// SQLite: the task that checkpoints the log, since the writer does not.
    private let checkpoints: Task<Void, Never>?

    private enum Thread {
        case loop(MultiThreadedEventLoopGroup)
        case pool(NIOThreadPool)
    }

    private enum Connection {
        case sqlite(SQLiteConnection)
        case postgres(PostgresLaneConnection)
    }

    private init(thread: Thread, executor: any TaskExecutor, connection: Connection, checkpoints: Task<Void, Never>? = nil) {
        self.thread = thread
        self.executor = executor
        self.connection = connection
        self.checkpoints = checkpoints
    }

    static func open(_ target: Target, logger: Logger) async throws -> IntakeLane {
        switch target {
        case .postgres(let configuration):
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            return IntakeLane(thread: .loop(group), executor: EventLoopTaskExecutor(loop),
                              connection: .postgres(PostgresLaneConnection(configuration: configuration, loop: loop, logger: logger)))
        case .sqlite(let sqlitePath):
            let threadPool = NIOThreadPool(numberOfThreads: 1)
            threadPool.start()
            do {
                // The loop is only where the connection's future-based API would answer; the writer uses its async one.
                let connection = try await SQLiteConnection.open(storage: .file(path: sqlitePath), threadPool: threadPool,
                                                                 logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
                try await applyConnectionPragmas(on: connection.sql())
                try await connection.sql().raw("PRAGMA wal_autocheckpoint=0").run()
                let checkpoints = try await LogCheckpoints.start(sqlitePath: sqlitePath, logger: logger)
                return IntakeLane(thread: .pool(threadPool), executor: ThreadPoolTaskExecutor(threadPool),
                                  connection: .sqlite(connection), checkpoints: checkpoints)
            } catch {
                try? await threadPool.shutdownGracefully()
                throw error
            }
        }
    }

    /// Where the writer reads and writes: its own connection; `models` for the rare model loads.
    func store(models: any Database) async throws -> any IntakeStore {
        switch connection {
        case .sqlite(let connection): SQLiteLaneStore(connection: connection, models: models)
        case .postgres(let lane): PostgresLaneStore(connection: try await lane.current(), models: models)
        }
    }

    func close() async {
        checkpoints?.cancel()
        await checkpoints?.value
        switch connection {
        case .sqlite(let connection): try? await connection.close()
        case .postgres(let lane): await lane.close()
        }
        switch thread {
        case .loop(let group): try? await group.shutdownGracefully()
        case .pool(let pool): try? await pool.shutdownGracefully()
        }
    }
}

/// The PostgreSQL writer's connection, opened on the writer's loop when first needed and
/// again whenever the one before was closed.
final class PostgresLaneConnection: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let loop: any EventLoop
    private let logger: Logger
    private let connection = Mutex<PostgresConnection?>(nil)

    init(configuration: PostgresConnection.Configuration, loop: any EventLoop, logger: Logger) {
        var configuration = configuration
        // The writer's two prepared statements are planned once, not for each group: the
        // plan of each is the same for any group (see `PostgresIntakeRead`), and planning
        // them was a third of the database's time. The connection runs nothing else.
        configuration.options.additionalStartupParameters.append(("plan_cache_mode", "force_generic_plan"))
        self.configuration = configuration
        self.loop = loop
        self.logger = logger
    }

    /// Only the writer asks, one group at a time, so two never open one each.
    func current() async throws -> PostgresConnection {
        if let open = connection.withLock({ $0 }), !open.isClosed { return open }
        let opened = try await PostgresConnection.connect(on: loop, configuration: configuration, id: 0, logger: logger).get()
        let previous = connection.withLock { state in
            defer { state = opened }
            return state
        }
        try? await previous?.close()
        return opened
    }

    func close() async {
        try? await connection.withLock({ $0 })?.close()
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

/// Keeps the SQLite log short while the intake writer, which does not checkpoint, writes.
///
/// Once a second a PASSIVE checkpoint copies what the log holds into the database file,
/// beside the writer. Under steady writing that never quite catches up, and SQLite starts
/// the log over only once it has (measured: 3.5 GB of log after a minute of intake). So
/// when the log passes `restartFrames`, PASSIVE passes follow one another — each copies
/// what arrived during the one before, so they get shorter — and then a RESTART copies
/// the last few frames, the writer waiting for just that moment, and the next commit
/// starts the log over, cut back to `journal_size_limit`.
enum LogCheckpoints {
    /// 64 MB of 4 KB pages.
    static let restartFrames = 16_384
    /// A pass that had fewer new frames than this to copy is close enough for the RESTART.
    static let catchUpFrames = 1_000

    /// A connection of its own, so that its waiting (busy_timeout) holds up no one else.
    static func start(sqlitePath: String, logger: Logger) async throws -> Task<Void, Never> {
        let connection = try await SQLiteConnection.open(storage: .file(path: sqlitePath), logger: logger)
        let sql = connection.sql()
        try await applyConnectionPragmas(on: sql)
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                do {
                    var pass = try await checkpoint("PASSIVE", on: sql)
                    guard pass.log > restartFrames else { continue }
                    for _ in 1...8 {
                        let backfilled = pass.checkpointed
                        pass = try await checkpoint("PASSIVE", on: sql)
                        if pass.log - backfilled < catchUpFrames { break }
                    }
                    _ = try await checkpoint("RESTART", on: sql)
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("SQLite log checkpoint failed; trying again in a second: \(String(reflecting: error))")
                }
            }
            // The future, not the async close: that one is skipped for a cancelled task, and
            // an unclosed connection traps when it is freed.
            let closed: EventLoopFuture<Void> = connection.close()
            try? await closed.get()
        }
    }

    /// `log`: the frames in the log when the checkpoint began; `checkpointed`: how many of them are in the database file now.
    private struct Pass: Decodable { var busy: Int; var log: Int; var checkpointed: Int }

    private static func checkpoint(_ mode: String, on sql: any SQLDatabase) async throws -> Pass {
        try await sql.raw("PRAGMA wal_checkpoint(\(unsafeRaw: mode))").first(decoding: Pass.self) ?? Pass(busy: 0, log: 0, checkpointed: 0)
    }
}

/// Runs the jobs of tasks that prefer it on the one thread of a thread pool — the SQLite
/// connection's — in turn with the connection's statements.
final class ThreadPoolTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let pool: NIOThreadPool

    init(_ pool: NIOThreadPool) { self.pool = pool }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Run even when the pool is shutting down (state cancelled): a job left unrun is a task that never ends.
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
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
