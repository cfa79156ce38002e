import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Selection: tenders on adopted lots, eligibility by credit, bids, the panel, award, contract start")
    struct SelectionTests {
        static func actor(_ app: Application, _ username: String) async throws -> Actor {
            try #require(try await User.query(on: app.db).filter(\.$username == username).first()).actor
        }

        func expectConflict(_ code: String, _ body: () async throws -> Void) async {
            do {
                try await body()
                Issue.record("expected \(code)")
            } catch let error as DomainError {
                #expect(error.code == code, "\(error.message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }

        @Test("A lot of the adopted plan runs from notice to contract; a D company is barred; the compounds change company on the start day")
        func noticeToContract() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let admin = try await Self.actor(app, "admin"), qizheng = try await Self.actor(app, "qizheng")
                let hy = try await app.streetOffice(code: "HY")
                let lots = try await TenderLot.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).filter(\.$status == .open).sort(\.$code).all()
                let lot = try #require(lots.first), otherLot = try #require(lots.dropFirst().first)
                let service = { (actor: Actor) in TenderService(db: app.db, actor: actor, now: clock.now) }
                let opening = TenderService.Opening(lotID: lot.id!, bidDeadline: clock.now.addingTimeInterval(7 * 86_400), startDate: "2026-04-01")

                // Bad input changes nothing; another street office may not open it.
                var bad = opening
                bad.weights = TenderWeights(price: 40, servicePlan: 40, credit: 20, resources: 10)
                bad.startDate = "2026-02-30"
                do {
                    _ = try await service(admin).open(bad)
                    Issue.record("opened with bad weights")
                } catch let error as DomainError {
                    #expect(Set(error.fields.map(\.field)) == ["weights", "startDate"])
                }
                await #expect(throws: DomainError.self) { _ = try await service(qizheng).open(opening) }
                #expect(try await Tender.query(on: app.db).count() == 0)
                let tender = try await service(admin).open(opening)
                #expect(tender.code == lot.code + "-T1" && tender.noticeDay == "2026-03-02")
                await expectConflict("lot_not_open") { _ = try await service(admin).open(opening) }

                // Eligibility: a company at grade D is on the blacklist and may not bid.
                let companies = try await Company.properties(on: app.db).sort(\.$name).all()
                let (good, better, failing) = (companies[0], companies[1], companies[2])
                for n in 0..<3 {
                    let entry = CreditEventEntry()
                    entry.$company.id = failing.id!
                    entry.kind = .refusedRectification
                    entry.points = -200
                    entry.effective = "2026-02-01"
                    entry.expires = "2027-02-01"
                    entry.source = "refused to rectify, notice \(n + 1)"
                    entry.sourceKey = "test:\(n)"
                    entry.recordedBy = "admin"
                    try await entry.create(on: app.db)
                }
                try await CreditService(db: app.db, actor: admin, now: clock.now).enforceBlacklist([failing.id!], rules: .default)
                let eligibility = try await service(admin).eligibility(tender)
                #expect(eligibility.first { $0.company.id == failing.id }?.eligibility == .ineligible(reason: "on the blacklist"))
                #expect(eligibility.first { $0.company.id == good.id }?.eligibility == .eligible)

                func bid(_ company: Company, price: Int, staff: Int) -> TenderService.BidInput {
                    .init(companyID: company.id!, priceFen: price, servicePlan: "三个服务站，24小时值守，冬季清雪机械化作业，公开收费标准。",
                          stations: 3, staff: staff, machines: 5)
                }
                let first = try await service(admin).bid(tender.id!, bid(good, price: 80, staff: 30))
                let second = try await service(admin).bid(tender.id!, bid(better, price: 95, staff: 45))
                await expectConflict("ineligible") { _ = try await service(admin).bid(tender.id!, bid(failing, price: 50, staff: 60)) }
                await expectConflict("already_bid") { _ = try await service(admin).bid(tender.id!, bid(good, price: 70, staff: 30)) }
                let zhengyi = try await Self.actor(app, "zhengyi")
                if zhengyi.companyID != good.id {
                    await #expect(throws: DomainError.self) { _ = try await service(zhengyi).bid(tender.id!, bid(good, price: 70, staff: 30)) }
                }
                await expectConflict("before_deadline") { _ = try await service(admin).score(tender.id!, bidID: first.id!, score: 80) }

                clock.advance(days: 8)
                await expectConflict("after_deadline") { _ = try await service(admin).bid(tender.id!, bid(companies[3], price: 60, staff: 30)) }
                _ = try await service(admin).score(tender.id!, bidID: first.id!, score: 70)
                await expectConflict("already_scored") { _ = try await service(admin).score(tender.id!, bidID: first.id!, score: 90) }
                await #expect(throws: DomainError.self) { _ = try await service(qizheng).score(tender.id!, bidID: second.id!, score: 90) }
                await expectConflict("unscored_bids") { _ = try await service(admin).award(tender.id!) }
                _ = try await service(admin).score(tender.id!, bidID: second.id!, score: 95)

                let ranking = try await service(admin).ranking(tender)
                #expect(ranking.map(\.ranked.rank) == [1, 2])
                let winner = ranking[0].bid
                let contract = try await service(admin).award(tender.id!)
                #expect(contract.$company.id == winner.$company.id && contract.feeRateFen == winner.priceFen)
                #expect(contract.startDate == "2026-04-01" && contract.endDate == "2029-04-01" && contract.tenderID == tender.id)
                #expect(try await TenderLot.find(lot.id!, on: app.db)?.status == .awarded)
                #expect(try await Tender.find(tender.id!, on: app.db)?.status == .awarded)
                let covered = try await ContractCompound.query(on: app.db).filter(\.$contract.$id == contract.id!).all().map { $0.$compound.id }
                let areas = try await ManagementArea.query(on: app.db).filter(\.$lot.$id == lot.id!).all().map { $0.id! }
                let inLot = try await AreaAssignment.query(on: app.db).filter(\.$area.$id ~~ areas).filter(\.$endDate == nil).all().map { $0.$compound.id }
                #expect(Set(covered) == Set(inLot) && !covered.isEmpty)

                // Before the start day nothing changes in the registry; on it, the compounds move.
                #expect(try await ContractStarts.apply(on: app.db, now: clock.now) == 0)
                let compound = try #require(try await Compound.find(covered[0], on: app.db))
                #expect(compound.$company.id != winner.$company.id)
                clock.advance(days: 22)
                _ = try await CaseTimers(db: app.db, now: clock.now).run()
                #expect(try await ContractStarts.apply(on: app.db, now: clock.now) == 0)
                let moved = try await Compound.query(on: app.db).filter(\.$id ~~ covered).all()
                #expect(moved.allSatisfy { $0.$company.id == winner.$company.id && $0.management == .professional && $0.$contract.id == contract.id })
                // Its cases now go to the new company.
                let api = CaseTests.API(app: app)
                let routed = try #require(try await api.intake(CaseTests.hotline(compound, .propertyService)))
                #expect(routed.handler == .company && routed.handlerCompanyId == winner.$company.id.uuidString)

                // A compound already under contract on the start day: the other lot's award is refused, naming it.
                let otherAreas = try await ManagementArea.query(on: app.db).filter(\.$lot.$id == otherLot.id!).all().map { $0.id! }
                let otherCompound = try #require(try await AreaAssignment.query(on: app.db).filter(\.$area.$id ~~ otherAreas).filter(\.$endDate == nil).first()?.$compound.id)
                let existing = Contract()
                existing.code = "HT-OLD-1"
                existing.$company.id = good.id!
                existing.feeRateFen = 60
                existing.startDate = "2025-01-01"
                existing.endDate = "2027-12-31"
                try await existing.create(on: app.db)
                try await Compound.query(on: app.db).filter(\.$id == otherCompound).set(\.$contract.$id, to: existing.id).update()
                let late = try await service(admin).open(.init(lotID: otherLot.id!, bidDeadline: clock.now.addingTimeInterval(86_400), startDate: "2026-07-01"))
                _ = try await service(admin).bid(late.id!, bid(better, price: 90, staff: 40))
                clock.advance(days: 2)
                let lateBid = try #require(try await TenderBid.query(on: app.db).filter(\.$tender.$id == late.id!).first())
                _ = try await TenderService(db: app.db, actor: admin, now: clock.now).score(late.id!, bidID: lateBid.id!, score: 80)
                do {
                    _ = try await TenderService(db: app.db, actor: admin, now: clock.now).award(late.id!)
                    Issue.record("overlapping contract awarded")
                } catch let error as DomainError {
                    #expect(error.code == "contract_overlap" && error.message.contains("HT-OLD-1"))
                }
                #expect(try await Contract.query(on: app.db).filter(\.$tenderID == late.id!).count() == 0)
            }
        }

        @Test("Selection through the API: notice, sealed bids, eligibility reasons, the panel, award, the public result")
        func throughTheAPI() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let api = CaseTests.API(app: app)
                let hy = try await app.streetOffice(code: "HY")
                let lot = try #require(try await TenderLot.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).filter(\.$status == .open).sort(\.$code).first())
                let staff = try await Self.actor(app, "zhengyi")
                let own = try #require(staff.companyID)
                var opening = Components.Schemas.TenderOpening(lotId: lot.id!.uuidString, bidDeadline: clock.now.addingTimeInterval(5 * 86_400), startDate: "2026-05-01")
                opening.weights = .init(price: 30, servicePlan: 40, credit: 20, resources: 20)
                try await api.send(.POST, "/tenders", as: "admin", body: opening) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "weights")
                }
                opening.weights = nil
                try await api.send(.POST, "/tenders", as: "zhengyi", body: opening) { res in #expect(res.status == .forbidden) }
                var tender: Components.Schemas.Tender?
                try await api.send(.POST, "/tenders", as: "admin", body: opening) { res in
                    #expect(res.status == .created)
                    tender = try res.content.decode(Components.Schemas.Tender.self)
                }
                let t = try #require(tender)
                #expect(t.weights.servicePlan == 40 && t.lotCode == lot.code && t.status == .open)
                let bid = Components.Schemas.BidSubmission(companyId: own.uuidString, priceFen: 85, servicePlan: "两个服务站，物业服务中心全天值守，垃圾日产日清，冬季机械化清雪。",
                                                           stations: 2, staff: 26, machines: 4)
                try await api.send(.POST, "/tenders/\(t.id)/bids", as: "zhengyi", body: bid) { res in #expect(res.status == .created) }
                try await api.send(.POST, "/tenders/\(t.id)/bids", as: "zhengyi", body: bid) { res in
                    #expect(res.status == .conflict && res.apiError?.code == "already_bid")
                }
                try await api.send(.GET, "/tenders/\(t.id)", as: "admin") { res in
                    let detail = try res.content.decode(Components.Schemas.TenderDetail.self)
                    #expect(detail.bidCount == 1 && detail.bids.isEmpty && detail.ranking.isEmpty)   // sealed until the deadline
                    #expect(detail.eligibility.count == (try await Company.properties(on: app.db).count()))
                }
                try await api.send(.GET, "/tenders/\(t.id)", as: "zhengyi") { res in
                    let detail = try res.content.decode(Components.Schemas.TenderDetail.self)
                    #expect(detail.bids.map(\.companyId) == [own.uuidString])
                }
                clock.advance(days: 6)
                var bidID = ""
                try await api.send(.GET, "/tenders/\(t.id)", as: "admin") { res in
                    let detail = try res.content.decode(Components.Schemas.TenderDetail.self)
                    bidID = detail.bids.first?.id ?? ""
                    #expect(detail.bids.count == 1 && detail.ranking.map(\.rank) == [1])
                }
                try await api.send(.POST, "/tenders/\(t.id)/bids/\(bidID)/scores", as: "admin", body: Components.Schemas.PanelScoreInput(score: 120)) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.details.first?.field == "score")
                }
                try await api.send(.POST, "/tenders/\(t.id)/bids/\(bidID)/scores", as: "admin", body: Components.Schemas.PanelScoreInput(score: 88)) { res in
                    #expect(res.status == .created)
                }
                try await api.send(.POST, "/tenders/\(t.id)/award", as: "zhengyi") { res in #expect(res.status == .forbidden) }
                try await api.send(.POST, "/tenders/\(t.id)/award", as: "admin") { res in
                    #expect(res.status == .created)
                    let contract = try res.content.decode(Components.Schemas.Contract.self)
                    #expect(contract.companyId == own.uuidString && contract.tenderId == t.id && contract.start == "2026-05-01" && contract.started == false)
                }
                try await app.testing().test(.GET, "/api/v1/public/tenders") { res in
                    #expect(res.status == .ok)
                    let list = try res.content.decode([Components.Schemas.TenderDetail].self)
                    let result = try #require(list.first { $0.tender.id == t.id })
                    #expect(result.tender.status == .awarded && result.tender.awardedCompanyId == own.uuidString)
                    #expect(result.bids.isEmpty && result.ranking.count == 1)
                }
            }
        }

        @Test("Selection in the console: the notice form, eligibility with reasons, a sealed bid, the panel's score, the award and its contract")
        func console() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let hy = try await app.streetOffice(code: "HY")
                let lot = try #require(try await TenderLot.query(on: app.db).filter(\.$streetOffice.$id == hy.id!).filter(\.$status == .open).sort(\.$code).first())
                let admin = try await ConsoleTests().login(app, "admin"), staff = try await ConsoleTests().login(app, "zhengyi")
                let adminHeaders: HTTPHeaders = ["Cookie": admin.cookie.cookieHeader], staffHeaders: HTTPHeaders = ["Cookie": staff.cookie.cookieHeader]
                func post(_ path: String, _ headers: HTTPHeaders, _ csrf: String, _ form: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, path, headers: headers, beforeRequest: { req in
                        try req.content.encode(form.merging(["_csrf": csrf]) { a, _ in a }, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                let form = ["lotId": lot.id!.uuidString, "bidDeadline": "2026-03-09T17:00", "startDate": "2026-05-01", "price": "30", "servicePlan": "40", "credit": "20", "resources": "20"]
                try await post("/console/tenders", adminHeaders, admin.csrf, form) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("must sum to 100"))
                }
                var location = ""
                try await post("/console/tenders", adminHeaders, admin.csrf, form.merging(["resources": "10"]) { _, b in b }) { res in
                    #expect(res.status == .seeOther)
                    location = res.headers.first(name: .location) ?? ""
                }
                let tender = try #require(try await Tender.query(on: app.db).first())
                #expect(location == "/console/tenders/\(tender.id!)")
                #expect(tender.bidDeadline == Calendar.shanghai.start(of: "2026-03-09")!.addingTimeInterval(17 * 3600))
                try await post(location + "/bids", staffHeaders, staff.csrf, ["companyId": "", "priceFen": "88", "stations": "2", "staff": "24", "machines": "x",
                                                                             "servicePlan": "服务站两处，全天值守，日产日清，机械化清雪。"]) { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("machines"))
                }
                let own = try #require(try await User.query(on: app.db).filter(\.$username == "zhengyi").first()?.$company.id)
                try await post(location + "/bids", staffHeaders, staff.csrf, ["companyId": own.uuidString, "priceFen": "88", "stations": "2", "staff": "24", "machines": "3",
                                                                             "servicePlan": "服务站两处，全天值守，日产日清，机械化清雪。"]) { res in
                    #expect(res.status == .seeOther)
                }
                try await app.testing().test(.GET, location, headers: adminHeaders) { res in
                    let page = res.body.string
                    #expect(page.contains("id=\"eligibility\"") && page.contains("投标截止前标书密封") && !page.contains("id=\"bids\""))
                }
                clock.advance(days: 8)
                let bid = try #require(try await TenderBid.query(on: app.db).first())
                try await app.testing().test(.GET, location, headers: adminHeaders) { res in
                    let page = res.body.string
                    #expect(page.contains("id=\"ranking\"") && page.contains("score-form") && page.contains("id=\"award-form\""))
                }
                try await post(location + "/bids/\(bid.id!)/score", adminHeaders, admin.csrf, ["score": "abc"]) { res in #expect(res.status == .unprocessableEntity) }
                try await post(location + "/bids/\(bid.id!)/score", adminHeaders, admin.csrf, ["score": "86"]) { res in #expect(res.status == .seeOther) }
                try await post(location + "/award", adminHeaders, admin.csrf, [:]) { res in #expect(res.status == .seeOther) }
                try await app.testing().test(.GET, location, headers: adminHeaders) { res in
                    let page = res.body.string
                    #expect(page.contains("id=\"contract\"") && page.contains("HT-\(tender.code)") && page.contains("¥0.88") && page.contains("已定标"))
                    #expect(!page.contains("id=\"award-form\""))
                }
                // The winner's company file lists the contract, not started yet.
                try await app.testing().test(.GET, "/console/companies/\(own)", headers: adminHeaders) { res in
                    let page = res.body.string
                    #expect(page.contains("id=\"contracts\"") && page.contains("HT-\(tender.code)") && page.contains("待开始"))
                }
                try await app.testing().test(.GET, "/console/tenders", headers: staffHeaders) { res in
                    #expect(res.status == .ok && res.body.string.contains(tender.code) && !res.body.string.contains("id=\"open-tender\""))
                }
            }
        }
    }
}
