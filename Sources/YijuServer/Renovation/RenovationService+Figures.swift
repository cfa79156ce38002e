import Fluent
import SQLKit
import Foundation
import YijuCore

/// Renovation's figures for the projects the actor may see, narrowed by year batch and street
/// office: RenovationFigures does the arithmetic, this gathers each project's row.
extension RenovationService {
    struct FigureFilter: Sendable {
        var fromYear: Int? = nil
        var toYear: Int? = nil
        var streetOfficeID: UUID? = nil
    }

    func figures(_ filter: FigureFilter) async throws -> RenovationFigures {
        if let from = filter.fromYear, let to = filter.toYear, from > to {
            throw DomainError.validation([FieldError(field: "toYear", reason: "is before fromYear \(from)")])
        }
        let projects = try await list(.init(streetOfficeID: filter.streetOfficeID)).filter { p in
            (filter.fromYear.map { p.year >= $0 } ?? true) && (filter.toYear.map { p.year <= $0 } ?? true)
        }
        let ids = try projects.map { try $0.requireID() }
        guard !ids.isEmpty else { return RenovationFigures([]) }
        // The scope lines and visits as plain rows, not models: a district's projects have
        // hundreds of lines, and building them as models was most of the console's page.
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        struct Built: Decodable { var project_id: UUID, item: String, quantity: Double }
        let built = Dictionary(grouping: try await sql.select().columns("project_id", "item", "quantity").from(RenovationScopeItem.schema)
            .where("project_id", .in, ids).where("built", .equal, true).all(decoding: Built.self), by: \.project_id)
        struct Visit: Decodable { var id: UUID, project_id: UUID, compound_id: UUID?, building: Int?, unit: String?, room: String?, supersedes: UUID? }
        let visits = try await sql.select().columns("id", "project_id", "compound_id", "building", "unit", "room", "supersedes")
            .from(ConsultationRecord.schema).where("project_id", .in, ids).where("kind", .equal, ConsultationEntryKind.visit.rawValue)
            .all(decoding: Visit.self)
        let rounds = try await AcceptanceRound.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$closedOn != nil).sort(\.$number).all()
        let superseded = Set(visits.compactMap(\.supersedes))
        let visited = Dictionary(grouping: visits.filter { !superseded.contains($0.id) }, by: \.project_id).mapValues { visits in
            Set(visits.map { ConsultationRecord.household(compound: $0.compound_id, building: $0.building, unit: $0.unit, room: $0.room) }).count
        }
        let worksCases = try await worksCases(projects)
        let rows = try projects.map { p in
            let id = try p.requireID()
            return ProjectFigureRow(
                status: p.status, year: p.year, households: p.households, buildings: p.buildings, budgetFen: p.budgetFen, funding: p.funding,
                built: (built[id] ?? []).map { ($0.item, $0.quantity) }, householdsVisited: visited[id] ?? 0,
                surveyResults: rounds.filter { $0.$project.id == id }.map(\.passed), worksCases: worksCases[id] ?? .init())
        }
        return RenovationFigures(rows)
    }

    /// Per project that started its works: the cases about its compounds received from its
    /// first day of works to its last (today while they go on), replied, and replied on time.
    private func worksCases(_ projects: [RenovationProject]) async throws -> [UUID: ProjectFigureRow.WorksCases] {
        let calendar = Calendar.shanghai
        var windows: [UUID: (from: Date, to: Date)] = [:]
        for p in projects {
            guard let start = p.actualStart.flatMap(calendar.start(of:)) else { continue }
            // Up to the end of the completion day; while the works go on, every case so far.
            let end = p.actualFinish.flatMap { calendar.start(of: calendar.day($0, plus: 1)) } ?? .distantFuture
            windows[try p.requireID()] = (start, end)
        }
        guard let earliest = windows.values.map(\.from).min() else { return [:] }
        let links = try await RenovationProjectCompound.query(on: db).filter(\.$project.$id ~~ Array(windows.keys)).all()
        // Plain rows, not models: a district's renovated compounds have thousands of cases.
        struct Case: Decodable { var compound_id: UUID, received_at: Date, replied_at: Date?, overdue_at: Date? }
        guard let sql = db as? any SQLDatabase else { throw DomainError.internalError }
        let cases = try await sql.select().columns("compound_id", "received_at", "replied_at", "overdue_at").from(CaseRecord.schema)
            .where("compound_id", .in, Array(Set(links.map(\.$compound.id)))).where("received_at", .greaterThanOrEqual, earliest)
            .all(decoding: Case.self)
        let byCompound = Dictionary(grouping: cases, by: \.compound_id)
        var out: [UUID: ProjectFigureRow.WorksCases] = [:]
        for link in links {
            guard let window = windows[link.$project.id] else { continue }
            for c in byCompound[link.$compound.id] ?? [] where window.from <= c.received_at && c.received_at < window.to {
                out[link.$project.id, default: .init()].received += 1
                if c.replied_at != nil {
                    out[link.$project.id, default: .init()].replied += 1
                    if c.overdue_at == nil { out[link.$project.id, default: .init()].onTime += 1 }
                }
            }
        }
        return out
    }
}

extension RenovationService {
    /// Each compound's project for the map, among the projects the actor may see: its latest
    /// year batch's, a cancelled one only when nothing else covers it.
    func projectsByCompound() async throws -> [UUID: RenovationProject] {
        let projects = try await list(.init())
        let byID = Dictionary(uniqueKeysWithValues: try projects.map { (try $0.requireID(), $0) })
        guard !byID.isEmpty else { return [:] }
        let links = try await RenovationProjectCompound.query(on: db).filter(\.$project.$id ~~ Array(byID.keys)).all()
        var out: [UUID: RenovationProject] = [:]
        for link in links {
            guard let project = byID[link.$project.id] else { continue }
            func rank(_ p: RenovationProject) -> (Int, Int, String) { (p.status == .cancelled ? 0 : 1, p.year, p.code) }
            if let current = out[link.$compound.id], rank(current) >= rank(project) { continue }
            out[link.$compound.id] = project
        }
        return out
    }
}
