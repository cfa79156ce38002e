import Foundation
import YijuCore

/// 大区划片's start page: each street office with its plan versions.
struct ZoningIndexPage: Encodable {
    struct Row: Encodable {
        var link: String
        var name: String
        var versions: Int
        var latest: String
    }

    var offices: [Row]
    var publicLink = PublicPath.zoningPlans.path

    /// `plans` are the versions the actor may see of each street office; offices the actor
    /// may see none of are left out.
    init(offices: [(StreetOffice, [ZoningPlanRecord])], _ lang: Language) throws {
        self.offices = try offices.map { office, plans in
            Row(link: ConsolePath.zoningOffice(.value(try office.requireID())).path, name: office.name, versions: plans.count,
                latest: plans.last.map { "v\($0.version) · \(lang.status($0.status))" } ?? "—")
        }
    }
}

/// A street office's versions, and the form that plans a new one from the compounds that
/// need a company.
struct ZoningOfficePage: Encodable {
    struct VersionRow: Encodable {
        var id: String
        var link: String
        var version: Int
        var status: String
        var statusLabel: String
        var zones: Int
        var lots: Int
        var bandViolations: Int
        var subsidy: String
        var createdBy: String
        var createdAt: String
        var notice: String
        var basedOn: Int?
    }

    struct CandidateRow: Encodable {
        var code: String
        var name: String
        var kind: String
        var management: String
        var renovation: String
        var waitsForWorks: Bool
        var checked: Bool
        var floorArea: String
    }

    /// What the form was sent with, to show it again with its errors.
    struct Form {
        var minFloorArea: String?
        var maxFloorArea: String?
        var zonesPerLot: String?
        var compounds: [String]?
    }

    static let defaultMinFloorArea = 40_000.0
    static let defaultMaxFloorArea = 150_000.0

    var name: String
    var versions: [VersionRow]
    var mayGenerate: Bool
    var candidates: [CandidateRow]
    var minFloorArea: String
    var maxFloorArea: String
    var zonesPerLot: Int
    var errors: [FieldError]
    var generateAction: String
    var compareAction = ConsolePath.zoningCompare.path

    /// `plans` oldest first, each loaded; `candidates` the compounds a new plan may include,
    /// each with whether it is included by default (nil when the actor may not plan).
    init(office: StreetOffice, plans: [ZoningPlanService.Loaded], candidates: [(Compound, Bool)]?, form: Form?, errors: [FieldError],
         _ lang: Language) throws {
        name = office.name
        versions = try plans.reversed().map { loaded in
            let record = loaded.record
            let id = try record.requireID()
            return VersionRow(id: id.uuidString, link: ConsolePath.plan(.value(id)).path, version: record.version, status: record.status.rawValue,
                              statusLabel: lang.status(record.status), zones: loaded.report.zones.count, lots: loaded.report.lots.count,
                              bandViolations: loaded.report.bandViolations, subsidy: Format.money(loaded.report.subsidy), createdBy: record.createdBy,
                              createdAt: record.createdAt.map(Format.dateTime) ?? "",
                              notice: record.noticeStart.map { "\($0) – \(record.noticeEnd ?? "")" } ?? "", basedOn: record.basedOn)
        }
        mayGenerate = candidates != nil
        let chosen = form?.compounds.map(Set.init)
        self.candidates = (candidates ?? []).map { c, byDefault in
            CandidateRow(code: c.code, name: c.name, kind: lang.label(c.kind), management: lang.label(c.management),
                         renovation: lang.label(c.renovation), waitsForWorks: c.renovation == .planned || c.renovation == .underWorks,
                         checked: chosen.map { $0.contains(c.code) } ?? byDefault, floorArea: Format.area(c.floorArea))
        }
        minFloorArea = form?.minFloorArea ?? Format.plain(Self.defaultMinFloorArea)
        maxFloorArea = form?.maxFloorArea ?? Format.plain(Self.defaultMaxFloorArea)
        zonesPerLot = form?.zonesPerLot.flatMap { Int($0) } ?? 3
        self.errors = errors
        generateAction = ConsolePath.zoningPlans(ofStreetOffice: .value(try office.requireID())).path
    }
}

/// The plan workspace: map, zone and lot tables, live changes, undo and redo, notice,
/// adoption, comments and objections. The live fragment is rendered from the same page.
struct PlanWorkspacePage: Encodable {
    struct CommentRow: Encodable {
        var author: String
        var body: String
        var at: String
    }

    struct ObjectionRow: Encodable {
        var name: String
        var phone: String
        var compound: String
        var body: String
        var at: String
    }

    /// Every form the workspace posts and every file it offers, for this plan.
    struct Links: Encodable {
        var change, undo, redo, publish, withdraw, adopt, retire, copy, comments: String
        var geojson, compoundsCSV, zonesCSV, notice: String
        var versions: String
        var publicPage: String
        var compare = ConsolePath.zoningCompare.path

