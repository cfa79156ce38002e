import Fluent
import Foundation
import YijuCore

/// Routing learns the renovation works: each domain says whether, while a compound's works
/// are on, its cases go to the project's builder (on for construction quality, water,
/// heating and safety, as RoutingTable.default says); and intake's reference data watches
/// the projects, their compounds and their contractors, whose changes move those cases.
struct RouteCasesDuringWorks: AsyncMigration {
    static let tables = [RenovationProject.schema, RenovationProjectCompound.schema, RenovationEngagement.schema]

    func prepare(on database: any Database) async throws {
        try await database.schema(RoutingRule.schema)
            .field(.duringWorks, .bool, .required, .sql(.default(false)))
            .update()
        try await RoutingRule.query(on: database).filter(\.$domain ~~ RoutingTable.default.duringWorks).set(\.$duringWorks, to: true).update()
        try await IntakeReference.changes.watch(Self.tables, on: database)
    }

    func revert(on database: any Database) async throws {
        try await IntakeReference.changes.unwatch(Self.tables, on: database)
        try await database.schema(RoutingRule.schema).deleteField(.duringWorks).update()
    }
}
