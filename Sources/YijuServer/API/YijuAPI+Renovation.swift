import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// 旧改 through the API: the settings, compounds' facilities and gaps, projects and their steps.
/// Scope positions travel from 1, as printed on the plan.
extension YijuAPI {
    func renovationService() throws -> RenovationService {
        RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func getRenovationSettings(_ input: Operations.getRenovationSettings.Input) async throws -> Operations.getRenovationSettings.Output {
        .ok(.init(body: .json(.init(try await renovationService().settings()))))
    }

    func updateRenovationSettings(_ input: Operations.updateRenovationSettings.Input) async throws -> Operations.updateRenovationSettings.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let settings = RenovationSettings(
            catalogue: WorkItemCatalogue(items: body.catalogue.map {
                CatalogueItem(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, category: WorkItemCategory(rawValue: $0.category.rawValue)!, unit: $0.unit)
            }),
            standard: CommunityStandard(indicators: try body.standard.enumerated().map { i, indicator in
                StandardIndicator(code: indicator.code, category: indicator.category, name: indicator.name,
                                  requirements: try indicator.requirements.enumerated().map { j, r in try Self.requirement(r, field: "standard[\(i)].requirements[\(j)]") })
            }),
            rules: Self.rules(body.rules))
        return .ok(.init(body: .json(.init(try await renovationService().updateSettings(settings, note: body.note)))))
    }

    private static func requirement(_ r: Components.Schemas.StandardRequirement, field: String) throws -> StandardRequirement {
        func need<T>(_ value: T?, _ name: String) throws -> T {
            guard let value else { throw DomainError.validation([FieldError(field: field + "." + name, reason: "is required for a \(r.kind.rawValue) requirement")]) }
            return value
        }
        switch r.kind {
        case .present: return .present(item: try need(r.item, "item"))
        case .perHousehold: return .perHousehold(item: try need(r.item, "item"), quantity: try need(r.quantity, "quantity"))
        case .onePer: return .onePer(item: try need(r.item, "item"), households: try need(r.households, "households"))
        case .sound: return .sound(items: try need(r.items, "items"))
        }
    }

    private static func rules(_ r: Components.Schemas.RenovationRules) -> RenovationRules {
        var rules = RenovationRules()
        rules.minimumResponseShare = r.minimumResponseShare
        rules.minimumSatisfiedShare = r.minimumSatisfiedShare
        rules.noticeDays = r.noticeDays
        rules.site = r.site.rules
        return rules
    }

    // MARK: Facilities

    func getCompoundFacilities(_ input: Operations.getCompoundFacilities.Input) async throws -> Operations.getCompoundFacilities.Output {
        let service = try renovationService()
        let inventory = try await service.inventory(of: try pathID(input.path.id, "compound"))
        return .ok(.init(body: .json(try .init(inventory, catalogue: try await service.settings().settings.catalogue))))
    }

