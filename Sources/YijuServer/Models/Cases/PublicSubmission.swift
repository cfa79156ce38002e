import Crypto
import Fluent
import Foundation
import Vapor
import YijuCore

/// A write from the public side, kept only to limit how many one address makes an hour.
final class PublicSubmission: Model, @unchecked Sendable {
    static let schema = "public_submissions"

    @ID(key: .id) var id: UUID?
    @Field(key: .sourceHash) var sourceHash: String
    @Field(key: .at) var at: Date

    init() {}
}
