import Fluent
import Foundation
import Synchronization
import Vapor
import YijuCore

/// Group commit for intake: one per application, so the cases of one process are written
/// one group at a time (SQLite has one writer anyway; on PostgreSQL it spares the
/// connections). Several processes on one PostgreSQL each have their own. The groups are
/// written on the `IntakeLane`, the writer's own thread (and SQLite connection).
///
/// A lock, not an actor, holds the waiting intakes: a request resumed from an actor ran
/// its continuation — encoding its answer — on the actor's thread, which under load was
/// the writer's, so the writer spent a fifth of its time on other requests' JSON. Resumed
/// from here, each request goes on on the HTTP loops.
final class CaseIntakeQueue: Sendable {
    typealias Answer = (CaseRecord, created: Bool)
    private typealias Waiting = (intake: CheckedIntake, continuation: CheckedContinuation<CaseIntakeWriter.Written, any Error>)

    /// A group's cases, events and numbers go into one INSERT each; this keeps the bound
    /// values of the largest within every driver's limit.
    static let largestGroup = 200

    private struct State {
        var waiting: [Waiting] = []
        /// Whether a writer task is running; it stops when it finds nothing waiting.
        var writing = false
        var reference: IntakeReference?
    }

    private let lane: IntakeLane
    private let database: @Sendable () -> any Database
    private let metrics: ServerMetrics
    private let state = Mutex(State())

    init(lane: IntakeLane, metrics: ServerMetrics, database: @escaping @Sendable () -> any Database) {
        self.lane = lane
        self.metrics = metrics
        self.database = database
    }

    /// The answer's model is made here, on the request's thread, not on the writer's.
    func submit(_ intake: CheckedIntake) async throws -> Answer {
        try await written(intake).answer
    }

    private func written(_ intake: CheckedIntake) async throws -> CaseIntakeWriter.Written {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.waiting.append((intake, continuation))
                defer { state.writing = true }
                return !state.writing
            }
            if startWriter {
                Task(executorPreference: lane.executor) { await self.writeWaiting() }
            }
        }
    }

    private func writeWaiting() async {
        while let (group, cached) = nextGroup() {
            let outcomes: [CaseIntakeWriter.Outcome]
            let start = ContinuousClock.now
            do {
                let store = try await lane.store(models: database())
                let reference = if let cached { cached } else { try await IntakeReference.load(store: store) }
                var writer = CaseIntakeWriter(store: store, reference: reference)
                outcomes = await writer.write(group.map(\.intake))
                state.withLock { $0.reference = writer.reference }
            } catch {
                outcomes = group.map { _ in .failure(error) }
            }
            let failed = outcomes.allSatisfy { if case .failure = $0 { true } else { false } }
            metrics.intakeGroup(size: group.count, duration: ContinuousClock.now - start, failed: failed)
            for (waiting, outcome) in zip(group, outcomes) {
                waiting.continuation.resume(with: outcome)
            }
        }
    }

    /// The next group, or nil — and the writer stops — when nothing waits.
    private func nextGroup() -> ([Waiting], IntakeReference?)? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.writing = false
                return nil
            }
            let group = Array(state.waiting.prefix(Self.largestGroup))
            state.waiting.removeFirst(group.count)
            return (group, state.reference)
        }
    }
}

extension Application {
    private struct CaseIntakeQueueKey: StorageKey { typealias Value = CaseIntakeQueue }

    /// Set up by `configure`, before the first request.
    var caseIntakeQueue: CaseIntakeQueue? {
        get { storage[CaseIntakeQueueKey.self] }
        set { storage[CaseIntakeQueueKey.self] = newValue }
    }
}
