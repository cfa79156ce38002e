import Fluent
import Foundation
import YijuCore

final class RoutingRule: Model, @unchecked Sendable {
    static let schema = "routing_rules"

    @ID(key: .id) var id: UUID?
    @Field(key: .domain) var domain: CaseDomain
    /// `RouteTarget.key`: "manager" or "department:<kind>".
    @Field(key: .target) var target: String
    /// While the compound's renovation works are on, the project's builder takes it instead.
    @Field(key: .duringWorks) var duringWorks: Bool

    init() {}
}
