import Vapor
import YijuCore

/// Form values arrive as text; empty fields mean "not given".
enum FormValues {
    static func raw(_ form: [String: String], keys: [String]) -> [String: RawValue] {
        var values: [String: RawValue] = [:]
        for key in keys {
            guard let value = form[key] else { continue }
            values[key] = value.trimmingCharacters(in: .whitespaces).isEmpty ? .null : .text(value)
        }
        return values
    }

    /// A yuan amount as typed ("12,345.6", "¥300") in fen; nil when it is not one.
    /// How many numbered rows (`code0`, `code1`, …) a form says it sends: its `count`
    /// field, read as 0 when it is not a number and kept within 0…`limit`, since a range up
    /// to a negative count would stop the server.
    static func rowCount(_ text: String?, limit: Int) -> Int {
        min(max(Int(text?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0, 0), limit)
    }

    static func fen(_ text: String) -> Int? {
        let plain = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "¥", with: "").trimmingCharacters(in: .whitespaces)
        guard plain.wholeMatch(of: /[0-9]{1,12}(\.[0-9]{1,2})?/) != nil else { return nil }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let cents = parts.count > 1 ? String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
        return Int(parts[0])! * 100 + Int(cents)!
    }
}

/// The `:id` of the route as a UUID; a malformed one is a record that does not exist.
func idParameter(_ req: Request) throws -> UUID {
    guard let raw = req.parameters.get("id"), let id = UUID(uuidString: raw) else { throw DomainError.notFound("record") }
    return id
}

/// Runs a form's write; on a rule violation re-renders the page with the errors (422),
/// otherwise redirects back (post/redirect/get).
func saving(_ req: Request, back: String, render: (Request, [FieldError]) async throws -> View,
            _ write: () async throws -> Void) async throws -> Response {
    do {
        try await write()
        return req.redirect(to: back)
    } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
        let response = try await render(req, error.fields.isEmpty ? [FieldError(field: "form", reason: error.message)] : error.fields)
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}

/// A form page shown again with its errors: 422, so a browser and a test both see the refusal.
func unprocessable(_ view: View, for req: Request) async throws -> Response {
    let response = try await view.encodeResponse(for: req)
    response.status = .unprocessableEntity
    return response
}

/// A file to save rather than a page: the browser names it `name`.
func download(_ text: String, type: HTTPMediaType, name: String) -> Response {
    let response = Response(status: .ok, body: .init(string: text))
    response.headers.contentType = type
    response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
    return response
}

/// A workbook (.xlsx) to save, named `name`.
func downloadWorkbook(_ data: Data, name: String) -> Response {
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
    return response
}

/// A file to save, named `name`, written to the client as `chunks` yields it: the next
/// chunk is asked for once the last was sent, and a client that goes away ends the walk.
func downloadStream<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks, type: String, name: String) -> Response where Chunks.Element == ArraySlice<UInt8> {
    let response = Response(status: .ok, body: .init(asyncStream: { writer in
        do {
            for try await chunk in chunks { try await writer.write(.buffer(ByteBuffer(bytes: chunk))) }
            try await writer.write(.end)
        } catch {
            try? await writer.write(.error(error))
        }
    }))
    response.headers.replaceOrAdd(name: .contentType, value: type)
    response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
    return response
}

/// A stored photo, cached by the browser for a day (photos never change once taken).
func photoResponse(_ data: Data, type: String) -> Response {
    let response = Response(status: .ok, body: .init(data: data))
    response.headers.replaceOrAdd(name: .contentType, value: type)
    response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400")
    return response
}
