import Fluent
import Foundation
import YijuCore

/// 一企一档: everything the district knows about one company, assembled once for the console's
/// company page and the API's company file — the registration facts, the compounds and zones
/// it manages, the contracts it holds and held, its inspections and open rectification orders,
/// its cases' figures over the last twelve months against the twelve before, and its credit.
struct CompanyFile: Sendable {
    enum ContractState: String, Sendable {
        case current, notStarted, ended
    }

    struct ContractLine: Sendable {
        var contract: Contract
        var state: ContractState
        var compounds: Int
    }

    var company: Company
    var compounds: [Compound]
    var areas: [ManagementArea]
    var contracts: [ContractLine]
    /// Empty for roles that may not read inspections (departments, the hotline).
    var inspections: [InspectionRecord]
    var failedItems: [UUID: Int]
    var openOrders: [RectificationOrder]
    var caseFigures: CaseFigures.Row?
    var credit: CreditService.CompanyCredit
    /// A contractor's own record; nil for a property company.
    var contractorRecord: ContractorRecord?

    /// Company staff read their own company's file only; every other role reads any.
    static func load(_ companyID: UUID, db: any Database, actor: Actor, now: Date) async throws -> CompanyFile {
        let credit = try await CreditService(db: db, actor: actor, now: now).companyCredit(companyID)
        let compounds = try await Compound.query(on: db).filter(\.$company.$id == companyID).sort(\.$code).all()
        let today = Calendar.shanghai.day(now)
        let areaIDs = try await AreaAssignment.query(on: db).filter(\.$compound.$id ~~ compounds.compactMap(\.id)).filter(\.$endDate == nil)
            .all().map { $0.$area.id }
        let areas = try await ManagementArea.query(on: db).filter(\.$id ~~ Set(areaIDs)).sort(\.$code).all()

        let inspectionService = InspectionService(db: db, actor: actor, now: now)
        let mayReadInspections = Policy.inspectionScope(actor) != .nothing
        let inspections = mayReadInspections ? try await inspectionService.list(.init(companyID: companyID, limit: 50)) : []
        let failed = try await inspectionService.failedItems(of: inspections.compactMap(\.id))
        let orders = mayReadInspections ? try await inspectionService.openOrders(company: companyID) : []

        // The rolling year through today, in whole days, as the credit ledger counts it.
        let calendar = Calendar.shanghai
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.start(of: today) ?? now) ?? now
        let yearAgo = calendar.date(byAdding: .year, value: -1, to: tomorrow) ?? now
        let figures = try await CaseFigures(db: db, actor: actor).report(.company, from: yearAgo, to: tomorrow)

        return CompanyFile(company: credit.company, compounds: compounds, areas: areas,
                           contracts: try await contractLines(companyID, db: db, today: today), inspections: inspections, failedItems: failed,
                           openOrders: orders, caseFigures: figures.rows.first { $0.key == companyID.uuidString }, credit: credit,
                           contractorRecord: credit.company.kind.isContractor ? try await ContractorRecord.load(companyID, db: db, today: today) : nil)
    }

    /// Contracts made by a tender list their compounds; older ones are those that point at them.
    static func contractLines(_ companyID: UUID, db: any Database, today: String) async throws -> [ContractLine] {
        let contracts = try await Contract.query(on: db).filter(\.$company.$id == companyID).sort(\.$startDate, .descending).all()
        let ids = contracts.compactMap(\.id)
        let covered = try await ContractCompound.query(on: db).filter(\.$contract.$id ~~ ids).all()
        let registered = try await Compound.query(on: db).filter(\.$contract.$id ~~ ids).all()
        return contracts.map { c in
            let count = max(covered.filter { $0.$contract.id == c.id }.count, registered.filter { $0.$contract.id == c.id }.count)
            let state: ContractState = c.endDate <= today ? .ended
                : (c.startDate > today || (c.tenderID != nil && c.appliedAt == nil) ? .notStarted : .current)
            return ContractLine(contract: c, state: state, compounds: count)
        }
    }
}
