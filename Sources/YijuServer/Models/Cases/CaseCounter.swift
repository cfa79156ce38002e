import Fluent
import Foundation
import YijuCore

/// The next case number of a day, claimed with one UPDATE so that concurrent intakes never share one.
final class CaseCounter: Model, @unchecked Sendable {
    static let schema = "case_counters"

    @ID(custom: .day, generatedBy: .user) var id: String?
    @Field(key: .nextValue) var nextValue: Int

    init() {}
}
