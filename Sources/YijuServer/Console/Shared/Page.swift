import Fluent
import Vapor
import YijuCore

/// What every console page needs besides its own content: the user, the language and
/// its words, the CSRF token for forms, and the navigation with the current item marked.
struct Page<Content: Encodable>: Encodable {
    var title: String
    var nav: [NavItem]
    var links: LayoutLinks
    var t: [String: String]
    var lang: String
    var csrf: String
    var user: UserBadge
    var content: Content
}

/// One item of the console's navigation.
struct NavItem: Encodable, Equatable {
    var label: String
    var link: String
    var current: Bool
}

/// The layout's own links: the brand (home), the language switch and the logout form.
struct LayoutLinks: Encodable {
    var home = ConsolePath.home.path
    var logout = ConsolePath.logout.path
    var language: String

    init(_ lang: Language) {
        language = ConsolePath.language(.value(lang.other.rawValue)).path
    }
}

/// The console's sections, in the navigation's order.
enum Section: String, CaseIterable, Sendable {
    case dashboard, cases, compounds, map, renovationProjects, zoning, streetOffices, companies, tenders, inspections, departments, barriers, `import`, audit, tokens

    var path: ConsolePath {
        switch self {
        case .dashboard: .home
        case .cases: .cases
        case .compounds: .compounds
        case .map: .map
        case .renovationProjects: .renovation
        case .zoning: .zoning
        case .streetOffices: .streetOffices
        case .companies: .companies
        case .tenders: .tenders
        case .inspections: .inspections
        case .departments: .departments
        case .barriers: .barriers
        case .import: .importFile
        case .audit: .audit
        case .tokens: .tokens
        }
    }

    /// The navigation for `actor`, `current` marked: import for those who may import, the
    /// audit log for those who may read it.
    static func navigation(for actor: Actor, current: Section, words t: [String: String]) -> [NavItem] {
        allCases.filter { section in
            switch section {
            case .import: Policy.mayImport(actor)
            case .audit: Policy.allows(actor, .read, .auditLog)
            default: true
            }
        }.map { NavItem(label: t[$0.rawValue] ?? $0.rawValue, link: $0.path.path, current: $0 == current) }
    }
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

    func renderPage<C: Encodable>(_ template: String, title: String, nav: Section, content: C) async throws -> View {
        let user = try consoleUser
        let lang = language
        let page = Page(title: title, nav: Section.navigation(for: user.actor, current: nav, words: lang.strings), links: LayoutLinks(lang),
                        t: lang.strings, lang: lang.rawValue, csrf: csrfToken,
                        user: UserBadge(displayName: user.displayName, roleLabel: lang.label(user.role)), content: content)
        return try await view.render(template, page)
    }
}

extension [UInt8] {
    var base64URLEncodedString: String { Data(self).base64URLEncoded }
}
