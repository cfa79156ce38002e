import Foundation
import YijuCore

/// The login page: the form, the language switch and, on a demo database only, the demo
/// users with their roles.
struct LoginPage: Encodable {
    struct Links: Encodable {
        var login = ConsolePath.login.path
        var language: String
    }

    struct DemoUser: Encodable, Equatable {
        var username: String
        var role: String
    }

    var t: [String: String]
    var lang: String
    var csrf: String
    var next: String
    var username: String
    var error: String?
    var demoUsers: [DemoUser]
    var links: Links

    init(_ lang: Language, csrf: String, next: String, username: String, error: String?, demoUsers: [(username: String, role: Role)]) {
        t = lang.strings
        self.lang = lang.rawValue
        self.csrf = csrf
        self.next = next
        self.username = username
        self.error = error
        self.demoUsers = demoUsers.map { DemoUser(username: $0.username, role: lang.label($0.role)) }
        links = Links(language: ConsolePath.language(.value(lang.other.rawValue)).path)
    }

    /// Only same-site paths, so a crafted link cannot bounce a user elsewhere after login.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return ConsolePath.home.path }
        return next
    }
}
