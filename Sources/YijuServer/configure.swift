import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor
import YijuCore

/// Injected effects, so tests can freeze time.
public struct Clock: Sendable {
    public var now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date) { self.now = now }
    public static let system = Clock(now: { Date() })
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    private struct ClockKey: StorageKey { typealias Value = Clock }

    public var yijuConfig: AppConfig {
        get { storage[ConfigKey.self]! }
        set { storage[ConfigKey.self] = newValue }
    }

    public var clock: Clock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

/// Wires the application: database, migrations, sessions, views, middleware, routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.yijuConfig = config
    if let root = locateResourceRoot(from: app.directory.workingDirectory) {
        app.directory = DirectoryConfiguration(workingDirectory: root)
    }
    app.logger.logLevel = config.logLevel
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port
    app.routes.defaultMaxBodySize = ByteCount(value: config.maxBodyBytes)
    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    let writerTarget: IntakeLane.Target
    switch config.database {
    case .sqlite(let path):
        writerTarget = .sqlite(path: path)
    case .sqliteMemory:
        // A throw-away file rather than SQLite's memory: the intake writer opens a connection
        // of its own to the same database, which a private in-memory database cannot give.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("yiju-\(UUID().uuidString).sqlite").path
        app.lifecycle.use(RemoveFilesOnShutdown(paths: [path, path + "-wal", path + "-shm"]))
        writerTarget = .sqlite(path: path)
    case .postgres(let url):
        let postgres = try SQLPostgresConfiguration(url: url)
        app.databases.use(.postgres(configuration: postgres, sqlLogLevel: .debug), as: .psql)
        writerTarget = .postgres(postgres.coreConfiguration)
    }
    if case .sqlite(let sqlitePath) = writerTarget {
        app.databases.use(.sqlite(.file(sqlitePath), sqlLogLevel: .debug), as: .sqlite)
        try await enableWriteAheadLog(app)
    }
    app.registerMigrations()
    let lane = try await IntakeLane.open(writerTarget, logger: app.logger)
    app.lifecycle.use(CloseIntakeLane(lane: lane))
    app.intakeLane = lane
    app.metrics = ServerMetrics()
    app.caseIntakeQueue = CaseIntakeQueue(lane: lane, metrics: app.metrics, database: { [unowned app] in app.db })
    app.callerCache = CallerCache(database: { [unowned app] in app.db })
    app.tokenUses = TokenUses(logger: app.logger)

    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "yiju_session"
    app.sessions.configuration.cookieFactory = { sessionID in
        HTTPCookies.Value(string: sessionID.string, expires: Date(timeIntervalSinceNow: 60 * 60 * 12),
                          maxAge: nil, domain: nil, path: "/", isSecure: config.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    let assets = PublicAssets(directory: app.directory.publicDirectory)
    app.leaf.tags["asset"] = AssetTag(assets: assets)

    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(MetricsMiddleware(metrics: app.metrics))
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(strictTransport: config.secureCookies))
    app.middleware.use(YijuErrorMiddleware())
    app.middleware.use(BodyLimitMiddleware(maxBytes: config.maxBodyBytes))
    app.middleware.use(PublicFilesMiddleware(assets: assets))

    try routes(app)
    // Innermost, and after the routes: it answers for the paths they left unmatched.
    app.middleware.use(MethodNotAllowedMiddleware(routes: app.routes.all))
}

/// WAL lets readers run during a write; with SQLite's default `synchronous=FULL` every
/// commit is fsynced to the log before it is acknowledged, so a killed process loses
/// nothing it confirmed. journal_mode persists in the file; the rest is per connection.
///
/// Fluent keeps one SQLite connection per event loop, opened on first use and kept until
/// shutdown, and has no hook for a connection it opens: so each loop's connection is
/// opened here and given the pragmas, rather than only the one `app.db` happens to pick.
private func enableWriteAheadLog(_ app: Application) async throws {
    guard let sql = app.db as? any SQLDatabase else { return }
    try await sql.raw("PRAGMA journal_mode=WAL").run()
    for loop in app.eventLoopGroup.makeIterator() {
        guard let sql = app.databases.database(.sqlite, logger: app.logger, on: loop) as? any SQLDatabase else { continue }
        try await applyConnectionPragmas(on: sql)
    }
}

/// What every SQLite connection of the server holds to: fsync before a commit is
/// acknowledged, foreign keys enforced, a writer waits up to 5 s for another's lock,
/// 64 MB of pages cached (SQLite's 2 MB default left intake re-reading index pages from
/// the file for every group), temporary data — such as the statement journal of a
/// multi-row INSERT — kept in memory rather than in a file of its own, and the log cut
/// back to 64 MB whenever it starts over.
func applyConnectionPragmas(on sql: any SQLDatabase) async throws {
    for pragma in ["PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000", "PRAGMA cache_size=-65536",
                   "PRAGMA temp_store=MEMORY", "PRAGMA journal_size_limit=67108864"] {
        try await sql.raw(SQLQueryString(pragma)).run()
    }
}

/// Removes a test database's files when its application shuts down.
private struct RemoveFilesOnShutdown: LifecycleHandler {
    let paths: [String]

    func shutdownAsync(_ application: Application) async {
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Templates and static files live in `Resources/` and `Public/` at the package root. When
/// the binary is started from elsewhere (a service manager, another directory), look for
/// them in `YIJU_HOME`, then above the executable (`.build/debug/yiju` → the package root).
func locateResourceRoot(from workingDirectory: String) -> String? {
    let fm = FileManager.default
    func hasViews(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/Resources/Views/layout.leaf") }
    if hasViews(workingDirectory) { return nil }
    if let home = ProcessInfo.processInfo.environment["YIJU_HOME"], hasViews(home) { return home.hasSuffix("/") ? home : home + "/" }
    var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        if hasViews(dir.path) { return dir.path + "/" }
        dir.deleteLastPathComponent()
    }
    return nil
}
