import Fluent
import Foundation
import SQLKit
import YijuCore

/// What intake reads besides the cases — compounds with their street office and company,
/// departments, current management areas, the case settings, the renovation works under
/// way and their builders — held in memory between
/// groups while it has not changed.
///
/// "Not changed" is a `ChangeCounter` over every table this reads: the writer reads its
/// version with the rest of a group's reads, instead of a dozen queries, and a change is
/// seen by the very next group.
struct IntakeReference: Sendable {
    static let changes = ChangeCounter(
        table: "reference_version",
        watchedTables: CreateReferenceVersion.tables + RouteCasesDuringWorks.tables,
        operations: ChangeCounter.Operation.allCases)

    let version: Int
    let settings: CaseSettings
    let compoundsByID: [UUID: Compound]
    let compoundsByCode: [String: Compound]
    /// The first department of each kind by name, the one routing sends cases to.
    let departments: [DepartmentKind: Department]
    /// The open management area of each compound in one.
    let areaCodes: [UUID: String]
    /// The renovation works on each compound under works with a builder engaged.
    let works: [UUID: Works]

    struct Works: Sendable {
        var facts: WorksFacts
        var builder: Company
        var builderID: UUID
    }

    /// Compounds of projects under works, and each project's builder (施工单位) and its lead.
    static func works(on db: any Database) async throws -> [UUID: Works] {
        let projects = try await RenovationProject.query(on: db).filter(\.$status == .underWorks).all()
        guard !projects.isEmpty else { return [:] }
        let ids = projects.compactMap(\.id)
        let builders = try await RenovationEngagement.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$role == .construction).with(\.$company).all()
        let byProject = Dictionary(builders.map { ($0.$project.id, $0) }) { a, _ in a }
        let codes = Dictionary(uniqueKeysWithValues: try projects.map { (try $0.requireID(), $0.code) })
        var works: [UUID: Works] = [:]
        for link in try await RenovationProjectCompound.query(on: db).filter(\.$project.$id ~~ ids).all() {
            guard let builder = byProject[link.$project.id], let code = codes[link.$project.id] else { continue }
            works[link.$compound.id] = Works(facts: WorksFacts(projectCode: code, builderName: builder.company.name, leadName: builder.leadName,
                                                               leadPhone: builder.leadPhone), builder: builder.company, builderID: builder.$company.id)
        }
        return works
    }

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
            areaCodes: Dictionary(open.map { ($0.$compound.id, $0.area.code) }, uniquingKeysWith: { a, _ in a }),
            works: try await works(on: db))
    }
}
