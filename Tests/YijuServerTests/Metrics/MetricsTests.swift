import Fluent
import Foundation
import Logging
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Metrics and logs: /metrics in Prometheus's format, JSON log lines")
    struct MetricsTests {
        /// The value of one series in a scrape, nil when it is absent.
        static func value(_ scrape: String, _ series: String) -> Double? {
            scrape.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }

        @Test("A scrape counts requests by route pattern and status, intake's groups, and the cases open by colour as the ledger has them")
        func scrape() async throws {
            try await withApp { app in
                let api = CaseTests.API(app: app)
                let (managed, _) = try await CaseTests.compounds(app)
                _ = try await api.intake(CaseTests.hotline(managed, .water))
                let token = try await app.token("admin")
                for _ in 0..<3 {
                    try await app.testing().test(.GET, "/api/v1/compounds/\(managed.id!)", headers: .bearer(token)) { res in #expect(res.status == .ok) }
                }
                try await app.testing().test(.GET, "/api/v1/compounds/\(UUID())", headers: .bearer(token)) { res in #expect(res.status == .notFound) }

                var scrape = ""
                try await app.testing().test(.GET, "/metrics") { res in
                    #expect(res.status == .ok)
                    #expect(res.headers.contentType?.description.hasPrefix("text/plain") == true)
                    scrape = res.body.string
                }
                let route = #"route="api/v1/compounds/:id""#
                #expect(Self.value(scrape, #"yiju_http_requests_total{method="GET",\#(route),status="200"}"#) == 3)
                #expect(Self.value(scrape, #"yiju_http_requests_total{method="GET",\#(route),status="404"}"#) == 1)
                #expect(Self.value(scrape, #"yiju_http_request_duration_seconds_count{method="GET",\#(route)}"#) == 4)
                #expect(Self.value(scrape, "yiju_intake_group_size_count") == 1)
                #expect(Self.value(scrape, "yiju_intake_group_commit_seconds_count") == 1)
                for colour in CaseColour.allCases {
                    let open = try await CaseRecord.query(on: app.db).filter(\.$state != .closed).filter(\.$colour == colour).count()
                    #expect(Self.value(scrape, #"yiju_cases_open{colour="\#(colour.rawValue)"}"#) == Double(open))
                }
                #expect(try await CaseRecord.query(on: app.db).filter(\.$state != .closed).count() > 0)
            }
        }

        @Test("A JSON log line carries the time, level, label, message and every metadata field; LOG_FORMAT is checked")
        func jsonLines() throws {
            let line = JSONLogHandler.line(time: Date(timeIntervalSince1970: 1_796_400_000), level: .warning, label: "codes.vapor.application",
                                           message: "database \"busy\"\nretrying", source: "YijuServer",
                                           metadata: ["request-id": "AB-1", "attempt": .stringConvertible(2), "path": .array(["a", "b"])])
            #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["level"] as? String == "warning" && object["label"] as? String == "codes.vapor.application")
            #expect(object["message"] as? String == "database \"busy\"\nretrying")
            #expect(object["request-id"] as? String == "AB-1" && object["attempt"] as? String == "2" && object["path"] as? [String] == ["a", "b"])
            #expect(object["time"] as? String == "2026-12-04T16:00:00.000Z")
            #expect(try AppConfig.fromEnvironment(["LOG_FORMAT": "JSON"]).logFormat == .json)
            #expect(try AppConfig.fromEnvironment([:]).logFormat == .text)
            #expect(throws: DomainError.self) { try AppConfig.fromEnvironment(["LOG_FORMAT": "xml"]) }
        }
    }
}
