import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Cases: repeats, intake in groups, figures and their roll-up, the public form, photos")
    struct CaseTests {
        typealias Wire = Components.Schemas.Case
        typealias Detail = Components.Schemas.CaseDetail

        struct API {
            let app: Application

            func send(_ method: HTTPMethod, _ path: String, as user: String, body: (any Encodable)? = nil,
                      _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                try await app.testing().test(method, "/api/v1" + path, headers: .bearer(try await app.token(user)), beforeRequest: { req in
                    if let body { try req.json(body) }
                }, afterResponse: check)
            }

            func intake(_ body: Components.Schemas.CaseIntake, as user: String = "rexian", expect status: HTTPStatus = .created) async throws -> Wire? {
                var wire: Wire?
                try await send(.POST, "/cases", as: user, body: body) { res in
                    #expect(res.status == status, "\(res.body.string.prefix(400))")
                    if res.status.code < 300 { wire = try res.content.decode(Wire.self) }
                }
                return wire
            }

            func step(_ id: String, _ step: Components.Schemas.CaseStep, as user: String, expect status: HTTPStatus = .ok) async throws -> Detail? {
                var detail: Detail?
                try await send(.POST, "/cases/\(id)/steps", as: user, body: step) { res in
                    #expect(res.status == status, "\(step.kind) by \(user): \(res.body.string.prefix(400))")
                    if res.status == .ok { detail = try res.content.decode(Detail.self) }
                }
                return detail
            }

            func detail(_ id: String, as user: String = "admin") async throws -> Detail {
                var detail: Detail?
                try await send(.GET, "/cases/\(id)", as: user) { res in detail = try res.content.decode(Detail.self) }
                return try #require(detail)
            }
        }

        /// A professionally managed 七政 compound and an abandoned one; the managed one's
        /// company gets a staff user, `qzstaff`.
        static func compounds(_ app: Application) async throws -> (managed: Compound, abandoned: Compound) {
            let qz = try await app.streetOffice(code: "QZ")
            let all = try await Compound.query(on: app.db).filter(\.$streetOffice.$id == qz.id!).sort(\.$code).all()
            let managed = try #require(all.first { $0.$company.id != nil && $0.management == .professional })
            let abandoned = try #require(all.first { $0.management == .abandoned })
            if try await User.query(on: app.db).filter(\.$username == "qzstaff").first() == nil {
                let staff = User()
                staff.username = "qzstaff"
                staff.displayName = "七政在管物业 客服"
                staff.passwordHash = "unused"
                staff.role = .companyStaff
                staff.$company.id = managed.$company.id
                try await staff.create(on: app.db)
            }
            return (managed, abandoned)
        }

        static func hotline(_ compound: Compound, _ domain: Components.Schemas.CaseDomain, number: String = UUID().uuidString,
                            phone: String = "138-1234-5678") -> Components.Schemas.CaseIntake {
            .init(channel: .hotline, externalNumber: number, reporterName: "张女士", reporterPhone: phone, compoundCode: compound.code,
                  domain: domain, description: "楼道下水堵塞，污水外溢")
        }

        @Test("Repeats: linked within 30 days; the third goes red, to the bureau, and on the company's credit")
        func repeats() async throws {
            try await withApp { app in
                let api = API(app: app)
                let (managed, _) = try await Self.compounds(app)
                let one = try #require(try await api.intake(Self.hotline(managed, .sanitation)))
                let two = try #require(try await api.intake(Self.hotline(managed, .sanitation)))
                let three = try #require(try await api.intake(Self.hotline(managed, .sanitation)))
                #expect(one.repeatCount == 1 && two.repeatCount == 2 && two.repeatOf == one.id)
                #expect(three.repeatCount == 3 && three.colour == .red && three.escalated && !two.escalated)
                #expect(try await CaseCreditEvent.query(on: app.db).filter(\.$kind == .thirdRepeat).count() == 1)
                try await api.send(.GET, "/cases?repeat=true", as: "qizheng") { res in
                    let page = try res.content.decode(Components.Schemas.CasePage.self)
                    #expect(page.total == 2)
                }
                // Repeated heating complaints go red and to the bureau too, but they are the
                // heating department's to answer: nothing on the property company's credit.
                for _ in 0..<3 { _ = try await api.intake(Self.hotline(managed, .heating)) }
                #expect(try await CaseCreditEvent.query(on: app.db).filter(\.$kind == .thirdRepeat).count() == 1)
            }
        }

        @Test("Intake in groups: one transaction for many cases, and still one answer per intake — repeats, duplicates, bad input and scope each as alone")
        func groupedIntake() async throws {
            try await withApp { app in
                let (managed, abandoned) = try await Self.compounds(app)
                let operatorActor = try #require(try await User.query(on: app.db).filter(\.$username == "rexian").first()).actor
                let gridWorker = try #require(try await User.query(on: app.db).filter(\.$username == "wangge").first()).actor
                let huayuan = try #require(try await Compound.query(on: app.db).filter(\.$streetOffice.$id != managed.$streetOffice.id).first())
                let service = CaseService(db: app.db, actor: operatorActor, now: app.clock.now())
                func hotline(_ compound: Compound, _ domain: CaseDomain, _ number: String, phone: String = "13812345678",
                             code: String? = nil, received: Date? = nil) -> CaseIntake {
                    CaseIntake(channel: .hotline, externalNumber: number, receivedAt: received, reporterName: "李先生", reporterPhone: phone,
                                       compoundCode: code ?? compound.code, domain: domain, description: "楼道灯不亮")
                }
                let yesterday = app.clock.now().addingTimeInterval(-86_400)
                let before = try #require(try await service.intake(hotline(abandoned, .maintenanceFund, "EARLIER-1")).0.id)
                let grid = CaseService(db: app.db, actor: gridWorker, now: app.clock.now())
                let group = [
                    service.check(hotline(managed, .propertyService, "G-1")),
                    service.check(hotline(managed, .propertyService, "G-2")),
                    service.check(hotline(abandoned, .maintenanceFund, "EARLIER-1")),   // already in the database
                    service.check(hotline(managed, .propertyService, "G-3")),
                    service.check(hotline(managed, .propertyService, "G-1")),           // the same work order twice in one group
                    service.check(hotline(managed, .parking, "G-4", code: "NO-SUCH")),
                    service.check(hotline(managed, .parking, "G-5", phone: "12", code: "NO-SUCH")),
                    grid.check(CaseIntake(channel: .gridPatrol, reporterName: "网格员", reporterPhone: "13900000000",
                                                  compoundCode: huayuan.code, domain: .sanitation, description: "垃圾满溢")),
                    // Received yesterday: numbered in yesterday's count.
                    service.check(hotline(managed, .water, "G-Y1", received: yesterday)),
                    service.check(hotline(managed, .water, "G-Y2", received: yesterday)),
                ]
                // The writer's own store (its own connection), as under load.
                let store = try await app.intakeLane.store(models: app.db)
                var writer = CaseIntakeWriter(store: store, reference: try await IntakeReference.load(store: store))
                let outcomes = await writer.write(group)
                #expect(outcomes.count == group.count)
                let one = try outcomes[0].get().answer, two = try outcomes[1].get().answer, three = try outcomes[3].get().answer
                #expect(one.created && two.created && three.created)
                #expect(one.0.repeatCount == 1 && two.0.repeatCount == 2 && two.0.repeatOfID == one.0.id)
                #expect(three.0.repeatCount == 3 && three.0.colour == .red && three.0.escalatedAt != nil && two.0.colour == .yellow)
                let again = try outcomes[4].get().answer, existing = try outcomes[2].get().answer
                #expect(!again.created && again.0.id == one.0.id)
                #expect(!existing.created && existing.0.id == before)
                for (index, fields) in [(5, ["compoundCode"]), (6, ["reporterPhone", "compoundCode"])] {
                    guard case .failure(let error as DomainError) = outcomes[index] else {
                        Issue.record("intake \(index) was not refused")
                        continue
                    }
                    #expect(error.fields.map(\.field).sorted() == fields.sorted())
                }
                guard case .failure(let scope as DomainError) = outcomes[7] else { Issue.record("out-of-scope intake was taken"); return }
                #expect(scope.code == "forbidden")

                // Written: three new cases with consecutive numbers, their first events, one credit event.
                let numbers = [one, two, three].map { $0.0.number }
                let tails = numbers.map { Int($0.suffix(4))! }
                #expect(Set(numbers).count == 3 && tails == [tails[0], tails[0] + 1, tails[0] + 2])
                let yesterdays = try [8, 9].map { try outcomes[$0].get().answer.0.number }
                let yesterdayPrefix = CaseNumbers.prefix(day: Calendar.shanghai.day(yesterday))
                #expect(yesterdays == [yesterdayPrefix + "0001", yesterdayPrefix + "0002"])
                #expect(try await CaseRecord.query(on: app.db).count() == 6)
                #expect(try await CaseRecord.query(on: app.db).filter(\.$externalNumber == "G-1").count() == 1)
                let kinds = try await CaseEvent.query(on: app.db).filter(\.$caseRecord.$id == three.0.id!).sort(\.$sequence).all().map(\.kind)
                #expect(kinds == ["received", "dispatched", "repeat", "escalated"])
                #expect(try await CaseCreditEvent.query(on: app.db).filter(\.$kind == .thirdRepeat).count() == 1)
            }
        }

        @Test("A writer whose registry is out of date reads it again before it writes: a compound's new code is found")
        func writerRereadsChangedRegistry() async throws {
            try await withApp { app in
                let (managed, _) = try await Self.compounds(app)
                let operatorActor = try #require(try await User.query(on: app.db).filter(\.$username == "rexian").first()).actor
                let store = try await app.intakeLane.store(models: app.db)
                var writer = CaseIntakeWriter(store: store, reference: try await IntakeReference.load(store: store))
                let before = writer.reference.version
                managed.code = "RENAMED-1"
                try await managed.save(on: app.db)
                let service = CaseService(db: app.db, actor: operatorActor, now: app.clock.now())
                let outcomes = await writer.write([service.check(CaseIntake(
                    channel: .hotline, externalNumber: "R-1", reporterName: "李先生", reporterPhone: "13812345678",
                    compoundCode: "RENAMED-1", domain: .parking, description: "占用消防通道"))])
                let (record, created) = try outcomes[0].get().answer
                #expect(created && record.$compound.id == managed.id)
                #expect(writer.reference.version > before && writer.reference.compoundsByCode["RENAMED-1"]?.id == managed.id)
            }
        }

        @Test("Intake through the application's queue: forty callers at once, the same work orders twice, one case each")
        func concurrentIntake() async throws {
            try await withApp { app in
                let (managed, _) = try await Self.compounds(app)
                let operatorActor = try #require(try await User.query(on: app.db).filter(\.$username == "rexian").first()).actor
                let answers = try await withThrowingTaskGroup(of: (String, UUID, Bool).self) { group in
                    for caller in 0..<40 {
                        group.addTask {
                            let number = "Q-\(caller % 20)"
                            let intake = CaseIntake(channel: .hotline, externalNumber: number, reporterName: "王女士", reporterPhone: "13700000000",
                                                            compoundCode: managed.code, domain: CaseDomain.allCases[caller % 20 % CaseDomain.allCases.count],
                                                            description: "第\(caller)个来电")
                            let (record, created) = try await CaseService(app: app, actor: operatorActor).intake(intake)
                            return (number, record.id!, created)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.count == 40)
                #expect(answers.filter(\.2).count == 20)
                for (number, calls) in Dictionary(grouping: answers, by: \.0) {
                    #expect(calls.count == 2 && Set(calls.map(\.1)).count == 1, "\(number)")
                }
                let numbers = try await CaseRecord.query(on: app.db).all().map(\.number)
                #expect(numbers.count == 20 && Set(numbers).count == 20)

                // The queue keeps the registry and settings in memory; a change is seen by the next intake.
                func parking(_ number: String) async throws -> CaseRecord {
                    try await CaseService(app: app, actor: operatorActor).intake(CaseIntake(
                        channel: .hotline, externalNumber: number, reporterName: "王女士", reporterPhone: "13700000000",
                        compoundCode: managed.code, domain: .parking, description: "车位被占")).0
                }
                #expect(try await parking("R-1").handlerKind == .company)
                let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first()).actor
                try await CaseSettingsService(db: app.db, actor: admin, now: app.clock.now())
                    .update(rules: try await CaseSettings.load(on: app.db).rules, routing: [.parking: .department(.cityManagement)])
                let routed = try await parking("R-2")
                #expect(routed.handlerKind == .department && routed.loadedDepartment?.kind == .cityManagement)
                let other = try #require(try await Company.properties(on: app.db).filter(\.$id != managed.$company.id!).first())
                try await Compound.query(on: app.db).filter(\.$id == managed.id!).set(\.$company.$id, to: other.id).update()
                try await CaseSettingsService(db: app.db, actor: admin, now: app.clock.now())
                    .update(rules: try await CaseSettings.load(on: app.db).rules, routing: [.parking: .manager])
                let moved = try await parking("R-3")
                #expect(moved.handlerKind == .company && moved.$handlerCompany.id == other.id)
            }
        }

        /// Last year: three cases on the abandoned compound; this year: two on the managed one,
        /// one replied and followed up, one solved on the spot.
        static func twoYearsOfCases(_ app: Application, _ api: API) async throws {
            let (managed, abandoned) = try await compounds(app)
            let lastYear = Calendar.shanghai.date(byAdding: .year, value: -1, to: app.clock.now())!
            for _ in 0..<3 {
                var old = hotline(abandoned, .heating)
                old.receivedAt = lastYear.addingTimeInterval(-3600)
                _ = try await api.intake(old)
            }
            let open = try #require(try await api.intake(hotline(managed, .propertyService)))
            _ = try await api.step(open.id, .init(kind: .accept), as: "qzstaff")
            _ = try await api.step(open.id, .init(kind: .reply, text: "已处理"), as: "qzstaff")
            _ = try await api.step(open.id, .init(kind: .followUp, satisfaction: .basicallySatisfied), as: "rexian")
            var green = hotline(managed, .parking)
            green.resolution = "已协调"
            _ = try await api.intake(green)
        }

        @Test("Figures per street office against the same period last year; per domain in a company's own scope; a backwards period is refused")
        func figures() async throws {
            try await withApp { app in
                let api = API(app: app)
                try await Self.twoYearsOfCases(app, api)
                let now = app.clock.now()
                let from = ISO8601DateFormatter().string(from: now.addingTimeInterval(-30 * 86_400))
                let to = ISO8601DateFormatter().string(from: now.addingTimeInterval(86_400))

                try await api.send(.GET, "/case-figures?groupBy=streetOffice&from=\(from)&to=\(to)", as: "admin") { res in
                    #expect(res.status == .ok)
                    let report = try res.content.decode(Components.Schemas.CaseFiguresReport.self)
                    let qz = try #require(report.rows.first { $0.name == "七政街道" })
                    #expect(qz.current.total == 2 && qz.previous.total == 3 && qz.current.green == 1)
                    #expect(qz.current.resolutionRate == 1.0 && qz.current.satisfactionRate == 1.0 && qz.current.onTimeRate == 1.0)
                    #expect(qz.current.responseRate == 1.0 && qz.change.map { abs($0 + 1.0 / 3) < 1e-9 } == true)
                    #expect((qz.perThousandHouseholds ?? 0) > 0 && report.total.current.total == 2)
                }
                try await api.send(.GET, "/case-figures?groupBy=domain&from=\(from)&to=\(to)", as: "qzstaff") { res in
                    let report = try res.content.decode(Components.Schemas.CaseFiguresReport.self)
                    #expect(report.total.current.total == 1 && report.rows.map(\.key) == ["propertyService"])
                }
                try await api.send(.GET, "/case-figures?groupBy=domain&from=\(to)&to=\(from)", as: "admin") { res in
                    #expect(res.status == .unprocessableEntity)
                }
            }
        }

        @Test("The ledger exports as CSV with a BOM and as .xlsx, a row per case the caller sees, phones masked")
        func export() async throws {
            try await withApp { app in
                let api = API(app: app)
                try await Self.twoYearsOfCases(app, api)

                try await api.send(.GET, "/cases/export", as: "qizheng") { res in
                    let text = res.body.string
                    #expect(text.hasPrefix("\u{FEFF}number,colour"))
                    let rows = try CSV.parse(String(text.dropFirst()))
                    #expect(rows.count == 1 + 5)
                    #expect(!text.contains("13812345678") && text.contains("138****5678"))
                    // The street office sees its companies' cases, but only their handler and the bureau see who called.
                    #expect(text.contains("张**"))
                }
                try await api.send(.GET, "/cases/export?format=xlsx", as: "qizheng") { res in
                    #expect(res.status == .ok && res.headers.contentType?.subType.hasPrefix("vnd.openxmlformats") == true)
                    // A real compressed workbook: its parts deflated, each CRC and size right.
                    let entries = try ZipReading.entries([UInt8](res.body.readableBytesView))
                    #expect(entries.map(\.name) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
                    let sheet = String(decoding: try #require(entries.last).content, as: UTF8.self)
                    #expect(sheet.components(separatedBy: "<row ").count - 1 == 1 + 5)
                    #expect(sheet.hasSuffix("</sheetData></worksheet>") && sheet.contains("138****5678") && !sheet.contains("13812345678"))
                    #expect(res.body.readableBytes < entries.map(\.content.count).reduce(0, +))
                }
            }
        }

        @Test("An export walks the ledger page by page, newest first, every case once, as CSV and as .xlsx, whatever the page size")
        func exportPages() async throws {
            try await withApp { app in
                let api = API(app: app)
                try await Self.twoYearsOfCases(app, api)
                let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first())
                let service = CaseService(db: app.db, actor: admin.actor, now: app.clock.now())
                let all = try await service.ledger(.init(limit: 500)).items.map(\.number)
                #expect(all.count >= 5)
                for pageSize in [1, 2, 3, 1000] {
                    let csv = try await CaseLedgerExport(service: service, filter: .init(), language: .zh, format: .csv, pageSize: pageSize).checked().data()
                    let rows = try CSV.parse(String(decoding: csv.dropFirst(3), as: UTF8.self))
                    // Several cases share a receipt time: the id breaks the tie, so none is read twice or skipped.
                    #expect(rows.dropFirst().map { $0.fields[0] }.sorted() == all.sorted(), "page size \(pageSize)")
                    let xlsx = try await CaseLedgerExport(service: service, filter: .init(), language: .zh, format: .xlsx, pageSize: pageSize).checked().data()
                    let sheet = String(decoding: try #require(try ZipReading.entries([UInt8](xlsx)).last).content, as: UTF8.self)
                    #expect(sheet.components(separatedBy: "<row ").count - 1 == 1 + all.count, "page size \(pageSize)")
                }
                // Every export is on the audit log, with what it held: it carries residents' names.
                let exports = try await AuditEntry.query(on: app.db).filter(\.$action == "export").all()
                #expect(exports.count == 8 && exports.allSatisfy { $0.actorName == "admin" && $0.entityType == "caseLedger" })
                #expect(exports.allSatisfy { $0.after?.contains("\"cases\":\"\(all.count)\"") == true })
            }
        }

        @Test("The roll-up's triggers: per statement on PostgreSQL, per row when that migration is reverted, per row on SQLite; cases counted either way")
        func rollUpTriggers() async throws {
            try await withApp { app in
                let api = API(app: app)
                let (managed, _) = try await Self.compounds(app)
                let sql = try #require(app.db as? any SQLDatabase)
                struct Name: Decodable { var name: String }
                struct Total: Decodable { var total: Int? }
                func triggers() async throws -> [String] {
                    let query: SQLQueryString = sql.dialect.name == "postgresql"
                        ? "SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'cases'::regclass AND NOT tgisinternal ORDER BY tgname"
                        : "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases' ORDER BY name"
                    return try await sql.raw(query).all(decoding: Name.self).map(\.name)
                }
                func counted() async throws -> Int {
                    try await sql.raw("SELECT CAST(SUM(total) AS BIGINT) AS total FROM case_figures_daily").first(decoding: Total.self)?.total ?? 0
                }
                let perRow = sql.dialect.name == "postgresql" ? ["case_figures_roll_up"] : ["case_figures_after_insert", "case_figures_after_update"]
                let now = sql.dialect.name == "postgresql" ? ["case_figures_rolled_up_insert", "case_figures_rolled_up_update"] : perRow
                #expect(try await triggers() == now)
                let before = try await counted()
                _ = try #require(try await api.intake(Self.hotline(managed, .parking)))
                #expect(try await counted() == before + 1)

                try await RollUpCaseFiguresPerStatement().revert(on: app.db)
                #expect(try await triggers() == perRow)
                _ = try #require(try await api.intake(Self.hotline(managed, .parking)))
                #expect(try await counted() == before + 2)

                try await RollUpCaseFiguresPerStatement().prepare(on: app.db)
                #expect(try await triggers() == now)
                _ = try #require(try await api.intake(Self.hotline(managed, .sanitation)))
                #expect(try await counted() == before + 3)
            }
        }

        @Test("The daily roll-up agrees with counting the cases: after intake, steps, a return and re-dispatch, timers; for every grouping, role and period")
        func figureRollUp() async throws {
            try await withApp { app in
                let clock = TestClock.mondayMorning(on: app)
                let api = API(app: app)
                let (managed, abandoned) = try await Self.compounds(app)
                let others = try await Compound.query(on: app.db).filter(\.$streetOffice.$id != managed.$streetOffice.id).limit(3).all()
                // Cases before the roll-up existed are rolled up when it is created.
                try await CaseFigureRollUp.drop(on: app.db)
                for (offset, compound) in ([managed, abandoned] + others).enumerated() {
                    var earlier = Self.hotline(compound, CaseDomain.allCases[offset % 5 == 0 ? 3 : offset].wire)
                    earlier.receivedAt = clock.now.addingTimeInterval(-Double(offset) * 86_400 - 3600)
                    _ = try await api.intake(earlier)
                }
                try await CaseFigureRollUp.create(on: app.db)
                var ids: [String] = []
                for day in 0..<12 {
                    for (offset, compound) in ([managed, abandoned] + others).enumerated() {
                        var intake = Self.hotline(compound, CaseDomain.allCases[(day + offset) % CaseDomain.allCases.count].wire)
                        intake.receivedAt = clock.now.addingTimeInterval(-Double(day) * 86_400 * 1.5 - Double(offset) * 600)
                        if (day + offset) % 7 == 0 { intake.resolution = "当场解决" }
                        if let c = try await api.intake(intake) { ids.append(c.id) }
                    }
                }
                let managedCase = try #require(try await api.intake(Self.hotline(managed, .propertyService)))
                _ = try await api.step(managedCase.id, .init(kind: .accept), as: "qzstaff")
                _ = try await api.step(managedCase.id, .init(kind: .reply, text: "已处理"), as: "qzstaff")
                _ = try await api.step(managedCase.id, .init(kind: .followUp, satisfaction: .dissatisfied), as: "rexian")
                let heating = try #require(try await api.intake(Self.hotline(managed, .heating)))
                _ = try await api.step(heating.id, .init(kind: ._return, text: "属物业服务"), as: "gongre")
                _ = try await api.step(heating.id, .init(kind: .dispatch, handler: .company, companyId: managed.$company.id!.uuidString), as: "qizheng")
                clock.advance(days: 5)
                _ = try await CaseTimers(db: app.db, now: clock.now).run()

                let figures = { (user: String) async throws -> CaseFigures in
                    let actor = try #require(try await User.query(on: app.db).filter(\.$username == user).first()).actor
                    return CaseFigures(db: app.db, actor: actor)
                }
                let midnight = Calendar.shanghai.start(of: Calendar.shanghai.day(clock.now.addingTimeInterval(-40 * 86_400)))!
                let periods = [(midnight, midnight.addingTimeInterval(45 * 86_400)),
                               (midnight.addingTimeInterval(7 * 3600), clock.now.addingTimeInterval(-3 * 86_400 - 1234)),
                               (clock.now.addingTimeInterval(-8 * 86_400 - 60), clock.now.addingTimeInterval(-8 * 86_400 + 7200))]
                var compared = 0
                for user in ["admin", "qizheng", "qzstaff", "gongre"] {
                    let f = try await figures(user)
                    for grouping in CaseFigures.Grouping.allCases {
                        for (from, to) in periods {
                            let mixed = try await f.counts(grouping, from: from, to: to)
                            let direct = try await f.counts(grouping, .cases(from, to))
                            #expect(mixed == direct, "\(user) \(grouping) \(from)–\(to)")
                            compared += direct.values.reduce(0) { $0 + $1.total }
                        }
                    }
                }
                #expect(compared > 100)
                let all = try await figures("admin").counts(.domain, from: midnight, to: midnight.addingTimeInterval(45 * 86_400))
                #expect(all.values.reduce(0) { $0 + $1.total } == ids.count + 2 + 5)
                #expect(all.values.reduce(0) { $0 + $1.overdue } > 0 && all.values.reduce(0) { $0 + $1.followedUp } == 1)
            }
        }

        @Test("A period is cut into parts of days, whole days and whole months (Shanghai)")
        func figurePieces() throws {
            typealias R = CaseFigureRollUp
            let start = { (day: String) in try #require(Calendar.shanghai.start(of: day)) }
            let day = { (text: String) in R.dayNumber(try start(text)) }
            let from = try start("2026-01-15").addingTimeInterval(10 * 3600), to = try start("2026-04-03")
            #expect(R.pieces(from: from, to: to) == [
                .cases(from, try start("2026-01-16")), .days(try day("2026-01-16"), try day("2026-02-01")),
                .months(2026 * 12 + 1, 2026 * 12 + 3), .days(try day("2026-04-01"), try day("2026-04-03")),
            ])
            #expect(R.pieces(from: try start("2025-01-01"), to: try start("2026-01-01")) == [.months(2025 * 12, 2026 * 12)])
            #expect(R.pieces(from: try start("2025-03-03"), to: try start("2025-03-20")) == [.days(try day("2025-03-03"), try day("2025-03-20"))])
            let noon = try start("2025-03-03").addingTimeInterval(12 * 3600)
            #expect(R.pieces(from: noon, to: noon.addingTimeInterval(3600)) == [.cases(noon, noon.addingTimeInterval(3600))])
            #expect(R.pieces(from: noon, to: noon) == [])
            let newYearsEve = try day("2025-12-31"), newYear = try day("2026-01-01")
            #expect(R.monthNumber(ofDay: newYearsEve) == 2025 * 12 + 11 && R.firstDay(ofMonth: 2026 * 12) == newYear)
        }

        @Test("The public form: a resident files without logging in, looks the case up with the phone's last four digits; five an hour")
        func publicForm() async throws {
            try await withApp { app in
                let (managed, _) = try await Self.compounds(app)
                func file(_ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/api/v1/public/cases", beforeRequest: { req in
                        try req.json(Components.Schemas.PublicCaseInput(reporterName: "周先生", reporterPhone: "13911112222", compoundCode: managed.code,
                                                                         domain: .parking, description: "消防通道被私家车堵住"))
                    }, afterResponse: check)
                }
                var number = ""
                try await file { res in
                    #expect(res.status == .created)
                    let filed = try res.content.decode(Components.Schemas.PublicCase.self)
                    number = filed.number
                    #expect(filed.state == .dispatched && filed.steps.map(\.kind) == ["received", "dispatched"])
                }
                let record = try #require(try await CaseRecord.query(on: app.db).filter(\.$number == number).first())
                #expect(record.channel == .webForm && record.takenByID == nil)
                try await app.testing().test(.GET, "/api/v1/public/cases/\(number)?phone4=0000") { res in #expect(res.status == .notFound) }
                try await app.testing().test(.GET, "/api/v1/public/cases/\(number)?phone4=2222") { res in #expect(res.status == .ok) }
                try await app.testing().test(.POST, "/api/v1/public/cases", beforeRequest: { req in
                    try req.json(Components.Schemas.PublicCaseInput(reporterName: "", reporterPhone: "1", domain: .parking, description: ""))
                }) { res in
                    #expect(res.status == .unprocessableEntity)
                    let fields = Set(res.apiError?.details.map(\.field) ?? [])
                    #expect(fields.isSuperset(of: ["reporterName", "reporterPhone", "description"]))
                }
                for _ in 0..<4 { try await file { res in #expect(res.status == .created) } }
                try await file { res in #expect(res.status == .tooManyRequests) }
                #expect(try await CaseRecord.query(on: app.db).filter(\.$channel == .webForm).count() == 5)
                // The pages.
                try await app.testing().test(.GET, "/public/cases") { res in #expect(res.status == .ok && res.body.string.contains("public-case")) }
                try await app.testing().test(.GET, "/public/cases/lookup?number=\(number)&phone4=2222") { res in
                    #expect(res.body.string.contains("id=\"case-state\"") && res.body.string.contains("已派单"))
                }
                try await app.testing().test(.GET, "/public/cases/lookup?number=\(number)&phone4=9999") { res in
                    #expect(!res.body.string.contains("id=\"case-state\""))
                }
            }
        }

        @Test("Photos: real images only, size-limited, readable by whoever reads the case")
        func photos() async throws {
            try await withApp { app in
                let api = API(app: app)
                let (managed, _) = try await Self.compounds(app)
                let c = try #require(try await api.intake(Self.hotline(managed, .propertyService)))
                let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 100))
                let token = try await app.token("rexian")
                func upload(_ data: Data, as type: String, _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/api/v1/cases/\(c.id)/photos", headers: ["Authorization": "Bearer \(token)", "Content-Type": type],
                                                 beforeRequest: { req in req.body = ByteBuffer(data: data) }, afterResponse: check)
                }
                var photoID = ""
                try await upload(png, as: "image/png") { res in
                    #expect(res.status == .created)
                    photoID = try res.content.decode(Components.Schemas.CasePhoto.self).id
                }
                try await upload(Data("not an image".utf8), as: "image/jpeg") { res in #expect(res.status == .unprocessableEntity) }
                try await upload(png, as: "image/jpeg") { res in #expect(res.status == .unprocessableEntity && res.apiError?.code == "wrong_type") }
                try await upload(Data([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0, count: CasePhotos.maxBytes)), as: "image/jpeg") { res in
                    #expect(res.status == .payloadTooLarge)
                }
                try await api.send(.GET, "/cases/\(c.id)/photos/\(photoID)", as: "qzstaff") { res in
                    #expect(res.status == .ok && res.headers.contentType?.subType == "png" && res.body.readableBytes == png.count)
                }
                try await api.send(.GET, "/cases/\(c.id)/photos/\(photoID)", as: "gongre") { res in #expect(res.status == .notFound) }
                #expect(try await api.detail(c.id).photos.count == 1)
            }
        }
    }
}

extension CaseDomain {
    var wire: Components.Schemas.CaseDomain { .init(rawValue: rawValue)! }
}
