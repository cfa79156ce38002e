import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// 考评 through the API: templates, inspections, finding photos, rectification, look-backs.
/// Item positions travel from 1, as printed on the checklist.
extension YijuAPI {
    private func inspectionService() throws -> InspectionService {
        InspectionService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func listInspectionTemplates(_ input: Operations.listInspectionTemplates.Input) async throws -> Operations.listInspectionTemplates.Output {
        let templates = try await inspectionService().templates(includeInactive: input.query.includeRetired ?? false)
        return .ok(.init(body: .json(try templates.map(Components.Schemas.InspectionTemplate.init))))
    }

    func saveInspectionTemplate(_ input: Operations.saveInspectionTemplate.Input) async throws -> Operations.saveInspectionTemplate.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let checklist = Checklist(code: body.code, name: body.name, category: ChecklistCategory(rawValue: body.category.rawValue)!,
                                  items: body.items.map { ChecklistItem(title: $0.title, weight: $0.weight) })
        let saved = try await inspectionService().saveTemplate(checklist, active: body.active ?? true)
        return .ok(.init(body: .json(try .init(saved))))
    }

    func listInspections(_ input: Operations.listInspections.Input) async throws -> Operations.listInspections.Output {
        let q = input.query
        let filter = InspectionService.Filter(companyID: try q.companyId.map { try pathID($0, "company") },
                                              compoundID: try q.compoundId.map { try pathID($0, "compound") },
                                              projectID: try q.projectId.map { try pathID($0, "renovation project") }, from: q.from, to: q.to)
        let service = try inspectionService()
        let rows = try await service.list(filter)
        let failed = try await service.failedItems(of: rows.compactMap(\.id))
        return .ok(.init(body: .json(try rows.map { try .init($0, failed: failed[try $0.requireID()] ?? 0) })))
    }

    func createInspection(_ input: Operations.createInspection.Input) async throws -> Operations.createInspection.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try inspectionService()
        let new = InspectionService.NewInspection(
            templateID: try pathID(body.templateId, "inspection template"),
            compoundID: try body.compoundId.map { try pathID($0, "compound") }, areaID: try body.areaId.map { try pathID($0, "management area") },
            projectID: try body.projectId.map { try bodyID($0, "projectId") },
            kind: InspectionRecord.Kind(rawValue: body.kind?.rawValue ?? "routine") ?? .routine, day: body.day, note: body.note,
            verdicts: body.items.map { ItemVerdict(passed: $0.passed, finding: $0.finding, rectifyBy: $0.rectifyBy) })
        let record = try await service.inspect(new)
        return .created(.init(body: .json(try await inspectionDetail(try record.requireID(), service))))
    }

    func getInspection(_ input: Operations.getInspection.Input) async throws -> Operations.getInspection.Output {
        .ok(.init(body: .json(try await inspectionDetail(try pathID(input.path.id, "inspection"), try inspectionService()))))
    }

    private func inspectionDetail(_ id: UUID, _ service: InspectionService) async throws -> Components.Schemas.Inspection {
        let record = try await service.load(id)
        let photos = Dictionary(grouping: try await service.photos(of: id)) { $0.$item.id }
        let today = service.today
        return .init(
            inspection: try .init(record, failed: record.items.filter { !$0.passed }.count), note: record.note,
            items: try record.items.map { item in
                .init(position: item.position + 1, title: item.title, weight: item.weight, passed: item.passed, finding: item.finding,
                      photos: try (photos[try item.requireID()] ?? []).map { try $0.requireID().uuidString })
            },
            orders: try await service.orders(of: id).map { try .init($0, inspection: record, today: today) })
    }

    func addInspectionPhoto(_ input: Operations.addInspectionPhoto.Input) async throws -> Operations.addInspectionPhoto.Output {
        let (type, body): (String, HTTPBody) = switch input.body {
        case .jpeg(let b): ("image/jpeg", b)
        case .png(let b): ("image/png", b)
        case .image_webp(let b): ("image/webp", b)
        }
        let data = try await Data(collecting: body, upTo: CasePhotos.maxBytes + 1)
        let photo = try await inspectionService().addPhoto(to: try pathID(input.path.id, "inspection"), position: input.path.position - 1,
                                                           declaredType: type, data: data)
        return .created(.init(body: .json(.init(id: try photo.requireID().uuidString, contentType: photo.contentType, size: photo.size))))
    }

    func getInspectionPhoto(_ input: Operations.getInspectionPhoto.Input) async throws -> Operations.getInspectionPhoto.Output {
        let photo = try await inspectionService().photo(try pathID(input.path.id, "inspection"), try pathID(input.path.photoId, "photo"))
        let body = HTTPBody(photo.data)
        switch photo.contentType {
        case "image/png": return .ok(.init(body: .png(body)))
        case "image/webp": return .ok(.init(body: .image_webp(body)))
        default: return .ok(.init(body: .jpeg(body)))
        }
    }

    func listRectificationOrders(_ input: Operations.listRectificationOrders.Input) async throws -> Operations.listRectificationOrders.Output {
        let service = try inspectionService()
        let orders = try await service.openOrders(company: try input.query.companyId.map { try pathID($0, "company") })
        return .ok(.init(body: .json(try orders.map { try .init($0, inspection: $0.inspection, today: service.today) })))
    }

    func reportRectification(_ input: Operations.reportRectification.Input) async throws -> Operations.reportRectification.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try inspectionService()
        let order = try await service.report(order: try pathID(input.path.id, "rectification order"), text: body.report)
        return .ok(.init(body: .json(try .init(order, inspection: try await order.$inspection.get(on: app.db), today: service.today))))
    }

    func verifyRectification(_ input: Operations.verifyRectification.Input) async throws -> Operations.verifyRectification.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try inspectionService()
        let order = try await service.verify(order: try pathID(input.path.id, "rectification order"), rectified: body.rectified, note: body.note)
        return .ok(.init(body: .json(try .init(order, inspection: try await order.$inspection.get(on: app.db), today: service.today))))
    }

    func listLookBacks(_ input: Operations.listLookBacks.Input) async throws -> Operations.listLookBacks.Output {
        let rows = try await inspectionService().lookBacks(days: input.query.days ?? 90, minimum: input.query.minimum ?? 5)
        return .ok(.init(body: .json(try rows.map {
            .init(compoundId: try $0.compound.requireID().uuidString, compoundName: $0.compound.name, streetOfficeName: $0.compound.streetOffice.name,
                  companyName: $0.compound.company?.name, households: $0.candidate.households, cases: $0.candidate.cases,
                  perHundredHouseholds: ($0.candidate.perHundredHouseholds * 10).rounded() / 10, lastInspection: $0.candidate.lastInspection, due: $0.due)
        })))
    }
}

