import Prometheus
import Vapor

/// What the server counts for `/metrics`, in Prometheus's text format (swift-prometheus):
/// requests by route and status with their latency, intake's groups and commit times, the
/// case timers' rounds and what they did. Figures read from the database (cases open by
/// colour) are read when scraped (`MetricsEndpoint`).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// Latency buckets from a cached page (a few ms) to a slow export (10 s).
    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                             .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                             .seconds(2.5), .seconds(5), .seconds(10)]
    static let groupBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256]

    func request(method: String, route: String, status: UInt, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: .init(namespace: "yiju", metricName: "http_requests", unitName: "total",
                                               helpText: "Requests answered, by route pattern and status"), labels: labels).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "yiju", metricName: "http_request_duration", unitName: "seconds",
                                                         helpText: "Time from the request's arrival to its answer"),
                                       labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets).record(duration)
    }

    /// One group of intakes written together: how many, and how long it took to commit.
    func intakeGroup(size: Int, duration: Duration, failed: Bool) {
        registry.makeValueHistogram(descriptor: .init(namespace: "yiju", metricName: "intake_group_size", unitName: "",
                                                      helpText: "Cases written in one intake transaction"),
                                    labels: [], buckets: Self.groupBuckets).record(Double(size))
        registry.makeDurationHistogram(descriptor: .init(namespace: "yiju", metricName: "intake_group_commit", unitName: "seconds",
                                                         helpText: "Time to write and commit one intake group"),
                                       labels: [], buckets: Self.latencyBuckets).record(duration)
        if failed {
            registry.makeCounter(descriptor: .init(namespace: "yiju", metricName: "intake_group_failures", unitName: "total",
                                                   helpText: "Intake groups whose transaction failed"), labels: []).increment()
        }
    }

    /// One round of the case timers and what it changed.
    func timerRound(_ outcome: CaseTimers.Outcome?, duration: Duration) {
        let result = outcome == nil ? "failed" : "ok"
        registry.makeCounter(descriptor: .init(namespace: "yiju", metricName: "case_timer_rounds", unitName: "total",
                                               helpText: "Rounds of the case timers, by result"), labels: [("result", result)]).increment()
        registry.makeDurationHistogram(descriptor: .init(namespace: "yiju", metricName: "case_timer_round", unitName: "seconds",
                                                         helpText: "Time one round of the case timers took"),
                                       labels: [], buckets: Self.latencyBuckets).record(duration)
        guard let outcome else { return }
        for (what, count) in [("unanswered", outcome.unanswered), ("overdue", outcome.overdue),
                              ("escalated", outcome.escalated), ("missedCheckIn", outcome.missedCheckIns)] where count > 0 {
            registry.makeCounter(descriptor: .init(namespace: "yiju", metricName: "case_timer_changes", unitName: "total",
                                                   helpText: "Cases the timers changed, by what happened"), labels: [("change", what)])
                .increment(by: Int64(count))
        }
    }

    func set(_ name: String, help: String, labels: [(String, String)], to value: Double) {
        registry.makeGauge(descriptor: .init(namespace: "yiju", metricName: name, unitName: "", helpText: help), labels: labels).set(value)
    }
}

extension Application {
    private struct ServerMetricsKey: StorageKey { typealias Value = ServerMetrics }

    /// The process's counters, set up by `configure` before the first request.
    var metrics: ServerMetrics {
        get { storage[ServerMetricsKey.self] ?? ServerMetrics() }
        set { storage[ServerMetricsKey.self] = newValue }
    }
}
