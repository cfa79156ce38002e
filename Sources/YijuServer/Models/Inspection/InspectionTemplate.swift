import Fluent
import Foundation
import YijuCore

/// A checklist template (考评细则). Editing bumps `version`; inspections keep a copy of the
/// items they were scored against, so an edit never rewrites a past inspection.
final class InspectionTemplate: Model, @unchecked Sendable {
    static let schema = "inspection_templates"

    @ID(key: .id) var id: UUID?
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    @Field(key: .category) var category: ChecklistCategory
    /// JSON of `[ChecklistItem]`.
    @Field(key: .items) var itemsJSON: String
    @Field(key: .version) var version: Int
    @Field(key: .active) var active: Bool
    @Field(key: .updatedBy) var updatedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var items: [ChecklistItem] { (try? JSONDecoder().decode([ChecklistItem].self, from: Data(itemsJSON.utf8))) ?? [] }
    var checklist: Checklist { Checklist(code: code, name: name, category: category, items: items) }
}
