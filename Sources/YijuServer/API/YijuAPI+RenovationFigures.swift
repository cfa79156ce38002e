import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Renovation's figures through the API.
extension YijuAPI {
    func getRenovationFigures(_ input: Operations.getRenovationFigures.Input) async throws -> Operations.getRenovationFigures.Output {
        let service = RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
        let q = input.query
        let figures = try await service.figures(.init(fromYear: q.fromYear, toYear: q.toYear,
                                                      streetOfficeID: try q.streetOfficeId.map { try queryID($0, "streetOfficeId") }))
        let catalogue = try await service.settings().settings.catalogue
        return .ok(.init(body: .json(.init(
            projects: figures.projects, households: figures.households, buildings: figures.buildings, budgetFen: figures.budgetFen,
            byStatus: ProjectStatus.allCases.compactMap { s in figures.byStatus[s].map { .init(status: .init(rawValue: s.rawValue)!, projects: $0) } },
            years: figures.years.map { .init(year: $0.year, projects: $0.projects, households: $0.households, buildings: $0.buildings, budgetFen: $0.budgetFen) },
            funding: FundingSource.allCases.compactMap { s in figures.fundingFen[s].map { .init(source: .init(rawValue: s.rawValue)!, fen: $0) } },
            built: RenovationFigureLines.built(figures, catalogue).map { .init(item: $0.item, name: $0.name, unit: $0.unit, quantity: $0.quantity) },
            surveysClosed: figures.surveysClosed, surveysPassed: figures.surveysPassed, passRate: figures.passRate,
            householdsVisited: figures.householdsVisited, householdsConsulted: figures.householdsConsulted, participation: figures.participation,
            worksCases: .init(received: figures.worksCases.received, replied: figures.worksCases.replied, onTime: figures.worksCases.onTime),
            worksOnTimeRate: figures.worksOnTimeRate))))
    }
}

/// The items built, in the catalogue's order with its names and units (an item since
/// dropped from the catalogue keeps its code).
enum RenovationFigureLines {
    struct Built: Sendable { var item: String, name: String, unit: String, quantity: Double }

    static func built(_ figures: RenovationFigures, _ catalogue: WorkItemCatalogue) -> [Built] {
        let known = catalogue.items.compactMap { item in figures.built[item.code].map { Built(item: item.code, name: item.nameZh, unit: item.unit, quantity: $0) } }
        let others = figures.built.keys.filter { catalogue.item($0) == nil }.sorted().map { Built(item: $0, name: $0, unit: "", quantity: figures.built[$0] ?? 0) }
        return known + others
    }
}
