import Foundation
import YijuCore

/// The line that heads a project's sub-pages (consultation, acceptance, site diary): its code
/// and name linking back to the project, and its status (`renovation-head.leaf`).
struct ProjectHead: Encodable {
    var code: String
    var name: String
    var status: String
    var link: String

    init(_ project: RenovationProject, _ t: [String: String]) throws {
        code = project.code
        name = project.name
        status = t["projectStatus." + project.status.rawValue]!
        link = ConsolePath.renovationProject(.value(try project.requireID())).path
    }
}
