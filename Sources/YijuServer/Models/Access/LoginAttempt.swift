import Fluent
import Foundation
import Vapor
import YijuCore

/// One login or token attempt, kept for throttling across processes.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: .username) var username: String
    @Field(key: .succeeded) var succeeded: Bool
    @Field(key: .at) var at: Date
    /// The client's address, when the request had one.
    @OptionalField(key: .address) var address: String?

    init() {}
}
