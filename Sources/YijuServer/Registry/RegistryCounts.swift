import Fluent
import Foundation
import SQLKit

/// Aggregates shown beside registry lists, computed in the database in one query each.
struct RegistryCounts {
    let db: any Database

    struct CompanyTotals {
        var compounds: Int
        var floorArea: Double
    }

    private struct Row: Decodable {
        let key: UUID?
        let n: Int
        let area: Double?
    }

    private func grouped(by column: String) async throws -> [Row] {
        guard let sql = db as? any SQLDatabase else { return [] }
        return try await sql.select()
            .column(SQLColumn(column), as: "key")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("SUM", args: SQLColumn("floor_area")), as: "area")
            .from(Compound.schema)
            .groupBy(column)
            .all(decoding: Row.self)
    }

    func compoundsPerStreetOffice() async throws -> [UUID: Int] {
        Dictionary(try await grouped(by: "street_office_id").compactMap { row in row.key.map { ($0, row.n) } }, uniquingKeysWith: +)
    }

    func compoundsPerCommunity() async throws -> [UUID: Int] {
        Dictionary(try await grouped(by: "community_id").compactMap { row in row.key.map { ($0, row.n) } }, uniquingKeysWith: +)
    }

    func compoundsPerCompany() async throws -> [UUID: CompanyTotals] {
        Dictionary(try await grouped(by: "company_id").compactMap { row in
            row.key.map { ($0, CompanyTotals(compounds: row.n, floorArea: row.area ?? 0)) }
        }, uniquingKeysWith: { a, _ in a })
    }
}
