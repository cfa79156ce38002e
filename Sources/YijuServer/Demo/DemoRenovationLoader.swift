import Fluent
import Foundation
import Vapor
import YijuCore

/// Writes the demo's renovation history (YijuCore's DemoRenovationHistory): each project built
/// in memory by the renovation service's own rules and rows (`DemoProjectRows`), all of them
/// written in one transaction, then what residents and the builder's site brought in since —
/// the objections on the public page and the cases about the works — through the services
/// that take them live, so they are counted, routed and audited as any other.
enum DemoRenovationLoader {
    struct Summary: Sendable {
        var projects = 0, surveyResponses = 0, worksCases = 0
    }

    static func load(into app: Application, district: DemoDistrict, seed: UInt64, now: Date) async throws -> Summary {
        let db = app.db
        let today = Calendar.shanghai.day(now)
        let history = DemoRenovationHistory.generate(district, today: today, seed: seed)
        guard let admin = try await DemoLoader.bureauAdmin(on: db) else { return Summary() }
        let offices = try await StreetOffice.query(on: db).all()
        let officers = try await User.query(on: db).filter(\.$role == .streetOfficer).all()
        let compounds = Dictionary(try await Compound.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let contractors = Dictionary(try await Company.query(on: db).all().map { ($0.registrationNumber, $0) }, uniquingKeysWith: { a, _ in a })
        let settings = try await RenovationSettingsStore.current(on: db)
        var projects: [(spec: DemoRenovationHistory.Project, rows: DemoProjectRows, compounds: [Compound], officer: Actor)] = []
        for spec in history.projects {
            guard let office = offices.first(where: { $0.code == district.streetOffices[spec.streetOffice].code }) else { continue }
            let officer = officers.first { $0.$streetOffice.id == office.id }?.actor ?? admin.actor
            let chosen = try spec.compounds.map { i in
                guard let c = compounds[district.compounds[i].record.code] else { throw DomainError.notFound("demo compound") }
                return c
            }
            let rows = try DemoProjectRows(spec, compounds: chosen, officer: officer, settings: settings, now: now,
                                           contractor: { i in contractors[district.contractors[i].company.registrationNumber] })
            projects.append((spec, rows, chosen, officer))
        }
        let built = projects.map(\.rows)
        try await db.transaction { tx in try await write(built, on: tx, now: now) }

        var summary = Summary(projects: projects.count, surveyResponses: projects.reduce(0) { $0 + $1.rows.answers.count })
        for (spec, rows, chosen, officer) in projects {
            for (k, text) in spec.objections.enumerated() {
                _ = try await PublicRenovation(db: db, now: now).object(rows.id, name: ["王女士", "赵先生"][k % 2], phone: "1390451\(String(format: "%04d", 1_000 + k))",
                                                                         compoundCode: chosen.first?.code, body: text, source: "demo-\(spec.code)-\(k)")
            }
            if spec.stage == .underWorks { summary.worksCases += try await worksCases(chosen, by: officer, on: db, now: now) }
        }
        try await clearStatesWithoutProjects(on: db, now: now)
        try await drawGrid(on: db, history: history, district: district, compounds: compounds, now: now)
        return summary
    }

    /// The projects' rows, the compounds' renovation states and, for the completed projects,
    /// the built items in the compounds' inventories; one audit row per project names its steps.
    static func write(_ projects: [DemoProjectRows], on tx: any Database, now: Date) async throws {
        try await createAll(projects.map(\.project), on: tx)
        try await createAll(projects.flatMap(\.links), on: tx)
        try await createAll(projects.flatMap(\.scope), on: tx)
        try await createAll(projects.flatMap(\.engagements), on: tx)
        try await createAll(projects.flatMap(\.records), on: tx)
        try await createAll(projects.flatMap(\.rounds), on: tx)
        try await createAll(projects.flatMap(\.diary), on: tx)
        try await RowInserts.insert(into: SurveyResponse.schema, HistoricSurveyAnswer.columns, projects.flatMap(\.answers), on: tx)
        let byState = Dictionary(grouping: projects.flatMap(\.states), by: \.value).mapValues { $0.map(\.key) }
        for (state, ids) in byState.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try await Compound.query(on: tx).filter(\.$id ~~ ids).set(\.$renovation, to: state).update()
        }
        try await addBuiltItems(projects.filter { $0.project.status == .completed }.flatMap(\.scope), on: tx)
        for p in projects {
            try await AuditLog.record(on: tx, actor: p.officer, action: .import, entityType: "renovationProject", entityID: p.id,
                                      after: ["code": p.project.code, "status": p.project.status.rawValue, "source": "demo history",
                                              "steps": p.steps.joined(separator: "; "), "journal": String(p.records.count),
                                              "surveyAnswers": String(p.answers.count)], at: now)
        }
    }

