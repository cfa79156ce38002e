import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Selection (选聘) through the API.
extension YijuAPI {
    private func tenderService() throws -> TenderService {
        TenderService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func listTenders(_ input: Operations.listTenders.Input) async throws -> Operations.listTenders.Output {
        let tenders = try await tenderService().list()
        return .ok(.init(body: .json(try tenders.map(Components.Schemas.Tender.init))))
    }

    func openTender(_ input: Operations.openTender.Input) async throws -> Operations.openTender.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        var opening = TenderService.Opening(lotID: try queryID(body.lotId, "lotId"), bidDeadline: body.bidDeadline, startDate: body.startDate)
        if let years = body.termYears { opening.termYears = years }
        opening.startsOnCompletion = body.startsOnCompletion ?? false
        if let w = body.weights { opening.weights = TenderWeights(price: w.price, servicePlan: w.servicePlan, credit: w.credit, resources: w.resources) }
        return .created(.init(body: .json(try .init(try await tenderService().open(opening)))))
    }

    func getTender(_ input: Operations.getTender.Input) async throws -> Operations.getTender.Output {
        let service = try tenderService()
        let tender = try await service.load(try pathID(input.path.id, "tender"))
        return .ok(.init(body: .json(try .init(try await service.view(tender)))))
    }

    func submitBid(_ input: Operations.submitBid.Input) async throws -> Operations.submitBid.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let bid = try await tenderService().bid(try pathID(input.path.id, "tender"), .init(
            companyID: try queryID(b.companyId, "companyId"), priceFen: b.priceFen, servicePlan: b.servicePlan,
            stations: b.stations, staff: b.staff, machines: b.machines))
        try await bid.$company.load(on: app.db)
        return .created(.init(body: .json(try .init(bid))))
    }

    func scoreBid(_ input: Operations.scoreBid.Input) async throws -> Operations.scoreBid.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let entry = try await tenderService().score(try pathID(input.path.id, "tender"), bidID: try pathID(input.path.bidId, "bid"), score: body.score)
        return .created(.init(body: .json(.init(score: entry.score))))
    }

    func awardTender(_ input: Operations.awardTender.Input) async throws -> Operations.awardTender.Output {
        .created(.init(body: .json(try .init(try await tenderService().award(try pathID(input.path.id, "tender"))))))
    }

    func listPublicTenders(_ input: Operations.listPublicTenders.Input) async throws -> Operations.listPublicTenders.Output {
        // The public reads as nobody in particular: sealed bids stay sealed, results show once awarded.
        let service = TenderService(db: app.db, actor: .publicReader, now: app.clock.now())
        var out: [Components.Schemas.TenderDetail] = []
        for tender in try await service.list() where tender.status != .cancelled {
            var view = try await service.view(tender)
            view.bids = []
            out.append(try .init(view))
        }
        return .ok(.init(body: .json(out)))
    }
}

extension Actor {
    /// Reads what anyone may read and nothing else: no role's scope matches it.
    static let publicReader = Actor(userID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), username: "public",
                                    role: .hotlineOperator, streetOfficeID: nil, departmentID: nil, companyID: nil)
}

extension Components.Schemas.Tender {
    init(_ t: Tender) throws {
        let w = t.weights
        self.init(id: try t.requireID().uuidString, code: t.code, lotId: t.$lot.id.uuidString, lotCode: t.$lot.value?.code ?? "",
                  status: .init(rawValue: t.status.rawValue)!, noticeDay: t.noticeDay, bidDeadline: t.bidDeadline, startDate: t.startDate,
                  termYears: t.termYears, weights: .init(price: w.price, servicePlan: w.servicePlan, credit: w.credit, resources: w.resources),
                  awardedCompanyId: nil, contractId: t.$contract.id?.uuidString,
                  awaitsProjects: try (t.$awaited.value ?? []).map { wait in
                      .init(id: try wait.project.requireID().uuidString, code: wait.project.code, name: wait.project.name,
                            status: .init(rawValue: wait.project.status.rawValue)!)
                  })
    }
}

extension Components.Schemas.Bid {
    init(_ b: TenderBid) throws {
        self.init(id: try b.requireID().uuidString, companyId: b.$company.id.uuidString, companyName: b.$company.value?.name ?? "", priceFen: b.priceFen,
                  servicePlan: b.servicePlan, stations: b.stations, staff: b.staff, machines: b.machines, submittedAt: b.submittedAt)
    }
}

extension Components.Schemas.TenderDetail {
    init(_ v: TenderService.View) throws {
        var tender = try Components.Schemas.Tender(v.tender)
        if let awarded = v.tender.awardedBidID, let winner = v.ranking.first(where: { $0.bid.id == awarded }) {
            tender.awardedCompanyId = winner.bid.$company.id.uuidString
        }
        self.init(tender: tender, bidCount: v.bidCount,
                  eligibility: try v.eligibility.map { row in
                      var reason: String?
                      if case .ineligible(let why) = row.eligibility { reason = why }
                      return .init(companyId: try row.company.requireID().uuidString, companyName: row.company.name,
                                   grade: .init(rawValue: row.statement.grade.rawValue)!, score: row.statement.score.points,
                                   eligible: row.eligibility == .eligible, reason: reason)
                  },
                  bids: try v.bids.map(Components.Schemas.Bid.init),
                  ranking: v.ranking.map { .init(bidId: $0.ranked.bidID.uuidString, companyName: $0.bid.company.name, rank: $0.ranked.rank,
                                                 price: $0.ranked.price, servicePlan: $0.ranked.servicePlan, credit: $0.ranked.credit,
                                                 resources: $0.ranked.resources, total: $0.ranked.total) })
    }
}
