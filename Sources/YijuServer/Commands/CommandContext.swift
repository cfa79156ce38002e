import Fluent
import Foundation
import Vapor
import YijuCore

/// What a `yiju` command acts with: the configured application and the user it acts as.
/// Each command's server side is an extension in its own file beside this one, so the
/// executable stays a thin argument parser.
public struct CommandContext {
    let app: Application
    let actor: Actor?

    /// `username` names the user the command acts as (its writes are audited under it);
    /// nil acts as the system with bureau-admin rights.
    public init(app: Application, username: String?) async throws {
        self.app = app
        if let username {
            guard let user = try await User.query(on: app.db).filter(\.$username == username.lowercased()).first() else {
                throw DomainError.notFound("user \(username)")
            }
            actor = user.actor
        } else {
            actor = nil
        }
    }

    var service: RegistryService {
        RegistryService(app: app, actor: actor ?? Actor(userID: UUID(), username: AuditLog.systemActor, role: .bureauAdmin))
    }

    public var currentYear: Int { service.currentYear }
}
