import Vapor
import YijuCore

/// The console's error page.
enum ErrorPage {
    struct Content: Encodable {
        var status: Int
        var code: String
        var message: String
        var fields: [FieldError]
    }

    static func render(_ error: DomainError, status: HTTPResponseStatus, for request: Request) async throws -> Response {
        if error.kind == .unauthenticated, request.url.path.hasPrefix(ConsolePath.home.path) {
            return request.redirect(to: ConsolePath.login.path)
        }
        let lang = request.language
        struct Context: Encodable {
            var t: [String: String]
            var lang: String
            var error: Content
            var hint: String?
            var home = ConsolePath.home.path
        }
        let context = Context(t: lang.strings, lang: lang.rawValue,
                              error: Content(status: Int(status.code), code: error.code, message: error.message, fields: error.fields),
                              hint: error.kind == .forbidden ? lang.strings["forbiddenHint"] : nil)
        let response = try await request.view.render("error", context).encodeResponse(for: request)
        response.status = status
        return response
    }
}
