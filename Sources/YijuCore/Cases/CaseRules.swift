import Foundation

/// The numbers of the default rule set (三色台账, 签收, 退单, 延期, 督办, 重复件). They are data
/// the bureau admin edits, stored by the server; these defaults are the published ones.
public struct CaseRules: Sendable, Codable, Equatable {
    /// Yellow: one handler, due in this many working days.
    public var yellowWorkingDays = 2
    /// Red: several departments, due in this many working days.
    public var redWorkingDays = 7
    /// A dispatched case not accepted (签收) within this many working days is flagged unanswered.
    public var acceptWorkingDays = 1
    /// A handler may return (退单) a case that is not theirs within this many working days of dispatch.
    public var returnWorkingDays = 1
    /// Extensions a case may have, and the most working days one may add.
    public var maxExtensions = 1
    public var maxExtensionWorkingDays = 10
    /// A supervision order (督办单) gives the handler this many working days.
    public var orderWorkingDays = 2
    /// Cases on the same compound and domain within this many days are repeats of each other…
    public var repeatWindowDays = 30
    /// …and the one that makes this many within the window goes red and to the bureau.
    public var repeatEscalation = 3
    /// The whistle's default check-in time for summoned departments, in hours.
    public var whistleCheckInHours = 24

    public init() {}

    public static let `default` = CaseRules()

    /// Every number must make sense; each problem names its field.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ value: Int, _ field: String, _ range: ClosedRange<Int>) {
            if !range.contains(value) { errors.append(FieldError(field: field, reason: "must be between \(range.lowerBound) and \(range.upperBound)")) }
        }
        check(yellowWorkingDays, "yellowWorkingDays", 1...30)
        check(redWorkingDays, "redWorkingDays", 1...60)
        check(acceptWorkingDays, "acceptWorkingDays", 0...10)
        check(returnWorkingDays, "returnWorkingDays", 0...10)
        check(maxExtensions, "maxExtensions", 0...5)
        check(maxExtensionWorkingDays, "maxExtensionWorkingDays", 1...60)
        check(orderWorkingDays, "orderWorkingDays", 1...30)
        check(repeatWindowDays, "repeatWindowDays", 1...365)
        check(repeatEscalation, "repeatEscalation", 2...20)
        check(whistleCheckInHours, "whistleCheckInHours", 1...168)
        if errors.isEmpty, redWorkingDays < yellowWorkingDays {
            errors.append(FieldError(field: "redWorkingDays", reason: "must not be shorter than yellowWorkingDays (\(yellowWorkingDays))"))
        }
        return errors
    }

    public func workingDays(for colour: CaseColour) -> Int {
        switch colour {
        case .green: 0
        case .yellow: yellowWorkingDays
        case .red: redWorkingDays
        }
    }
}
