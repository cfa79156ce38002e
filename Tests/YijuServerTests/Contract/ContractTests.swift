import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import YijuServer

extension ServerTests {
    @Suite("Contract: every request is held to openapi.yaml before its handler runs")
    struct ContractTests {
        @Test("A parameter the document does not allow is 400 bad_parameter naming it")
        func parameters() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                try await app.testing().test(.GET, "/api/v1/compounds?limit=many", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.code == "bad_parameter")
                    #expect(res.apiError?.details.map(\.field) == ["limit"])
                    #expect(res.apiError?.details.first?.reason == "must be a whole number")
                }
                // Past the declared maxLength of q: refused, not searched for.
                try await app.testing().test(.GET, "/api/v1/compounds?q=\(String(repeating: "x", count: 201))", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.details.first?.field == "q")
                    #expect(res.apiError?.details.first?.reason.hasPrefix("must be at most") == true)
                }
                try await app.testing().test(.GET, "/api/v1/compounds/not-a-uuid", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.details.first?.field == "id")
                    #expect(res.apiError?.details.first?.reason == "must be a UUID")
                }
            }
        }

        @Test("A body of the wrong shape is 400 invalid_body, one with values out of range 422 validation_failed, fields in the document's order; nothing is written")
        func bodies() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                let compound = try await app.compound(code: "QZ-001")
                let audit = try await app.auditCount()
                func patch(_ json: String, _ check: (TestingHTTPResponse) throws -> Void) async throws {
                    try await app.testing().test(.PATCH, "/api/v1/compounds/\(try compound.requireID())", headers: .bearer(token),
                                                 beforeRequest: { req in req.body = ByteBuffer(string: json) }, afterResponse: { res in try check(res) })
                }
                try await patch(#"{"households": "many", "buildings": 0}"#) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.code == "invalid_body")
                    #expect(res.apiError?.details.map(\.field) == ["households"])
                    #expect(res.apiError?.details.first?.reason == "must be a whole number, not text")
                }
                try await patch(#"{"yearBuilt": 1800, "buildings": 0, "communityId": "nope", "renovation": "done"}"#) { res in
                    #expect(res.status == .badRequest, "an enum value the document does not list is the wrong shape")
                    #expect(res.apiError?.details.map(\.field) == ["renovation"])
                }
                try await patch(#"{"yearBuilt": 1800, "buildings": 0, "communityId": "nope", "households": 2.5}"#) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.details.map(\.field) == ["households"])
                }
                try await patch(#"{"yearBuilt": 1800, "buildings": 501, "communityId": "nope"}"#) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.apiError?.code == "validation_failed")
                    #expect(res.apiError?.details.map(\.field) == ["communityId", "buildings", "yearBuilt"])
                    #expect(res.apiError?.details.map(\.reason).dropFirst() == ["must be at most 500", "must be at least 1900"])
                    #expect(res.apiError?.details.first?.reason.hasPrefix("must match") == true)
                }
                try await patch("{") { res in
                    #expect(res.status == .badRequest)
                    #expect(res.apiError?.details.first?.reason == "is not valid JSON")
                }
                #expect(try await app.auditCount() == audit)
                let unchanged = try await app.compound(code: "QZ-001")
                #expect(unchanged.buildings == compound.buildings && unchanged.yearBuilt == compound.yearBuilt)
            }
        }

        @Test("A documented path that a template's route also matches answers 405 with its own methods")
        func literalPaths() async throws {
            try await withApp { app in
                let token = try await app.token("admin")
                try await app.testing().test(.PATCH, "/api/v1/compounds/import", headers: .bearer(token)) { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow) == "POST")
                    #expect(res.apiError?.code == "method_not_allowed")
                }
                try await app.testing().test(.OPTIONS, "/api/v1/compounds/export", headers: .bearer(token)) { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: .allow) == "GET, HEAD")
                }
            }
        }

        @Test("A document with a constraint the check does not know is refused, not half enforced")
        func unsupportedKeywords() throws {
            func document(_ schema: String) -> String {
                """
                openapi: 3.1.0
                info: { title: t, version: '1' }
                paths:
                  /things:
                    post:
                      operationId: makeThing
                      requestBody:
                        content:
                          application/json:
                            schema: \(schema)
                      responses:
                        '201': { description: made }
                """
            }
            #expect(throws: APIContract.Unsupported.self) { try APIContract(yaml: document("{ type: number, multipleOf: 5 }")) }
            #expect(throws: APIContract.Unsupported.self) { try APIContract(yaml: document("{ type: string, format: email }")) }
            #expect(throws: APIContract.Unsupported.self) { try APIContract(yaml: document("{ $ref: '#/components/schemas/Missing' }")) }
            let contract = try APIContract(yaml: document("{ type: object, required: [name], properties: { name: { type: string, minLength: 2, description: 'x, y' } } }"))
            #expect(contract.operations["makeThing"]?.jsonBody?.required == ["name"])
            #expect(contract.methodsByPath["/things"] == ["POST"])
        }

        @Test("A date-time with any RFC 3339 offset is read, also those Foundation stops short of")
        func offsets() throws {
            let transcoder = ISO8601FormatStyleTranscoder()
            let utc = try transcoder.decode("2026-03-01T09:00:00Z")
            #expect(try transcoder.decode("2026-03-01T17:00:00+08:00") == utc)
            #expect(try transcoder.decode("2026-03-01T08:37:00-00:23") == utc)
            #expect(try transcoder.decode("2026-02-28T10:37:00-22:23") == utc)
            #expect(try transcoder.decode("2026-03-02T08:59:00+23:59") == utc)
            #expect(throws: (any Error).self) { try transcoder.decode("2026-03-01T09:00:00+24:00") }
            #expect(throws: (any Error).self) { try transcoder.decode("2026-03-01 09:00") }
        }

        @Test("The bundled document compiles, every operation of it")
        func bundled() throws {
            let contract = try APIContract.bundled()
            #expect(contract.operations.count >= 139)
            #expect(contract.operations["updateCompound"]?.path == "/compounds/{id}")
        }
    }
}
