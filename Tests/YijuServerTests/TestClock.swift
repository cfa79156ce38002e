import Foundation
import Synchronization
import Vapor
import YijuCore
@testable import YijuServer

/// A clock the test moves forward, so a notice period can run out.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(days: Int) { lock.withLock { current = current.addingTimeInterval(Double(days) * 86_400) } }
    func advance(seconds: Double) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    func advance(hours: Int) { lock.withLock { current = current.addingTimeInterval(Double(hours) * 3_600) } }

    func install(on app: Application) { app.clock = Clock(now: { [self] in now }) }

    /// Monday 2026-03-02, 10:00 in Shanghai — a plain working week ahead — installed on `app`.
    static func mondayMorning(on app: Application) -> TestClock {
        let clock = TestClock(Calendar.shanghai.start(of: "2026-03-02")!.addingTimeInterval(10 * 3600))
        clock.install(on: app)
        return clock
    }
}
