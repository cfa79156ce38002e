import Fluent
import Foundation
import SQLKit
import YijuCore

/// What intake reads besides the cases — compounds with their street office and company,
/// departments, current management areas, the case settings — held in memory between
/// groups while it has not changed.
///
/// "Not changed" is a `ChangeCounter` over every table this reads: the writer reads its
/// version with the rest of a group's reads, instead of a dozen queries, and a change is
/// seen by the very next group.
struct IntakeReference: Sendable {
    static let changes = ChangeCounter(
        table: "reference_version",
        watchedTables: [Compound.schema, Company.schema, Department.schema, StreetOffice.schema,
                        CaseSettingsRecord.schema, RoutingRule.schema, CalendarDay.schema,
                        ManagementArea.schema, AreaAssignment.schema],
        operations: ChangeCounter.Operation.allCases)

    let version: Int
    let settings: CaseSettings
    let compoundsByID: [UUID: Compound]
    let compoundsByCode: [String: Compound]
    /// The first department of each kind by name, the one routing sends cases to.
    let departments: [DepartmentKind: Department]
    /// The open management area of each compound in one.
    let areaCodes: [UUID: String]

    /// Read anew: the version first, then what it covers.
    static func load(store: any IntakeStore) async throws -> IntakeReference {
        let version = try await changes.read(on: store.sql)
        let db = store.models
        // Read after the version: a change committed meanwhile bumps it again, so the next
        // group reloads rather than trusting what was read here.
        let settings = try await CaseSettings.load(on: db)
        let compounds = try await Compound.query(on: db).with(\.$streetOffice).with(\.$company).all()
        var departments: [DepartmentKind: Department] = [:]
        for department in try await Department.query(on: db).sort(\.$name).all() where departments[department.kind] == nil {
            departments[department.kind] = department
        }
        let open = try await AreaAssignment.query(on: db).filter(\.$endDate == nil).with(\.$area).all()
        return IntakeReference(
            version: version, settings: settings,
            compoundsByID: Dictionary(try compounds.map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a }),
            compoundsByCode: Dictionary(compounds.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
            departments: departments,
            areaCodes: Dictionary(open.map { ($0.$compound.id, $0.area.code) }, uniquingKeysWith: { a, _ in a }))
    }
}
