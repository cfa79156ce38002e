import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Access matrix: every operation × every caller, answered as Policy says")
    struct AccessMatrixTests {
        /// What a cell expects of the answer.
        enum Answer: String {
            case allowed, forbidden = "403", hidden = "404", unauthenticated = "401"
        }

        @Test("Every operation of openapi.yaml, for each role and for a user of another scope, answers as Policy decides; a refused write changes nothing")
        func matrix() async throws {
            // With the history: the cases, inspections and projects the operations are tried on.
            try await withApp(demo: false) { app in
                try await DemoLoader.load(into: app, caseHistory: true, renovationHistory: true)
                let world = try await AccessWorld.load(app)
                let callers = try await world.callers()
                let contract = try APIContract.bundled()
                let probes = try world.probes
                let missing = Set(contract.operations.keys).subtracting(probes.map(\.operation))
                #expect(missing.isEmpty, "operations not in the matrix: \(missing.sorted().joined(separator: ", "))")
                let bodies = AccessExampleBody(ids: try world.bodyIDs)
                // The digest reads the record (a refused write is compared against it).
                #expect(try await world.digest(("compounds", world.compound.requireID())) != "absent")
                var cells = 0, wrong: [String] = []
                // Deletions last: what they remove, the other operations still need.
                for probe in probes.sorted(by: { ($0.method(contract) == "DELETE" ? 1 : 0) < ($1.method(contract) == "DELETE" ? 1 : 0) }) {
                    let operation = try #require(contract.operations[probe.operation], "\(probe.operation) is not in openapi.yaml")
                    let method = HTTPMethod(rawValue: operation.method)
                    // Those refused first, so that an allowed write (a deletion, a state change)
                    // cannot turn a refusal into a 404 for a reason that is not the caller.
                    var ordered: [(AccessWorld.Caller, Answer)] = []
                    for caller in callers {
                        ordered.append((caller, try await Self.expected(probe, caller, world)))
                    }
                    ordered.sort { ($0.1 == .allowed ? 1 : 0) < ($1.1 == .allowed ? 1 : 0) }
                    var removed = false
                    for (caller, expected) in ordered {
                        // Re-derived now: the allowed callers before may have changed the record.
                        let answer = expected == .allowed ? expected : try await Self.expected(probe, caller, world)
                        let auditBefore = try await app.auditCount()
                        let rowBefore = try await world.digest(probe.record)
                        var headers = HTTPHeaders()
                        if let token = caller.token { headers.bearerAuthorization = .init(token: token) }
                        let body = try Self.body(probe, operation, bodies, &headers)
                        var status = HTTPStatus.internalServerError
                        try await app.testing().test(method, "/api/v1" + probe.path, headers: headers,
                                                     beforeRequest: { req in if let body { req.body = body } },
                                                     afterResponse: { res in
                            status = res.status
                            if ProcessInfo.processInfo.environment["MATRIX_TRACE"]?.split(separator: ",").contains(Substring(probe.operation)) == true {
                                print("trace \(probe.operation) as \(caller.name): \(res.status.code) \(res.body.string.prefix(300))")
                            }
                        })
                        cells += 1
                        let fits: Bool = switch answer {
                        case .allowed:
                            status.code < 500 && status != .unauthorized && status != .forbidden
                                && (status != .notFound || probe.absent || removed)
                        case .forbidden: status == .forbidden
                        case .hidden: status == probe.hiddenAs
                        case .unauthenticated: status == .unauthorized
                        }
                        if answer == .allowed, method == .DELETE, (200..<300).contains(status.code) { removed = true }
                        if !fits { wrong.append("\(probe.operation) as \(caller.name): expected \(answer.rawValue), got \(status.code)") }
                        if answer != .allowed, method != .GET {
                            let auditAfter = try await app.auditCount()
                            let rowAfter = try await world.digest(probe.record)
                            if auditAfter != auditBefore || rowAfter != rowBefore {
                                wrong.append("\(probe.operation) as \(caller.name): refused (\(status.code)) but the audit log or the record changed")
                            }
                        }
                    }
                }
                print("access matrix: \(probes.count) operations × \(callers.count) callers = \(cells) cells, \(wrong.count) wrong")
                #expect(wrong.isEmpty, "\(wrong.count) wrong cells:\n\(wrong.joined(separator: "\n"))")
            }
        }

        /// Policy's answer for the caller, as the HTTP status class it must come back as.
        static func expected(_ probe: AccessProbe, _ caller: AccessWorld.Caller, _ world: AccessWorld) async throws -> Answer {
            guard let actor = caller.actor else { return probe.isPublic ? .allowed : .unauthenticated }
            if probe.isPublic { return .allowed }
            return switch try await probe.rule(actor, world) {
            case .allow: .allowed
            case .forbid: .forbidden
            case .hide: .hidden
            }
        }

        static func body(_ probe: AccessProbe, _ operation: APIContract.Operation, _ bodies: AccessExampleBody,
                         _ headers: inout HTTPHeaders) throws -> ByteBuffer? {
            switch probe.body {
            case .json(let text):
                headers.contentType = .json
                return ByteBuffer(string: text)
            case .raw(let data, let type):
                headers.replaceOrAdd(name: .contentType, value: type)
                return ByteBuffer(data: data)
            case .generated, .generatedWith:
                guard let schema = operation.jsonBody else { return nil }
                headers.contentType = .json
                var value = bodies.value(schema, field: "")
                if case .generatedWith(let fields) = probe.body, case .object(var members) = value {
                    for (name, field) in fields { members[name] = field == .null ? nil : field }
                    value = .object(members)
                }
                return ByteBuffer(data: try JSONEncoder().encode(value))
            }
        }
    }
}

extension AccessProbe {
    func method(_ contract: APIContract) -> String? { contract.operations[operation]?.method }
}
