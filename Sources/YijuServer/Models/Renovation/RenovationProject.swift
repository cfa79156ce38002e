import Fluent
import Foundation
import YijuCore

/// 老旧小区改造项目: a funded works project over one or more compounds of a street office.
final class RenovationProject: Model, @unchecked Sendable {
    static let schema = "renovation_projects"

    @ID(key: .id) var id: UUID?
    /// Unique, e.g. QZ-2026-01.
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    /// The year batch it belongs to.
    @Field(key: .year) var year: Int
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Field(key: .status) var status: ProjectStatus
    @Field(key: .budgetFen) var budgetFen: Int
    /// JSON of `[Funding]`; they add up to the budget.
    @Field(key: .funding) var fundingJSON: String
    /// yyyy-MM-dd.
    @OptionalField(key: .plannedStart) var plannedStart: String?
    @OptionalField(key: .plannedFinish) var plannedFinish: String?
    @OptionalField(key: .actualStart) var actualStart: String?
    @OptionalField(key: .actualFinish) var actualFinish: String?
    /// The households and buildings it benefits.
    @Field(key: .households) var households: Int
    @Field(key: .buildings) var buildings: Int
    @OptionalField(key: .cancelReason) var cancelReason: String?
    /// The renovation settings' version its scope was chosen from.
    @Field(key: .settingsVersion) var settingsVersion: Int
    @Field(key: .createdBy) var createdBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}

    var funding: [Funding] {
        get { (try? JSONDecoder().decode([Funding].self, from: Data(fundingJSON.utf8))) ?? [] }
        set {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            fundingJSON = String(decoding: (try? encoder.encode(newValue)) ?? Data("[]".utf8), as: UTF8.self)
        }
    }
}
