import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import YijuCore
@testable import YijuServer

extension ServerTests {
    @Suite("Renovation: the builder's site diary (施工日志), checked against the site rules")
    struct SiteDiaryTests {
        typealias Day = Components.Schemas.DiaryDay
        typealias Diary = Components.Schemas.SiteDiary

        /// A project under consultation with the demo's builder (shigong's company) engaged.
        struct Site {
            let c: ConsultationTests.Consulting
            let contractors: EngagementTests.Contractors

            init(_ app: Application) async throws {
                c = try await ConsultationTests.Consulting(app)
                contractors = try await EngagementTests.Contractors(app)
                let (engaged, _) = try await EngagementTests().engage(c.d, c.id, [
                    try EngagementTests.input(.construction, contractors.builder),
                    try EngagementTests.input(.supervision, contractors.supervisor, lead: "张监理"),
                ])
                _ = try #require(engaged)
            }

            var api: CaseTests.API { c.d.api }
            var today: String { c.today }

            static func input(workers: Int = 18, noise: [Components.Schemas.NoiseReading] = [], dust: Bool = true, waste: Bool = true,
                              incidents: [String]? = nil) -> Components.Schemas.DiaryEntryInput {
                .init(weather: "晴", workDone: "3号楼外墙保温、屋面防水施工", workers: workers, machines: ["吊篮", "卷扬机"], noise: noise,
                      dustSuppressed: dust, wasteCleared: waste, incidents: incidents)
            }

            func write(_ day: String, _ body: Components.Schemas.DiaryEntryInput = input(), as user: String = "shigong",
                       expect status: HTTPStatus = .ok) async throws -> (Day?, APIError.Inner?) {
                var written: Day?, error: APIError.Inner?
                try await api.send(.PUT, "/renovation-projects/\(c.id)/diary/\(day)", as: user, body: body) { res in
                    #expect(res.status == status, "\(day) by \(user): \(res.body.string.prefix(500))")
                    if res.status == .ok { written = try res.content.decode(Day.self) } else { error = res.apiError }
                }
                return (written, error)
            }

            func diary(as user: String, expect status: HTTPStatus = .ok) async throws -> Diary? {
                var diary: Diary?
                try await api.send(.GET, "/renovation-projects/\(c.id)/diary", as: user) { res in
                    #expect(res.status == status, "\(user): \(res.body.string.prefix(300))")
                    if res.status == .ok { diary = try res.content.decode(Diary.self) }
                }
                return diary
            }
        }

        @Test("The builder writes its days while the works are on: each checked against the limits of its hour, what failed kept; today may be rewritten, not an earlier day")
        func keepTheDiary() async throws {
            try await withApp(demo: true) { app in
                let site = try await Site(app)
                let early = try await site.write(site.today, expect: .conflict).1
                #expect(early?.code == "works_not_on")

                try await site.c.toWorks()
                let started = site.today
                let before = try await site.write(Calendar.shanghai.day(started, plus: -1), expect: .unprocessableEntity).1
                #expect(before?.details.map(\.field) == ["day"] && before?.details.first?.reason.contains(started) == true)
                let ahead = try await site.write(Calendar.shanghai.day(started, plus: 1), expect: .unprocessableEntity).1
                #expect(ahead?.details.map(\.field) == ["day"])
                let bad = try await site.write(started, Site.input(workers: -2, noise: [.init(time: "26:00", decibels: 60)]), expect: .unprocessableEntity).1
                #expect(bad?.details.map(\.field) == ["workers", "noise[0].time"])
                #expect(try await SiteDiaryRecord.query(on: app.db).count() == 0)

                // 09:30 at 74 dB breaks the day's 70; 21:00 at 66 is within it; dust was not suppressed.
                let loud = Site.input(noise: [.init(time: "09:30", decibels: 74, place: "3号楼东侧"), .init(time: "21:00", decibels: 66)], dust: false)
                let first = try #require(try await site.write(started, loud).0)
                #expect(first.findings.map(\.kind) == [.noise, .dust])
                #expect(first.findings[0].reading == 0 && first.findings[0].limitDecibels == 70 && first.findings[0].period == "day")
                #expect(first.companyId == (try site.contractors.builder.requireID().uuidString) && first.recordedBy == "shigong")
                let created = try #require(try await AuditEntry.query(on: app.db).filter(\.$entityType == "siteDiary").first())
                #expect(created.action == "create" && created.actorName == "shigong" && created.after?.contains("3号楼东侧") == true)

                // The same day again while it is today: a correction, audited with what it replaced.
                let quiet = try #require(try await site.write(started, Site.input(noise: [.init(time: "09:30", decibels: 64)], incidents: ["2号楼雨水管碰裂，当日修复"])).0)
                #expect(quiet.findings.isEmpty && quiet.id == first.id && quiet.incidents == ["2号楼雨水管碰裂，当日修复"])
                let updated = try await AuditEntry.query(on: app.db).filter(\.$entityType == "siteDiary").filter(\.$action == "update").all()
                #expect(updated.count == 1 && updated.first?.before?.contains("3号楼东侧") == true)

                // The next day, yesterday is closed; a night reading is held to 55.
                site.c.d.clock.advance(days: 1)
                let closed = try await site.write(started, expect: .conflict).1
                #expect(closed?.code == "diary_day_closed")
                let night = try #require(try await site.write(site.today, Site.input(noise: [.init(time: "22:30", decibels: 58)])).0)
                #expect(night.findings.map(\.period) == ["night"] && night.findings.first?.limitDecibels == 55)

                let diary = try #require(try await site.diary(as: "shigong"))
                #expect(diary.days.map(\.day) == [site.today, started] && diary.mayWrite && diary.worksStarted == started)
                #expect(diary.builder?.companyName == site.contractors.builder.name && diary.rules.nightLimitDecibels == 55)

                // Once acceptance is requested, the diary is closed.
                _ = try await site.c.d.step(site.c.id, .requestAcceptance)
                #expect(try await site.write(site.today, expect: .conflict).1?.code == "works_not_on")
                #expect(try await site.diary(as: "shigong")?.mayWrite == false)
            }
        }

