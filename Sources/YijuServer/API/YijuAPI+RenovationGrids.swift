import Foundation
import YijuCore

/// Renovation grids (改造网格) through the API.
extension YijuAPI {
    func listRenovationGrids(_ input: Operations.listRenovationGrids.Input) async throws -> Operations.listRenovationGrids.Output {
        .ok(.init(body: .json(try await renovationService().grids().map(Components.Schemas.RenovationGridSummary.init))))
    }

    func getRenovationGrid(_ input: Operations.getRenovationGrid.Input) async throws -> Operations.getRenovationGrid.Output {
        .ok(.init(body: .json(try .init(try await renovationService().grid(try pathID(input.path.id, "renovation grid"))))))
    }

    func createRenovationGrid(_ input: Operations.createRenovationGrid.Input) async throws -> Operations.createRenovationGrid.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let office = try bodyID(body.value2.streetOfficeId, "streetOfficeId")
        let grid = try await renovationService().createGrid(try draft(body.value1), streetOfficeID: office)
        return .created(.init(body: .json(try .init(grid))))
    }

    func updateRenovationGrid(_ input: Operations.updateRenovationGrid.Input) async throws -> Operations.updateRenovationGrid.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let grid = try await renovationService().updateGrid(try pathID(input.path.id, "renovation grid"), try draft(body))
        return .ok(.init(body: .json(try .init(grid))))
    }

    private func draft(_ b: Components.Schemas.RenovationGridInput) throws -> GridDraft {
        GridDraft(code: b.code, name: b.name,
                  members: b.members.map { GridMember(side: GridSide(rawValue: $0.side.rawValue)!, name: $0.name ?? "", phone: $0.phone, username: $0.username) },
                  compoundIDs: try (b.compoundIds ?? []).enumerated().map { try bodyID($1, "compoundIds[\($0)]") },
                  projectIDs: try (b.projectIds ?? []).enumerated().map { try bodyID($1, "projectIds[\($0)]") })
    }
}

extension Components.Schemas.RenovationGridSummary {
    /// Needs the grid's street office loaded.
    init(_ g: RenovationGrid) throws {
        self.init(id: try g.requireID().uuidString, code: g.code, name: g.name, streetOfficeId: g.$streetOffice.id.uuidString,
                  streetOfficeName: g.streetOffice.name)
    }
}

extension Components.Schemas.RenovationGrid {
    init(_ file: RenovationService.GridFile) throws {
        self.init(
            grid: try .init(file.grid),
            members: file.members.map { .init(side: .init(rawValue: $0.side.rawValue)!, name: $0.name, phone: $0.phone, username: $0.user?.username) },
            compounds: try file.compounds.map { .init(id: try $0.requireID().uuidString, code: $0.code, name: $0.name) },
            projectIds: file.namedProjectIDs.map(\.uuidString),
            projects: try file.projects.map(Components.Schemas.RenovationProjectSummary.init),
            phonesMasked: file.phonesMasked, updatedBy: file.grid.updatedBy, updatedAt: file.grid.updatedAt)
    }
}
