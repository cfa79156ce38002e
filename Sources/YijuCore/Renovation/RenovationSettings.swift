import Foundation

/// Everything about renovation the bureau edits, kept together in versions: the work item
/// catalogue, the complete-community standard that reads compounds' gaps in its items, and
/// the rule set. A new version is checked whole, the standard against its own catalogue.
public struct RenovationSettings: Sendable, Codable, Equatable {
    public var catalogue: WorkItemCatalogue
    public var standard: CommunityStandard
    public var rules: RenovationRules

    public init(catalogue: WorkItemCatalogue, standard: CommunityStandard, rules: RenovationRules) {
        self.catalogue = catalogue
        self.standard = standard
        self.rules = rules
    }

    public static let `default` = RenovationSettings(catalogue: .default, standard: .default, rules: .default)

    /// Every problem, each field prefixed with the part it is in (`catalogue.items[3].unit`).
    public func problems() -> [FieldError] {
        func prefixed(_ part: String, _ errors: [FieldError]) -> [FieldError] {
            errors.map { FieldError(field: part + "." + $0.field, reason: $0.reason) }
        }
        return prefixed("catalogue", catalogue.problems()) + prefixed("standard", standard.problems(catalogue: catalogue))
            + prefixed("rules", rules.problems())
    }
}