        @Test("Whoever reads the project reads its diary; only the builder's staff write it — not the street officer, the bureau, a grid worker or a department")
        func whoWrites() async throws {
            try await withApp(demo: true) { app in
                let site = try await Site(app)
                try await site.c.toWorks()
                for user in ["qizheng", "admin", "wangge", "gongre"] {
                    let refused = try await site.write(site.today, as: user, expect: .forbidden).1
                    #expect(refused?.code != nil)
                }
                _ = try await site.write(site.today, as: "zhengyi", expect: .notFound)
                #expect(try await SiteDiaryRecord.query(on: app.db).count() == 0)
                _ = try #require(try await site.write(site.today).0)
                for user in ["qizheng", "admin", "wangge", "rexian", "gongre"] {
                    let diary = try #require(try await site.diary(as: user))
                    #expect(diary.days.count == 1 && !diary.mayWrite, "\(user)")
                }
                _ = try await site.diary(as: "zhengyi", expect: .notFound)
            }
        }

        @Test("Photos of a written day: real images only, read by whoever reads the project, none for a day not written")
        func photos() async throws {
            try await withApp(demo: true) { app in
                let site = try await Site(app)
                try await site.c.toWorks()
                let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64))
                func upload(_ data: Data, day: String, as user: String = "shigong", _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, "/api/v1/renovation-projects/\(site.c.id)/diary/\(day)/photos",
                                                 headers: ["Authorization": "Bearer \(try await app.token(user))", "Content-Type": "image/png"],
                                                 beforeRequest: { req in req.body = ByteBuffer(data: data) }, afterResponse: check)
                }
                try await upload(png, day: site.today) { res in #expect(res.status == .notFound) }
                _ = try #require(try await site.write(site.today).0)
                var photoID = ""
                try await upload(png, day: site.today) { res in
                    #expect(res.status == .created)
                    photoID = try res.content.decode(Components.Schemas.CasePhoto.self).id
                }
                try await upload(Data("a text file".utf8), day: site.today) { res in
                    #expect(res.status == .unprocessableEntity && res.apiError?.code == "not_an_image")
                }
                try await upload(png, day: site.today, as: "qizheng") { res in #expect(res.status == .forbidden) }
                #expect(try await SiteDiaryPhoto.query(on: app.db).count() == 1)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "siteDiaryPhoto").count() == 1)
                #expect(try await site.diary(as: "qizheng")?.days.first?.photos.map(\.id) == [photoID])
                try await site.api.send(.GET, "/renovation-projects/\(site.c.id)/diary-photos/\(photoID)", as: "qizheng") { res in
                    #expect(res.status == .ok && res.headers.contentType?.description == "image/png" && Data(buffer: res.body) == png)
                }
                try await site.api.send(.GET, "/renovation-projects/\(site.c.id)/diary-photos/\(photoID)", as: "zhengyi") { res in
                    #expect(res.status == .notFound)
                }
            }
        }

        @Test("The console: the builder's day form on its phone, a line that does not read named, the findings shown; the officer reads without a form")
        func console() async throws {
            try await withApp(demo: true) { app in
                let site = try await Site(app)
                try await site.c.toWorks()
                let console = ConsoleTests()
                let builder = try await console.login(app, "shigong")
                let path = "/console/renovation/\(site.c.id)/diary"
                try await app.testing().test(.GET, path, headers: ["Cookie": builder.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && res.body.string.contains("id=\"diary-form\"") && res.body.string.contains("高考 06-07–06-09 55 dB"))
                }
                var form = ["_csrf": builder.csrf, "day": site.today, "weather": "多云", "workers": "16", "machines": "吊篮、卷扬机",
                            "workDone": "屋面防水", "noise": "09:30 62 3号楼东侧\n很吵", "dustSuppressed": "on"]
                func post(_ check: (TestingHTTPResponse) async throws -> Void) async throws {
                    try await app.testing().test(.POST, path, headers: ["Cookie": builder.cookie.cookieHeader], beforeRequest: { req in
                        try req.content.encode(form, as: .urlEncodedForm)
                    }, afterResponse: check)
                }
                try await post { res in
                    #expect(res.status == .unprocessableEntity && res.body.string.contains("line 2") && res.body.string.contains("屋面防水"))
                }
                form["noise"] = "09:30 62 3号楼东侧\n14:00 72.5"
                try await post { res in #expect(res.status == .seeOther) }
                let stored = try #require(try await SiteDiaryRecord.query(on: app.db).first())
                let entry = try stored.entry
                #expect(entry.machines == ["吊篮", "卷扬机"] && entry.noise.map(\.decibels) == [62, 72.5])
                #expect(try RenovationService.findings(stored).map(\.kind) == [.noise, .waste])
                try await app.testing().test(.GET, path, headers: ["Cookie": builder.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("噪声超标") && res.body.string.contains("建筑垃圾未当日清运") && res.body.string.contains("72.5 dB"))
                }
                let officer = try await console.login(app, "qizheng")
                try await app.testing().test(.GET, path, headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.status == .ok && !res.body.string.contains("id=\"diary-form\"") && res.body.string.contains("施工日志由施工单位填写"))
                }
                try await app.testing().test(.GET, "/console/renovation/\(site.c.id)", headers: ["Cookie": officer.cookie.cookieHeader]) { res in
                    #expect(res.body.string.contains("id=\"diary-link\""))
                }
            }
        }
    }
}
