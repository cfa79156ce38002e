import Fluent
import Foundation
import YijuCore

/// A compound's governance as last saved: its committee and its representatives, kept whole
/// as JSON because they are always read and replaced together.
final class CompoundGovernanceRecord: Model, @unchecked Sendable {
    static let schema = "compound_governance"

    @ID(key: .id) var id: UUID?
    @Parent(key: .compoundID) var compound: Compound
    @Field(key: .governance) var json: String
    @Field(key: .updatedBy) var updatedBy: String
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var governance: CompoundGovernance {
        get { (try? JSONDecoder().decode(CompoundGovernance.self, from: Data(json.utf8))) ?? .empty }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            json = String(decoding: (try? encoder.encode(newValue)) ?? Data("{}".utf8), as: UTF8.self)
        }
    }
}
