import Vapor
import YijuCore

/// What every public page needs besides its own content: the words, the title and the
/// public side's own navigation.
struct PublicPage<Content: Encodable>: Encodable {
    var t: [String: String]
    var lang: String
    var title: String
    var links: PublicLinks
    var content: Content

    init(_ lang: Language, title: String, content: Content) {
        t = lang.strings
        self.lang = lang.rawValue
        self.title = title
        links = PublicLinks(lang)
        self.content = content
    }
}

/// The public layout's links: file a case, look one up, the plans under notice, renovation, the language.
struct PublicLinks: Encodable {
    var zoningPlans = PublicPath.zoningPlans.path
    var fileCase = PublicPath.fileCase.path
    var caseLookup = PublicPath.caseLookup.path
    var renovation = PublicPath.renovationProjects.path
    var language: String

    init(_ lang: Language) {
        language = ConsolePath.language(.value(lang.other.rawValue)).path
    }
}

extension Request {
    func renderPublicPage<C: Encodable>(_ template: String, title: String, content: C) async throws -> View {
        try await view.render(template, PublicPage(language, title: title, content: content))
    }
}
