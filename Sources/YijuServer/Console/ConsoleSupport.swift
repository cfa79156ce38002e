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
                        canImport: Policy.mayImport(user.actor), isAdmin: user.role == .bureauAdmin, content: content)
        return try await view.render(template, page)
    }
}

extension [UInt8] {
    var base64URLEncodedString: String { Data(self).base64URLEncoded }
}

/// Sends anyone without a session to the login page, keeping where they wanted to go.
struct ConsoleAuthMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/console"))
        }
        return try await next.respond(to: request)
    }
}

/// Refuses a state-changing console request whose form does not carry the session's
/// CSRF token (SameSite=Lax cookies already stop most cross-site posts; this stops the rest).
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST else { return try await next.respond(to: request) }
        // Middleware runs before the route collects the body, so a form larger than the
        // first network read would otherwise look as if it carried no token at all.
        if request.headers.first(name: "X-CSRF-Token") == nil, request.body.data == nil {
            _ = try await request.body.collect(max: request.application.yijuConfig.maxBodyBytes).get()
        }
        let sent: String? = request.headers.first(name: "X-CSRF-Token")
            ?? (try? request.content.get(String.self, at: "_csrf"))
            ?? request.query[String.self, at: "_csrf"]
        guard let expected = request.session.data["csrf"], let sent, sent == expected else {
            throw DomainError(.forbidden, code: "csrf_failed", message: "the form expired or did not come from this site; reload the page and try again")
        }
        return try await next.respond(to: request)
    }
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
