import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Zoning plans through the API.
extension YijuAPI {
    func zoningService() throws -> ZoningPlanService {
        ZoningPlanService(app: app, actor: try RequestActor.require())
    }

    private func planID(_ raw: String) throws -> UUID { try pathID(raw, "zoning plan") }

    func listZoningPlans(_ input: Operations.listZoningPlans.Input) async throws -> Operations.listZoningPlans.Output {
        let service = try zoningService()
        let records = try await service.plans(streetOfficeID: try pathID(input.path.id, "street office"))
        return .ok(.init(body: .json(try records.map { try .init(ZoningPlanService.Loaded($0), tables: false) })))
    }

    func createZoningPlan(_ input: Operations.createZoningPlan.Input) async throws -> Operations.createZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let request = ZoningPlanService.Request(
            minFloorArea: body.minFloorArea, maxFloorArea: body.maxFloorArea, zonesPerLot: body.zonesPerLot,
            objective: body.objective.flatMap { ZoningObjective(rawValue: $0.rawValue) } ?? .viable, compoundCodes: body.compoundIds)
        let loaded = try await zoningService().generate(streetOfficeID: try pathID(input.path.id, "street office"), request)
        return .created(.init(body: .json(try .init(loaded))))
    }

    func getZoningPlan(_ input: Operations.getZoningPlan.Input) async throws -> Operations.getZoningPlan.Output {
        .ok(.init(body: .json(try .init(try await zoningService().load(try planID(input.path.id))))))
    }

    func getZoningPlanGeoJSON(_ input: Operations.getZoningPlanGeoJSON.Input) async throws -> Operations.getZoningPlanGeoJSON.Output {
        let loaded = try await zoningService().load(try planID(input.path.id))
        return .ok(.init(body: .application_geo_plus_json(try Self.featureCollection(loaded))))
    }

    static func featureCollection(_ loaded: ZoningPlanService.Loaded) throws -> Components.Schemas.FeatureCollection {
        try JSONDecoder().decode(Components.Schemas.FeatureCollection.self, from: Data(loaded.record.document.utf8))
    }

    func editZoningPlan(_ input: Operations.editZoningPlan.Input) async throws -> Operations.editZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let (loaded, outcome) = try await zoningService().edit(try planID(input.path.id), revision: body.revision, change: try Self.change(body.change))
        let zones = outcome.zones.map(Components.Schemas.ZoneFigures.init)
        return .ok(.init(body: .json(.init(plan: try .init(loaded, tables: false), zones: zones,
                                           suggestion: .init(additionalProperties: outcome.suggestion)))))
    }

    func undoZoningPlan(_ input: Operations.undoZoningPlan.Input) async throws -> Operations.undoZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        return .ok(.init(body: .json(try .init(try await zoningService().undo(try planID(input.path.id), revision: body.revision)))))
    }

    func redoZoningPlan(_ input: Operations.redoZoningPlan.Input) async throws -> Operations.redoZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        return .ok(.init(body: .json(try .init(try await zoningService().redo(try planID(input.path.id), revision: body.revision)))))
    }

    func copyZoningPlan(_ input: Operations.copyZoningPlan.Input) async throws -> Operations.copyZoningPlan.Output {
        .created(.init(body: .json(try .init(try await zoningService().copy(try planID(input.path.id))))))
    }

    func publishZoningPlan(_ input: Operations.publishZoningPlan.Input) async throws -> Operations.publishZoningPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let loaded = try await zoningService().publish(try planID(input.path.id), revision: body.revision, days: body.noticeDays)
        return .ok(.init(body: .json(try .init(loaded))))
    }

    func withdrawZoningPlan(_ input: Operations.withdrawZoningPlan.Input) async throws -> Operations.withdrawZoningPlan.Output {
        .ok(.init(body: .json(try .init(try await zoningService().withdraw(try planID(input.path.id))))))
    }

    func adoptZoningPlan(_ input: Operations.adoptZoningPlan.Input) async throws -> Operations.adoptZoningPlan.Output {
        .ok(.init(body: .json(try .init(try await zoningService().adopt(try planID(input.path.id))))))
    }

    func retireZoningPlan(_ input: Operations.retireZoningPlan.Input) async throws -> Operations.retireZoningPlan.Output {
        .ok(.init(body: .json(try .init(try await zoningService().retire(try planID(input.path.id))))))
    }

    func listZoningComments(_ input: Operations.listZoningComments.Input) async throws -> Operations.listZoningComments.Output {
        let comments = try await zoningService().comments(try planID(input.path.id))
        return .ok(.init(body: .json(try comments.map(Components.Schemas.ZoningComment.init))))
    }

    func addZoningComment(_ input: Operations.addZoningComment.Input) async throws -> Operations.addZoningComment.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let comment = try await zoningService().addComment(try planID(input.path.id), body: body.body)
        return .created(.init(body: .json(try .init(comment))))
    }

    func listZoningObjections(_ input: Operations.listZoningObjections.Input) async throws -> Operations.listZoningObjections.Output {
        let rows = try await zoningService().objections(try planID(input.path.id))
        return .ok(.init(body: .json(try rows.map {
            .init(id: try $0.requireID().uuidString, name: $0.name, phone: $0.phone, compoundId: $0.compoundCode, body: $0.body, createdAt: $0.createdAt)
        })))
    }

    func compareZoningPlans(_ input: Operations.compareZoningPlans.Input) async throws -> Operations.compareZoningPlans.Output {
        let other = try queryID(input.query.other, "other")
        let c = try await zoningService().compare(try planID(input.path.id), with: other)
        return .ok(.init(body: .json(.init(a: try .init(c.a), b: try .init(c.b), sameZones: c.sameZones, changedCompounds: c.changedCompounds,
                                           onlyInA: c.onlyInA, onlyInB: c.onlyInB))))
    }

    func getZoningPlanCSV(_ input: Operations.getZoningPlanCSV.Input) async throws -> Operations.getZoningPlanCSV.Output {
        let loaded = try await zoningService().load(try planID(input.path.id))
        let table = ZoningPlanService.Loaded.Table(rawValue: input.query.table?.rawValue ?? "compounds") ?? .compounds
        return .ok(.init(body: .csv(HTTPBody(loaded.csv(table)))))
    }

    func getZoningPlanNotice(_ input: Operations.getZoningPlanNotice.Input) async throws -> Operations.getZoningPlanNotice.Output {
        let loaded = try await zoningService().load(try planID(input.path.id))
        let html = try await ZoningNotice.render(loaded, language: .zh, publicURL: nil, on: app)
        return .ok(.init(body: .html(HTTPBody(html))))
    }

    func listManagementAreas(_ input: Operations.listManagementAreas.Input) async throws -> Operations.listManagementAreas.Output {
        let streetID = try input.query.streetOfficeId.map { try queryID($0, "streetOfficeId") }
        let areas = try await zoningService().areas(streetOfficeID: streetID, current: input.query.current ?? true)
        return .ok(.init(body: .json(try areas.map { area, codes in
            .init(id: try area.requireID().uuidString, code: area.code, zoneId: area.zoneCode, planId: area.$plan.id.uuidString, planVersion: area.plan.version,
                  streetOfficeId: area.$streetOffice.id.uuidString, lot: area.lot.code, floorArea: area.floorArea, households: area.households,
                  startDate: area.startDate, endDate: area.endDate, compoundIds: codes)
        })))
    }

    func listTenderLots(_ input: Operations.listTenderLots.Input) async throws -> Operations.listTenderLots.Output {
        let streetID = try input.query.streetOfficeId.map { try queryID($0, "streetOfficeId") }
        let lots = try await zoningService().lots(streetOfficeID: streetID)
        return .ok(.init(body: .json(try lots.map { lot, areas in
            .init(id: try lot.requireID().uuidString, code: lot.code, planId: lot.$plan.id.uuidString, streetOfficeId: lot.$streetOffice.id.uuidString,
                  status: .init(rawValue: lot.status.rawValue)!, areas: areas.map(\.code),
                  floorArea: areas.reduce(0) { $0 + $1.floorArea }, households: areas.reduce(0) { $0 + $1.households })
        })))
    }

    // MARK: Public (no token)

    func listPublicZoningPlans(_ input: Operations.listPublicZoningPlans.Input) async throws -> Operations.listPublicZoningPlans.Output {
        let records = try await PublicZoning(app: app).plans()
        return .ok(.init(body: .json(try records.map { try .init(ZoningPlanService.Loaded($0), tables: false) })))
    }

    func getPublicZoningPlan(_ input: Operations.getPublicZoningPlan.Input) async throws -> Operations.getPublicZoningPlan.Output {
        .ok(.init(body: .json(try .init(try await PublicZoning(app: app).plan(try planID(input.path.id))))))
    }

    func getPublicZoningPlanGeoJSON(_ input: Operations.getPublicZoningPlanGeoJSON.Input) async throws -> Operations.getPublicZoningPlanGeoJSON.Output {
        let loaded = try await PublicZoning(app: app).plan(try planID(input.path.id))
        return .ok(.init(body: .application_geo_plus_json(try Self.featureCollection(loaded))))
    }

    func fileZoningObjection(_ input: Operations.fileZoningObjection.Input) async throws -> Operations.fileZoningObjection.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let objection = PublicZoning.Objection(name: body.name, phone: body.phone, compoundCode: body.compoundId, body: body.body)
        let row = try await PublicZoning(app: app).file(objection, on: try planID(input.path.id), source: RequestSource.address ?? "unknown")
        return .created(.init(body: .json(.init(id: try row.requireID().uuidString, message: "received; the street office will answer it before adopting the plan"))))
    }

    static func change(_ c: Components.Schemas.ZoningChange) throws -> ZoningEditor.Change {
        try ZoningPlanService.change(kind: c.kind.rawValue, compoundID: c.compoundId, zoneID: c.zoneId, otherZoneID: c.otherZoneId,
                                     fieldPrefix: "change.")
    }
}

