import Fluent
import Foundation
import SQLKit
import YijuCore

/// What intake reads besides the cases — compounds with their street office and company,
/// departments, current management areas, the case settings — held in memory between
/// groups while it has not changed.
///
/// "Not changed" is a number: triggers on every table this reads bump `reference_version`
/// on any insert, update or delete, whoever writes (this process, another `yiju serve` on
/// the same PostgreSQL, an import), so a group costs one tiny read instead of a dozen
/// queries, and a change is seen by the very next group.
struct IntakeReference: Sendable {
    static let versionTable = "reference_version"
    static let watchedTables = [Compound.schema, Company.schema, Department.schema, StreetOffice.schema,
                                CaseSettingsRecord.schema, RoutingRule.schema, CalendarDay.schema,
                                ManagementArea.schema, AreaAssignment.schema]

    let version: Int
    let settings: CaseSettings
    let compoundsByID: [UUID: Compound]
    let compoundsByCode: [String: Compound]
    /// The first department of each kind by name, the one routing sends cases to.
    let departments: [DepartmentKind: Department]
    /// The open management area of each compound in one.
    let areaCodes: [UUID: String]

    static func version(on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        struct Row: Decodable { var version: Int }
        return try await sql.select().column("version").from(versionTable).first(decoding: Row.self)?.version ?? 0
    }

    /// `cached` if nothing it holds has changed since, else read anew.
    static func current(_ cached: IntakeReference?, on db: any Database) async throws -> IntakeReference {
        try await current(cached, version: try await version(on: db), on: db)
    }

    /// `version` must have been read before this is called, never after.
    static func current(_ cached: IntakeReference?, version: Int, on db: any Database) async throws -> IntakeReference {
        if let cached, cached.version == version { return cached }
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
            compoundsByID: Dictionary(compounds.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a }),
            compoundsByCode: Dictionary(compounds.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
            departments: departments,
            areaCodes: Dictionary(open.map { ($0.$compound.id, $0.area.code) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// The version row and the triggers that bump it.
struct CreateReferenceVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        let table = IntakeReference.versionTable
        try await database.schema(table).field("id", .int, .identifier(auto: false)).field("version", .int64, .required).create()
        try await sql.insert(into: table).columns("id", "version").values(SQLBind(1), SQLBind(0)).run()
        let bump = "UPDATE \(table) SET version = version + 1 WHERE id = 1"
        if sql.dialect.name == "postgresql" {
            try await sql.raw(SQLQueryString("""
                CREATE OR REPLACE FUNCTION bump_reference_version() RETURNS trigger AS $$
                BEGIN \(bump); RETURN NULL; END; $$ LANGUAGE plpgsql
                """)).run()
            for watched in IntakeReference.watchedTables {
                try await sql.raw(SQLQueryString("""
                    CREATE TRIGGER \(watched)_reference_version AFTER INSERT OR UPDATE OR DELETE ON \(watched)
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version()
                    """)).run()
            }
        } else {
            for watched in IntakeReference.watchedTables {
                for operation in ["insert", "update", "delete"] {
                    try await sql.raw(SQLQueryString("""
                        CREATE TRIGGER \(watched)_reference_version_\(operation) AFTER \(operation.uppercased()) ON \(watched)
                        BEGIN \(bump); END
                        """)).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw DomainError.internalError }
        for watched in IntakeReference.watchedTables {
            if sql.dialect.name == "postgresql" {
                try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(watched)_reference_version ON \(watched)")).run()
            } else {
                for operation in ["insert", "update", "delete"] {
                    try await sql.raw(SQLQueryString("DROP TRIGGER IF EXISTS \(watched)_reference_version_\(operation)")).run()
                }
            }
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("DROP FUNCTION IF EXISTS bump_reference_version()").run() }
        try await database.schema(IntakeReference.versionTable).delete()
    }
}
