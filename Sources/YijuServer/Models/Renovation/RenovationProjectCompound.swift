import Fluent
import Foundation
import YijuCore

/// A compound a project covers, and optionally which of its buildings ("1,2,5").
final class RenovationProjectCompound: Model, @unchecked Sendable {
    static let schema = "renovation_project_compounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    @Parent(key: .compoundID) var compound: Compound
    @OptionalField(key: .buildingList) var buildingList: String?
    /// The compound's renovation state before the project took it: a cancelled project gives it back.
    @Field(key: .priorRenovation) var priorRenovation: RenovationState

    init() {}
}
