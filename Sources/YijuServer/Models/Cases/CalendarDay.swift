import Fluent
import Foundation
import YijuCore

final class CalendarDay: Model, @unchecked Sendable {
    static let schema = "calendar_days"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// An official holiday on a weekday (or any day off).
        case holiday
        /// 调休: a weekend day that is worked.
        case workday
    }

    @ID(key: .id) var id: UUID?
    /// yyyy-MM-dd.
    @Field(key: .day) var day: String
    @Field(key: .year) var year: Int
    @Field(key: .kind) var kind: Kind
    @Field(key: .name) var name: String

    init() {}
}