    /// What completion adds to the compounds' inventories, as `RenovationService.recordBuiltItems`
    /// does, the new facilities in one INSERT.
    static func addBuiltItems(_ lines: [RenovationScopeItem], on tx: any Database) async throws {
        let byCompound = Dictionary(grouping: lines.compactMap { line in line.$compound.id.map { ($0, line) } }, by: \.0).mapValues { $0.map(\.1) }
        let existing = Dictionary(grouping: try await CompoundFacility.query(on: tx).filter(\.$compound.$id ~~ Array(byCompound.keys)).all(),
                                  by: \.$compound.id)
        var added: [CompoundFacility] = []
        for (compoundID, built) in byCompound {
            let facilities = existing[compoundID] ?? []
            for line in built {
                let (facility, isNew) = RenovationService.build(line, into: facilities, of: compoundID)
                if isNew { added.append(facility) } else { try await facility.update(on: tx) }
            }
        }
        try await createAll(added, on: tx)
    }

    /// Models in INSERTs of a few hundred rows, under SQLite's bound-parameter limit.
    static func createAll<M: Model>(_ models: [M], on db: any Database) async throws {
        for start in stride(from: 0, to: models.count, by: 500) {
            try await Array(models[start..<min(start + 500, models.count)]).create(on: db)
        }
    }

    /// Cases residents brought to the reception room about the works, routed to the builder by the table.
    static func worksCases(_ compounds: [Compound], by officer: Actor, on db: any Database, now: Date) async throws -> Int {
        let cases = CaseService(db: db, actor: officer, now: now)
        var count = 0
        for (k, (domain, text)) in [(CaseDomain.constructionQuality, "新做的屋面防水起鼓，下雨后顶楼渗水"), (.water, "管线改造后单元里水压低")].enumerated() {
            let compound = compounds[k % compounds.count]
            _ = try await cases.intake(CaseIntake(channel: .reception, receivedAt: now.addingTimeInterval(-Double(3 + k) * 3_600),
                                                  reporterName: ["刘阿姨", "陈师傅"][k], reporterPhone: "1360451\(String(format: "%04d", 2_000 + k))",
                                                  compoundID: try compound.requireID(), building: "1", domain: domain, description: text))
            count += 1
        }
        return count
    }

    /// 七政's renovation grid (改造网格) over the compounds of its live projects, with its
    /// officer, its grid worker, the builder's staff and two residents on the roster.
    static func drawGrid(on db: any Database, history: DemoRenovationHistory, district: DemoDistrict,
                         compounds: [String: Compound], now: Date) async throws {
        guard let officer = try await User.query(on: db).filter(\.$username == "qizheng").first(),
              let office = officer.$streetOffice.id else { return }
        let live = history.projects.filter { p in
            district.streetOffices[p.streetOffice].code == DemoRenovationHistory.streetOfficeOfToday && p.stage != .completed
        }
        let ids = live.flatMap(\.compounds).compactMap { compounds[district.compounds[$0].record.code]?.id }
        guard !ids.isEmpty else { return }
        let year = Calendar.shanghai.day(now).prefix(4)
        let draft = GridDraft(code: "WG-QZ-\(year)-01", name: "七政街道\(year)年改造第一网格", members: [
            GridMember(side: .streetOffice, name: "", phone: "045188880001", username: "qizheng"),
            GridMember(side: .community, name: "", phone: "13904510002", username: "wangge"),
            GridMember(side: .company, name: "", phone: "13904510003", username: "shigong"),
            GridMember(side: .ownersCommittee, name: "张建国", phone: "13804510004"),
            GridMember(side: .residents, name: "李桂芝", phone: "13904510005"),
        ], compoundIDs: ids, projectIDs: [])
        _ = try await RenovationService(db: db, actor: officer.actor, now: now).createGrid(draft, streetOfficeID: office)
    }

    /// The registry's generated compounds say some are planned or under works; after the
    /// history only its projects' compounds are. The others had no project: back to none.
    /// (Compounds generated as completed stay so: renovated before the records begin.)
    static func clearStatesWithoutProjects(on db: any Database, now: Date) async throws {
        let covered = try await RenovationProjectCompound.query(on: db).all().map(\.$compound.id)
        let stray = try await Compound.query(on: db).filter(\.$renovation ~~ [.planned, .underWorks]).filter(\.$id !~ covered).all()
        guard !stray.isEmpty else { return }
        try await db.transaction { tx in
            for compound in stray {
                compound.renovation = RenovationState.none
                try await compound.update(on: tx)
            }
            try await AuditLog.record(on: tx, actor: nil, action: .update, entityType: "demoRenovationHistory", entityID: nil,
                                      after: ["compoundsWithoutProject": String(stray.count), "renovation": "none"], at: now)
        }
    }
}
