import Fluent
import Vapor
import YijuCore

/// Login, logout and the language switch.
struct ConsoleAuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.login.routeComponents, use: loginPage)
        routes.grouped(CSRFMiddleware()).post(ConsolePath.login.routeComponents, use: login)
        routes.grouped(CSRFMiddleware()).post(ConsolePath.logout.routeComponents, use: logout)
        routes.get(ConsolePath.language(.key).routeComponents, use: switchLanguage)
        routes.get { req in req.redirect(to: req.auth.has(User.self) ? ConsolePath.home.path : ConsolePath.login.path) }
    }

    func loginPage(req: Request) async throws -> View {
        try await renderLogin(req, username: "", error: nil)
    }

    func renderLogin(_ req: Request, username: String, error: String?) async throws -> View {
        // The demo users are listed only while they still have the demo password's hash, i.e. on a demo database.
        let demo = try await DemoLoader.isDemoDatabase(req.db) ? DemoDistrict.generate().users.map { ($0.username, $0.role) } : []
        return try await req.view.render("login", LoginPage(req.language, csrf: req.csrfToken, next: LoginPage.safeNext(req.query[String.self, at: "next"]),
                                                            username: username, error: error, demoUsers: demo))
    }

    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await Credentials(app: req.application).authenticate(username: form.username ?? "", password: form.password ?? "",
                                                                                    address: req.remoteAddress?.ipAddress)
            // A fresh session id on login defeats session fixation: drop the old record, and
            // let the sessions middleware issue a new id for the same request.
            if let old = req.session.id {
                try await req.application.sessions.driver.deleteSession(old, for: req).get()
                req.session.id = nil
            }
            req.session.data = SessionData()
            req.auth.login(user)
            try await AuditLog.record(on: req.db, actor: user.actor, action: .login, entityType: "user", entityID: user.id,
                                      at: req.application.clock.now())
            return req.redirect(to: LoginPage.safeNext(form.next))
        } catch let error as DomainError {
            let view = try await renderLogin(req, username: form.username ?? "", error: error.message)
            let response = try await view.encodeResponse(for: req)
            response.status = YijuErrorMiddleware.status(error.kind)
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: ConsolePath.login.path)
    }

    func switchLanguage(req: Request) async throws -> Response {
        let code = req.parameters.get("code") ?? "zh"
        let lang = Language(rawValue: code) ?? .zh
        let back = req.headers.first(name: .referer).flatMap { URL(string: $0)?.path }.map(LoginPage.safeNext) ?? ConsolePath.home.path
        let response = req.redirect(to: back)
        response.cookies["lang"] = HTTPCookies.Value(string: lang.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/",
                                                     isSecure: req.application.yijuConfig.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