        init(plan id: UUID, office: UUID) {
            func plan(_ resource: ConsolePath.PlanResource) -> String { ConsolePath.plan(.value(id), resource).path }
            change = plan(.change)
            undo = plan(.undo)
            redo = plan(.redo)
            publish = plan(.publish)
            withdraw = plan(.withdraw)
            adopt = plan(.adopt)
            retire = plan(.retire)
            copy = plan(.copy)
            comments = plan(.comments)
            geojson = plan(.geojson)
            compoundsCSV = plan(.compoundsCSV)
            zonesCSV = plan(.zonesCSV)
            notice = plan(.notice)
            versions = ConsolePath.zoningOffice(.value(office)).path
            publicPage = PublicPath.zoningPlan(.value(id)).path
        }
    }

    /// What the last change said, shown above the map.
    struct Message {
        var text: String?
        var isError = false
        var suggestion: [String: String] = [:]
    }

    var id: String
    var officeName: String
    var version: Int
    var revision: Int
    var status: String
    var statusLabel: String
    var isDraft: Bool
    var mayChange: Bool
    var canUndo: Bool
    var canRedo: Bool
    var noticeStart: String?
    var noticeEnd: String?
    var adoptedOn: String?
    var closedOn: String?
    var adoptable: Bool
    var basedOn: Int?
    var svg: String
    var summary: PlanSummary
    var zones: [ZoneRow]
    var lots: [LotRow]
    var compoundOptions: [Option]
    var zoneOptions: [Option]
    var message: String?
    var messageIsError: Bool
    var suggestion: String?
    var comments: [CommentRow]
    var objections: [ObjectionRow]
    var otherVersions: [Option]
    var links: Links

    /// `objections` only for those who may change the plan; `others` the street office's
    /// other versions the actor may see.
    init(_ loaded: ZoningPlanService.Loaded, mayChange: Bool, comments: [ZoningComment], objections: [ZoningObjection],
         others: [ZoningPlanRecord], today: String, message: Message, _ lang: Language) throws {
        let record = loaded.record
        let id = try record.requireID()
        let zoneOfCompound = Dictionary(loaded.report.zones.flatMap { z in z.compoundIDs.map { ($0, z.id) } }, uniquingKeysWith: { a, _ in a })
        self.id = id.uuidString
        officeName = record.$streetOffice.value?.name ?? loaded.problem.compounds.first?.street ?? ""
        version = record.version
        revision = record.revision
        status = record.status.rawValue
        statusLabel = lang.status(record.status)
        isDraft = record.status == .draft
        self.mayChange = mayChange
        canUndo = loaded.canUndo
        canRedo = record.status == .draft && !record.redoStack.isEmpty
        noticeStart = record.noticeStart
        noticeEnd = record.noticeEnd
        adoptedOn = record.adoptedOn
        closedOn = record.closedOn
        adoptable = record.status == .notice && (record.noticeEnd.map { today > $0 } ?? false)
        basedOn = record.basedOn
        svg = loaded.map(title: "\(loaded.problem.compounds.first?.street ?? "") v\(record.version)")
        summary = PlanSummary(loaded)
        zones = ZoneRow.rows(loaded)
        lots = LotRow.rows(loaded)
        compoundOptions = loaded.problem.compounds.map { Option(value: $0.id, label: "\($0.id) \($0.name) · \(zoneOfCompound[$0.id] ?? "")") }
        zoneOptions = loaded.report.zones.map { Option(value: $0.id, label: $0.id) }
        self.message = message.text
        messageIsError = message.isError
        suggestion = message.suggestion.isEmpty ? nil : message.suggestion.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value)" }.joined(separator: ", ")
        self.comments = comments.map { CommentRow(author: $0.author, body: $0.body, at: $0.createdAt.map(Format.dateTime) ?? "") }
        self.objections = objections.map {
            ObjectionRow(name: $0.name, phone: $0.phone, compound: $0.compoundCode ?? "", body: $0.body, at: Format.dateTime($0.createdAt))
        }
        otherVersions = try others.map { Option(value: try $0.requireID().uuidString, label: "v\($0.version) · \(lang.status($0.status))") }
        links = Links(plan: id, office: record.$streetOffice.id)
    }
}

/// Two versions side by side: maps, figures and what changed between them.
struct PlanComparisonPage: Encodable {
    struct Side: Encodable {
        var link: String
        var label: String
        var svg: String
        var summary: PlanSummary
    }

    var a: Side
    var b: Side
    /// Both, for drawing them with one loop.
    var sides: [Side]
    var sameZones: Int
    var changed: [String]
    var onlyInA: [String]
    var onlyInB: [String]
    var versionsLink: String

    init(_ comparison: ZoningComparison, _ lang: Language) throws {
        func side(_ l: ZoningPlanService.Loaded) throws -> Side {
            let label = "v\(l.record.version) · \(lang.status(l.record.status))"
            return Side(link: ConsolePath.plan(.value(try l.record.requireID())).path, label: label, svg: l.map(title: label, width: 640),
                        summary: PlanSummary(l))
        }
        a = try side(comparison.a)
        b = try side(comparison.b)
        sides = [a, b]
        sameZones = comparison.sameZones
        changed = comparison.changedCompounds
        onlyInA = comparison.onlyInA
        onlyInB = comparison.onlyInB
        versionsLink = ConsolePath.zoningOffice(.value(comparison.a.record.$streetOffice.id)).path
    }
}
