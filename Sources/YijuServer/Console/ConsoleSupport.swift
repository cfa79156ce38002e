import Fluent
import Vapor
import YijuCore

/// What every console page needs besides its own content: the user, the language and
/// its words, the CSRF token for forms, and which navigation item is current.
struct Page<Content: Encodable>: Encodable {
    var title: String
    var nav: String
    var t: [String: String]
    var lang: String
    var csrf: String
    var user: UserBadge
    var canImport: Bool
    var isAdmin: Bool
    var content: Content
}

struct UserBadge: Encodable {
    var displayName: String
    var roleLabel: String
}

extension Request {
    var language: Language {
        cookies["lang"].flatMap { Language(rawValue: $0.string) } ?? .zh
    }

    /// The logged-in console user; console routes sit behind `ConsoleAuthMiddleware`.
    var consoleUser: User {
        get throws {
            guard let user = auth.get(User.self) else {
                throw DomainError(.unauthenticated, code: "unauthenticated", message: "please log in")
            }
            return user
        }
    }

    var registry: RegistryService {
        get throws { RegistryService(app: application, actor: try consoleUser.actor) }
    }

    /// One CSRF token per session, compared on every console POST.
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = [UInt8].random(count: 24).base64URLEncodedString
        session.data["csrf"] = token
        return token
    }

    func renderPage<C: Encodable>(_ template: String, title: String, nav: String, content: C) async throws -> View {
        let user = try consoleUser
        let lang = language
        let page = Page(title: title, nav: nav, t: lang.strings, lang: lang.rawValue, csrf: csrfToken,
                        user: UserBadge(displayName: user.displayName, roleLabel: lang.label(user.role)),
                        canImport: Policy.mayImport(user.actor), isAdmin: Policy.allows(user.actor, .read, .auditLog), content: content)
        return try await view.render(template, page)
    }
}

extension [UInt8] {
    var base64URLEncodedString: String { Data(self).base64URLEncoded }
}

/// The console's error page.
enum ErrorPage {
    struct Content: Encodable {
        var status: Int
        var code: String
        var message: String
        var fields: [FieldError]
    }

    static func render(_ error: DomainError, status: HTTPResponseStatus, for request: Request) async throws -> Response {
        if error.kind == .unauthenticated, request.url.path.hasPrefix("/console") {
            return request.redirect(to: "/login")
        }
        let lang = request.language
        struct Context: Encodable {
            var t: [String: String]
            var lang: String
            var error: Content
            var hint: String?
        }
        let context = Context(t: lang.strings, lang: lang.rawValue,
                              error: Content(status: Int(status.code), code: error.code, message: error.message, fields: error.fields),
                              hint: error.kind == .forbidden ? lang.strings["forbiddenHint"] : nil)
        let response = try await request.view.render("error", context).encodeResponse(for: request)
        response.status = status
        return response
    }
}

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
}