extension Components.Schemas.ZoningPlan {
    init(_ loaded: ZoningPlanService.Loaded, tables: Bool = true) throws {
        let record = loaded.record, report = loaded.report
        self.init(id: try record.requireID().uuidString, streetOfficeId: record.$streetOffice.id.uuidString,
                  streetOfficeName: record.$streetOffice.value?.name ?? loaded.problem.compounds.first?.street ?? "",
                  version: record.version, status: .init(rawValue: record.status.rawValue)!, revision: record.revision,
                  basedOn: record.basedOn, zones: report.zones.count, lots: report.lots.count,
                  bandViolations: report.bandViolations,
                  unavoidable: report.unavoidable.map { .init(compoundIds: $0.compoundIDs, reason: $0.reason) },
                  dispersionKm2: report.dispersion, subsidyYuan: report.subsidy.rounded(), valid: report.isValid,
                  lockedZones: record.lockedZones.sorted(), canUndo: loaded.canUndo, canRedo: !record.redoStack.isEmpty,
                  noticeStart: record.noticeStart, noticeEnd: record.noticeEnd, publishedBy: record.publishedBy,
                  adoptedOn: record.adoptedOn, adoptedBy: record.adoptedBy, closedOn: record.closedOn,
                  createdBy: record.createdBy, createdAt: record.createdAt,
                  zoneTable: tables ? report.zones.map(Components.Schemas.ZoneFigures.init) : nil,
                  lotTable: tables ? report.lots.map {
                      .init(id: $0.id, zoneIds: $0.zoneIDs, floorArea: $0.floorArea.rounded(), households: $0.households,
                            incomeYuan: $0.income.rounded(), costYuan: $0.cost.rounded(), subsidyYuan: $0.subsidy.rounded(), connected: $0.connected)
                  } : nil)
    }
}

extension Components.Schemas.ZoneFigures {
    init(_ z: ZoneReport) {
        self.init(id: z.id, compoundIds: z.compoundIDs, floorArea: z.floorArea.rounded(), households: z.households,
                  subsidyYuan: z.subsidy.rounded(), violations: z.violations.map(\.description), lot: z.lot,
                  incomeYuan: z.income.rounded(), costYuan: z.cost.rounded(), radiusMeters: z.radiusMeters.rounded())
    }
}

extension Components.Schemas.ZoningComment {
    init(_ c: ZoningComment) throws {
        self.init(id: try c.requireID().uuidString, author: c.author, body: c.body, createdAt: c.createdAt ?? Date())
    }
}
