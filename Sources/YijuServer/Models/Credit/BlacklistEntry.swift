import Fluent
import Foundation
import YijuCore

/// 黑名单: a company barred from bidding from `since`, until the bureau lifts it.
final class BlacklistEntry: Model, @unchecked Sendable {
    static let schema = "blacklist_entries"

    @ID(key: .id) var id: UUID?
    @Parent(key: .companyID) var company: Company
    @Field(key: .since) var since: String
    @OptionalField(key: .until) var until: String?
    @Field(key: .reason) var reason: String
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?

    init() {}
}