    func saveCompoundFacilities(_ input: Operations.saveCompoundFacilities.Input) async throws -> Operations.saveCompoundFacilities.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try renovationService()
        let inventory = try await service.saveInventory(of: try pathID(input.path.id, "compound"), body.items.map {
            Facility(item: $0.item, quantity: $0.quantity, condition: FacilityCondition(rawValue: $0.condition.rawValue)!)
        })
        return .ok(.init(body: .json(try .init(inventory, catalogue: try await service.settings().settings.catalogue))))
    }

    // MARK: Projects

    func listRenovationProjects(_ input: Operations.listRenovationProjects.Input) async throws -> Operations.listRenovationProjects.Output {
        let q = input.query
        let projects = try await renovationService().list(.init(
            status: q.status.flatMap { ProjectStatus(rawValue: $0.rawValue) }, year: q.year,
            streetOfficeID: try q.streetOfficeId.map { try queryID($0, "streetOfficeId") }, compoundID: try q.compoundId.map { try queryID($0, "compoundId") }))
        return .ok(.init(body: .json(try projects.map(Components.Schemas.RenovationProjectSummary.init))))
    }

    func createRenovationProject(_ input: Operations.createRenovationProject.Input) async throws -> Operations.createRenovationProject.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let new = RenovationService.NewProject(
            code: body.code, year: body.year,
            coverage: try body.compounds.enumerated().map { i, c in
                .init(compoundID: try bodyID(c.compoundId, "compounds[\(i)].compoundId"), buildings: c.buildings)
            },
            plan: try plan(name: body.name, budget: body.budgetFen, funding: body.funding, scope: body.scope, households: body.households,
                           plannedStart: body.plannedStart, plannedFinish: body.plannedFinish))
        return .created(.init(body: .json(try .init(try await renovationService().create(new)))))
    }

    func getRenovationProject(_ input: Operations.getRenovationProject.Input) async throws -> Operations.getRenovationProject.Output {
        .ok(.init(body: .json(try .init(try await renovationService().load(try pathID(input.path.id, "renovation project"))))))
    }

    func updateRenovationPlan(_ input: Operations.updateRenovationPlan.Input) async throws -> Operations.updateRenovationPlan.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let id = try pathID(input.path.id, "renovation project")
        let plan = try plan(name: body.name, budget: body.budgetFen, funding: body.funding, scope: body.scope, households: body.households,
                            plannedStart: body.plannedStart, plannedFinish: body.plannedFinish)
        return .ok(.init(body: .json(try .init(try await renovationService().updatePlan(id, plan)))))
    }

    func takeRenovationTransition(_ input: Operations.takeRenovationTransition.Input) async throws -> Operations.takeRenovationTransition.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let file = try await renovationService().take(ProjectTransition(rawValue: body.transition.rawValue)!, on: try pathID(input.path.id, "renovation project"),
                                                      reason: body.reason, day: body.day)
        return .ok(.init(body: .json(try .init(file))))
    }

    func setRenovationEngagements(_ input: Operations.setRenovationEngagements.Input) async throws -> Operations.setRenovationEngagements.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let engagements = try body.engagements.enumerated().map { i, e in
            Engagement(role: ContractorRole(rawValue: e.role.rawValue)!, companyID: try bodyID(e.companyId, "engagements[\(i)].companyId"),
                       leadName: e.leadName, leadPhone: e.leadPhone)
        }
        let file = try await renovationService().saveEngagements(try pathID(input.path.id, "renovation project"), engagements)
        return .ok(.init(body: .json(try .init(file))))
    }

    private func plan(name: String, budget: Int, funding: [Components.Schemas.Funding], scope: [Components.Schemas.ScopeLineInput]?,
                      households: Int?, plannedStart: String?, plannedFinish: String?) throws -> RenovationService.Plan {
        RenovationService.Plan(
            name: name, budget: budget,
            funding: funding.map { Funding(source: FundingSource(rawValue: $0.source.rawValue)!, fen: $0.fen, note: $0.note) },
            scope: try scope?.enumerated().map { i, s in
                .init(compoundID: try s.compoundId.map { try bodyID($0, "scope[\(i)].compoundId") },
                      item: ScopeItem(item: s.item, quantity: s.quantity, cost: s.costFen, note: s.note))
            },
            households: households, plannedStart: plannedStart, plannedFinish: plannedFinish)
    }
}

extension Components.Schemas.RenovationSettings {
    init(_ current: RenovationSettingsStore.Current) {
        let s = current.settings
        self.init(
            version: current.version, note: current.note, createdBy: current.createdBy, createdAt: current.createdAt,
            catalogue: s.catalogue.items.map {
                .init(code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, category: .init(rawValue: $0.category.rawValue)!, unit: $0.unit)
            },
            standard: s.standard.indicators.map { indicator in
                .init(code: indicator.code, category: indicator.category, name: indicator.name, requirements: indicator.requirements.map(Components.Schemas.StandardRequirement.init))
            },
            rules: .init(minimumResponseShare: s.rules.minimumResponseShare, minimumSatisfiedShare: s.rules.minimumSatisfiedShare, noticeDays: s.rules.noticeDays,
                         site: .init(s.rules.site)))
    }
}

