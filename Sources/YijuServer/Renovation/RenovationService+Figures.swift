import Fluent
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
        let built = try await RenovationScopeItem.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$built == true).all()
        let visits = try await ConsultationRecord.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$kind == .visit).all()
        let rounds = try await AcceptanceRound.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$closedOn != nil).sort(\.$number).all()
        let superseded = Set(visits.compactMap(\.supersedes))
        let rows = try projects.map { p in
            let id = try p.requireID()
            let households = Set(visits.filter { $0.$project.id == id && !superseded.contains($0.id ?? UUID()) }.map(\.household))
            return ProjectFigureRow(
                status: p.status, year: p.year, households: p.households, buildings: p.buildings, budgetFen: p.budgetFen, funding: p.funding,
                built: built.filter { $0.$project.id == id }.map { ($0.item, $0.quantity) }, householdsVisited: households.count,
                surveyResults: rounds.filter { $0.$project.id == id }.map(\.passed))
        }
        return RenovationFigures(rows)
    }
}