extension Components.Schemas.InspectionTemplate {
    init(_ t: InspectionTemplate) throws {
        self.init(id: try t.requireID().uuidString, code: t.code, name: t.name, category: .init(rawValue: t.category.rawValue)!, version: t.version,
                  active: t.active, items: t.items.map { .init(title: $0.title, weight: $0.weight) })
    }
}

extension Components.Schemas.InspectionSummary {
    /// Needs the record's compound, area, project and company loaded (or absent).
    init(_ r: InspectionRecord, failed: Int) throws {
        self.init(id: try r.requireID().uuidString, number: r.number, kind: .init(rawValue: r.kind.rawValue)!, day: r.day, templateName: r.templateName,
                  templateVersion: r.templateVersion, compoundId: r.$compound.id?.uuidString, compoundName: r.$compound.value??.name,
                  areaId: r.$area.id?.uuidString, areaCode: r.$area.value??.code, projectId: r.$project.id?.uuidString,
                  projectCode: r.$project.value??.code, streetOfficeId: r.$streetOffice.id.uuidString,
                  companyId: r.$company.id?.uuidString, companyName: r.$company.value??.name, score: r.score.points, failed: failed,
                  inspector: r.inspector)
    }
}

extension Components.Schemas.RectificationOrder {
    /// Needs the order's item loaded.
    init(_ o: RectificationOrder, inspection: InspectionRecord, today: String) throws {
        self.init(id: try o.requireID().uuidString, inspectionId: o.$inspection.id.uuidString, inspectionNumber: inspection.number, position: o.item.position + 1,
                  item: o.item.title, finding: o.item.finding, companyId: o.$company.id?.uuidString, deadline: o.deadline,
                  status: .init(rawValue: o.status.rawValue)!, overdue: o.status == .open && o.deadline < today, report: o.report,
                  reportedBy: o.reportedBy, reportedAt: o.reportedAt, verification: o.verification, verifiedBy: o.verifiedBy, verifiedAt: o.verifiedAt)
    }
}

extension YijuAPI {
    func getCompanyFile(_ input: Operations.getCompanyFile.Input) async throws -> Operations.getCompanyFile.Output {
        let now = app.clock.now()
        let file = try await CompanyFile.load(try pathID(input.path.id, "company"), db: app.db, actor: try RequestActor.require(), now: now)
        let totals = try await RegistryCounts(db: app.db).compoundsPerCompany()
        let today = Calendar.shanghai.day(now)
        return .ok(.init(body: .json(.init(
            company: try .init(file.company, totals: totals[try file.company.requireID()]),
            compounds: try file.compounds.map { .init(id: try $0.requireID().uuidString, code: $0.code, name: $0.name, households: $0.households, floorArea: $0.floorArea) },
            areas: try file.areas.map { .init(id: try $0.requireID().uuidString, code: $0.code) },
            contracts: try file.contracts.map { .init(contract: try .init($0.contract), state: .init(rawValue: $0.state.rawValue)!, compounds: $0.compounds) },
            inspections: try file.inspections.map { try .init($0, failed: file.failedItems[try $0.requireID()] ?? 0) },
            openOrders: try file.openOrders.map { try .init($0, inspection: $0.inspection, today: today) },
            caseFigures: file.caseFigures.map(Components.Schemas.CaseFiguresRow.init), credit: try .init(file.credit),
            contractorRecord: file.contractorRecord.map {
                .init(cases: $0.cases, openCases: $0.openCases, overdueCases: $0.overdueCases, inspections: $0.inspections, failedItems: $0.failedItems, openOrders: $0.openOrders, overdueOrders: $0.overdueOrders,
                      awaitingVerification: $0.awaitingVerification, notRectified: $0.notRectified, diaryDays: $0.diaryDays, daysWithFindings: $0.daysWithFindings)
            }))))
    }
}