extension Components.Schemas.StandardRequirement {
    init(_ r: StandardRequirement) {
        switch r {
        case .present(let item): self.init(kind: .present, item: item)
        case .perHousehold(let item, let quantity): self.init(kind: .perHousehold, item: item, quantity: quantity)
        case .onePer(let item, let households): self.init(kind: .onePer, item: item, households: households)
        case .sound(let items): self.init(kind: .sound, items: items)
        }
    }
}

extension Components.Schemas.FacilityInventory {
    init(_ inventory: RenovationService.Inventory, catalogue: WorkItemCatalogue) throws {
        self.init(
            compoundId: try inventory.compound.requireID().uuidString, compoundName: inventory.compound.name, households: inventory.compound.households,
            settingsVersion: inventory.settingsVersion,
            items: inventory.facilities.map {
                .init(item: $0.item, name: catalogue.item($0.item)?.nameZh ?? $0.item, unit: catalogue.item($0.item)?.unit ?? "",
                      quantity: $0.quantity, condition: .init(rawValue: $0.condition.rawValue)!)
            },
            gaps: inventory.gaps.map {
                .init(indicator: $0.indicator, item: $0.item, name: catalogue.item($0.item)?.nameZh ?? $0.item, unit: catalogue.item($0.item)?.unit ?? "",
                      quantity: $0.quantity, reason: $0.reason)
            })
    }
}

extension Components.Schemas.RenovationProjectSummary {
    /// Needs the project's street office loaded.
    init(_ p: RenovationProject) throws {
        self.init(id: try p.requireID().uuidString, code: p.code, name: p.name, year: p.year, streetOfficeId: p.$streetOffice.id.uuidString,
                  streetOfficeName: p.streetOffice.name, status: .init(rawValue: p.status.rawValue)!, budgetFen: p.budgetFen, households: p.households,
                  buildings: p.buildings, plannedStart: p.plannedStart, plannedFinish: p.plannedFinish, actualStart: p.actualStart, actualFinish: p.actualFinish)
    }
}

extension Components.Schemas.RenovationProject {
    init(_ file: RenovationService.ProjectFile) throws {
        let p = file.project
        self.init(
            project: try .init(p),
            funding: p.funding.map { .init(source: .init(rawValue: $0.source.rawValue)!, fen: $0.fen, note: $0.note) },
            cancelReason: p.cancelReason, settingsVersion: p.settingsVersion, createdBy: p.createdBy,
            compounds: try file.compounds.map {
                .init(compoundId: try $0.compound.requireID().uuidString, code: $0.compound.code, name: $0.compound.name, households: $0.compound.households,
                      buildings: RenovationService.buildings($0.coverage), priorRenovation: .init(rawValue: $0.coverage.priorRenovation.rawValue)!,
                      awaitingManagement: p.status == .completed && $0.compound.$company.id == nil)
            },
            scope: file.scope.map { .init($0, catalogue: file.catalogue) },
            transitions: file.options.map { .init(transition: .init(rawValue: $0.transition.rawValue)!, blockedBy: $0.blockedBy) },
            engagements: file.engagements.map {
                .init(role: .init(rawValue: $0.role.rawValue)!, companyId: $0.$company.id.uuidString, companyName: $0.company.name,
                      leadName: $0.leadName, leadPhone: $0.leadPhone)
            },
            handovers: try file.handovers.map { tender in
                let contract = tender.$contract.value ?? nil
                return .init(tenderId: try tender.requireID().uuidString, tenderCode: tender.code, tenderStatus: .init(rawValue: tender.status.rawValue)!,
                             contractId: contract?.id?.uuidString, companyName: contract?.company.name, startDate: contract?.startDate,
                             started: contract.map { $0.appliedAt != nil })
            })
    }
}

extension Components.Schemas.ScopeLine {
    /// Positions travel from 1, as printed on the plan.
    init(_ s: RenovationScopeItem, catalogue: WorkItemCatalogue) {
        let item = catalogue.item(s.item)
        self.init(position: s.position + 1, item: s.item, name: item?.nameZh ?? s.item, unit: item?.unit ?? "",
                  category: .init(rawValue: (item?.category ?? .basic).rawValue)!, quantity: s.quantity, costFen: s.costFen,
                  compoundId: s.$compound.id?.uuidString, note: s.note, built: s.built)
    }
}
