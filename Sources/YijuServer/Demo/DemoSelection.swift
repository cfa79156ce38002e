import Fluent
import Foundation
import Vapor
import YijuCore

/// The demo's finished tenders: a few lots of the adopted plan went through notice, bids,
/// the panel and award about a year ago (through `TenderService`, at the dates they would
/// have happened), and their contracts moved the compounds to the winners. The case history
/// then routes each case to whoever managed its compound on the day it came in.
enum DemoSelection {
    /// How many lots the demo awards: enough to see tenders finished, few enough to leave
    /// open lots for a live tender.
    static let awardedLots = 3

    /// Runs the tenders and returns the handovers by compound code.
    static func run(_ app: Application, district: DemoDistrict, streetOfficeCode: String, seed: UInt64,
                    now: Date) async throws -> [String: DemoCaseHistory.Handover] {
        let db = app.db
        guard let office = try await StreetOffice.query(on: db).filter(\.$code == streetOfficeCode).first(),
              let admin = try await DemoLoader.bureauAdmin(on: db) else { return [:] }
        let calendar = Calendar.shanghai
        func service(at date: Date) -> TenderService { TenderService(db: db, actor: admin.actor, now: date) }
        // The first lots start soon after the plan's adoption; a lot whose compounds were still
        // under contract is tendered as those contracts run out, if that was at least a month ago.
        let earliest = calendar.day(now.addingTimeInterval(-335 * 86_400)), latest = calendar.day(now.addingTimeInterval(-30 * 86_400))

        // Bidders by diligence: the diligent usually win on their service plans.
        let diligence = DemoCaseHistory.diligence(companies: district.companies.count, seed: seed)
        let companies = try await Company.query(on: db).all()
        let byNumber = Dictionary(uniqueKeysWithValues: companies.map { ($0.registrationNumber, $0) })
        let indexed = district.companies.enumerated().compactMap { i, spec in byNumber[spec.registrationNumber].map { (i, $0) } }
        let diligent = indexed.filter { diligence[$0.0] < 0.6 }, ordinary = indexed.filter { (0.6..<1).contains(diligence[$0.0]) }
        let slack = indexed.filter { diligence[$0.0] >= 1 }
        guard !diligent.isEmpty, !ordinary.isEmpty, !slack.isEmpty else { return [:] }

        var handovers: [String: DemoCaseHistory.Handover] = [:]
        var awarded = 0
        for lot in try await TenderLot.query(on: db).filter(\.$streetOffice.$id == office.requireID()).filter(\.$status == .open).sort(\.$code).all() {
            guard awarded < awardedLots else { break }
            // Only lots whose compounds are free on the start day: their old contracts ended, or they had none.
            let areas = try await ManagementArea.query(on: db).filter(\.$lot.$id == lot.requireID()).filter(\.$endDate == nil).all()
            let compounds = try await AreaAssignment.query(on: db).filter(\.$area.$id ~~ areas.compactMap(\.id)).filter(\.$endDate == nil)
                .with(\.$compound) { $0.with(\.$contract) }.all().map(\.compound)
            let start = max(earliest, compounds.compactMap { $0.loadedContract?.endDate }.max() ?? earliest)
            guard !compounds.isEmpty, start <= latest, let startDay = calendar.start(of: start) else { continue }
            func before(days: Double) -> Date { startDay.addingTimeInterval(-days * 86_400 + 10 * 3600) }

            let k = awarded
            let tender = try await service(at: before(days: 31 - Double(k))).open(.init(lotID: try lot.requireID(), bidDeadline: before(days: 17), startDate: start))
            let bidders = [diligent[k % diligent.count], diligent[(k + 2) % diligent.count], ordinary[(k * 3) % ordinary.count],
                           slack[k % slack.count]]
            var bids: [(TenderBid, Double)] = []
            for (n, (index, company)) in bidders.enumerated() where !bids.contains(where: { $0.0.$company.id == company.id }) {
                let care = diligence[index]
                let bid = try await service(at: before(days: 25 - Double(n))).bid(try tender.requireID(), .init(
                    companyID: try company.requireID(), priceFen: Int(92 - 18 * min(care, 1.5)) + n,
                    servicePlan: care < 0.6 ? "每个小区设服务站并 24 小时值守；垃圾日产日清，冬季机械化清雪；维修 2 小时响应，每月公示收支。"
                        : care < 1 ? "片区设服务中心，日常保洁和秩序维护，冬季清雪，报修当日响应。"
                        : "片区统一安排保洁和秩序巡逻，居民报修按登记顺序处理。",
                    stations: max(1, Int(4 - 2 * care)), staff: company.staff, machines: company.machines))
                bids.append((bid, 88 - 22 * min(care, 1.5)))
            }
            for (bid, planScore) in bids {
                _ = try await service(at: before(days: 16)).score(try tender.requireID(), bidID: try bid.requireID(), score: (planScore * 10).rounded() / 10)
            }
            let contract = try await service(at: before(days: 15)).award(try tender.requireID())
            // The compounds move on the start day, as the timers would have moved them.
            let takeover = startDay.addingTimeInterval(9 * 3600)
            _ = try await ContractStarts.apply(on: db, now: takeover)
            let winner = indexed.first { $0.1.id == contract.$company.id }!.0
            for compound in compounds { handovers[compound.code] = .init(from: takeover, companyIndex: winner) }
            awarded += 1
        }
        return handovers
    }
}
