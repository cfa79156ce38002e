import Foundation
import OpenAPIRuntime
import YijuCore

/// Zoning plans through the API.
extension YijuAPI {
    func zoningService() throws -> ZoningPlanService {
        ZoningPlanService(app: app, actor: try RequestActor.require())
    }

    func listZoningPlans(_ input: Operations.listZoningPlans.Input) async throws -> Operations.listZoningPlans.Output {
        let service = try zoningService()
        let records = try await service.plans(streetOfficeID: try pathID(input.path.id, "street office"))
        return .ok(.init(body: .json(try records.map { record in
            let (problem, plan) = try ZoningPlanService.decode(record)
            return .init(record, PlanEvaluation.report(problem, ZoningGraph(problem: problem), plan))
        })))
    }

    func createZoningPlan(_ input: Operations.createZoningPlan.Input) async throws -> Operations.createZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let request = ZoningPlanService.Request(
            minFloorArea: body.minFloorArea, maxFloorArea: body.maxFloorArea, zonesPerLot: body.zonesPerLot,
            objective: body.objective.flatMap { ZoningObjective(rawValue: $0.rawValue) } ?? .viable, compoundCodes: body.compoundIds)
        let (record, report) = try await zoningService().generate(streetOfficeID: try pathID(input.path.id, "street office"), request)
        return .created(.init(body: .json(.init(record, report))))
    }

    func getZoningPlan(_ input: Operations.getZoningPlan.Input) async throws -> Operations.getZoningPlan.Output {
        let (record, report) = try await zoningService().plan(try pathID(input.path.id, "zoning plan"))
        return .ok(.init(body: .json(.init(record, report))))
    }

    func getZoningPlanGeoJSON(_ input: Operations.getZoningPlanGeoJSON.Input) async throws -> Operations.getZoningPlanGeoJSON.Output {
        let (record, _) = try await zoningService().plan(try pathID(input.path.id, "zoning plan"))
        let document = try JSONDecoder().decode(Components.Schemas.FeatureCollection.self, from: Data(record.document.utf8))
        return .ok(.init(body: .application_geo_plus_json(document)))
    }

    func editZoningPlan(_ input: Operations.editZoningPlan.Input) async throws -> Operations.editZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let id = try pathID(input.path.id, "zoning plan")
        let service = try zoningService()
        let (record, outcome, report) = try await service.edit(id, revision: body.revision, change: try Self.change(body.change))
        let zones = outcome.zones.map {
            Components.Schemas.ZoneFigures(id: $0.id, compoundIds: $0.compoundIDs, floorArea: $0.floorArea, households: $0.households,
                                           subsidyYuan: $0.subsidy.rounded(), violations: $0.violations.map(\.description))
        }
        return .ok(.init(body: .json(.init(plan: .init(record, report), zones: zones,
                                           suggestion: .init(additionalProperties: outcome.suggestion)))))
    }

    static func change(_ c: Components.Schemas.ZoningChange) throws -> ZoningEditor.Change {
        func need(_ value: String?, _ field: String) throws -> String {
            guard let value, !value.isEmpty else { throw DomainError.validation([FieldError(field: "change.\(field)", reason: "is required for \(c.kind.rawValue)")]) }
            return value
        }
        switch c.kind {
        case .move: return .move(compound: try need(c.compoundId, "compoundId"), toZone: c.zoneId)
        case .lock: return .lockZone(try need(c.zoneId, "zoneId"))
        case .unlock: return .unlockZone(try need(c.zoneId, "zoneId"))
        case .split: return .split(try need(c.zoneId, "zoneId"))
        case .merge: return .merge(try need(c.zoneId, "zoneId"), try need(c.otherZoneId, "otherZoneId"))
        }
    }
}

extension Components.Schemas.ZoningPlan {
    init(_ record: ZoningPlanRecord, _ report: PlanReport) {
        self.init(id: record.id!.uuidString, streetOfficeId: record.$streetOffice.id.uuidString, version: record.version,
                  status: .draft, revision: record.revision, zones: report.zones.count, lots: report.lots.count,
                  bandViolations: report.bandViolations,
                  unavoidable: report.unavoidable.map { .init(compoundIds: $0.compoundIDs, reason: $0.reason) },
                  dispersionKm2: report.dispersion, subsidyYuan: report.subsidy.rounded(), valid: report.isValid,
                  createdBy: record.createdBy, createdAt: record.createdAt)
    }
}
