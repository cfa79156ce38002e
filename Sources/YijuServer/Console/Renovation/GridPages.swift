import Foundation
import YijuCore

/// The renovation grids an actor reads (改造网格), with the street office's way to draw one.
struct GridsPage: Encodable {
    struct Row: Encodable { var code: String, name: String, streetOffice: String, link: String }
    var rows: [Row]
    var newLink: String?

    init(_ grids: [RenovationGrid], mayCreate: Bool) throws {
        rows = try grids.map {
            Row(code: $0.code, name: $0.name, streetOffice: $0.streetOffice.name, link: ConsolePath.renovationGrid(.value(try $0.requireID())).path)
        }
        newLink = mayCreate ? ConsolePath.newRenovationGrid.path : nil
    }
}

/// One grid: its roster, its compounds and its work, and for its street office a form that
/// writes the roster a line a member — `街道 李明 13804510001 @qizheng` — and ticks the
/// compounds and projects it takes. The same form, empty, draws a new grid.
struct GridPage: Encodable {
    struct Member: Encodable { var side: String, name: String, phone: String, account: String }
    struct Work: Encodable { var code: String, name: String, year: Int, status: String, link: String }
    struct Form: Encodable {
        var action: String, code: String, name: String, members: String
        /// For a new grid: the street office it is drawn in, and the bureau's choice of one.
        var office: String?
        var offices: [Option]?
        var compounds: [Option], projects: [Option]
    }

    var heading: String?
    var isNew: Bool
    var facts: [Fact]
    var members: [Member]
    var compounds: [Option]
    var work: [Work]
    var phonesMasked: Bool
    var form: Form?
    var errors: [FieldError]

    /// The grid's page; `candidates` (what it may take) when the actor keeps it.
    init(_ file: RenovationService.GridFile, candidates: (compounds: [Compound], projects: [RenovationProject])?,
         form posted: [String: String]?, errors: [FieldError], _ t: [String: String]) throws {
        let grid = file.grid
        heading = "\(grid.code) \(grid.name)"
        isNew = false
        facts = [Fact(label: t["streetOffice"]!, value: grid.streetOffice.name),
                 Fact(label: t["gridUpdated"]!, value: "\(grid.updatedBy) · \(grid.updatedAt.map(Format.dateTime) ?? "")")]
        members = file.members.map {
            Member(side: t["gridSide." + $0.side.rawValue]!, name: $0.name, phone: $0.phone, account: $0.user?.username ?? "")
        }
        compounds = try file.compounds.map { Option(value: ConsolePath.compound(.value(try $0.requireID())).path, label: "\($0.code) \($0.name)") }
        work = try file.projects.map {
            Work(code: $0.code, name: $0.name, year: $0.year, status: t["projectStatus." + $0.status.rawValue] ?? $0.status.rawValue,
                 link: ConsolePath.renovationProject(.value(try $0.requireID())).path)
        }
        phonesMasked = file.phonesMasked
        if let candidates {
            let saved = file.draft
            form = try Self.form(action: ConsolePath.renovationGrid(.value(try grid.requireID())).path, saved: saved, posted: posted,
                                 offices: nil, candidates: candidates, t)
        }
        self.errors = errors
    }

    /// The form alone, for a new grid: `offices` to choose from when the actor is the bureau.
    init(newGridOffices offices: [Option]?, candidates: (compounds: [Compound], projects: [RenovationProject]),
         form posted: [String: String]?, errors: [FieldError], _ t: [String: String]) throws {
        heading = nil
        isNew = true
        facts = []
        members = []
        compounds = []
        work = []
        phonesMasked = false
        form = try Self.form(action: ConsolePath.newRenovationGrid.path, saved: nil, posted: posted, offices: offices, candidates: candidates, t)
        self.errors = errors
    }

    private static func form(action: String, saved: GridDraft?, posted: [String: String]?, offices: [Option]?,
                             candidates: (compounds: [Compound], projects: [RenovationProject]), _ t: [String: String]) throws -> Form {
        let chosenCompounds = posted.map { Set(ticked($0, "compound.")) } ?? Set(saved?.compoundIDs ?? [])
        let chosenProjects = posted.map { Set(ticked($0, "project.")) } ?? Set(saved?.projectIDs ?? [])
        return Form(
            action: action, code: posted?["code"] ?? saved?.code ?? "", name: posted?["name"] ?? saved?.name ?? "",
            members: posted?["members"] ?? (saved?.members ?? []).map { m in
                ([t["gridWord." + m.side.rawValue]!, m.name, m.phone] + (m.username.map { ["@" + $0] } ?? [])).joined(separator: " ")
            }.joined(separator: "\n"),
            office: offices?.first { $0.selected }?.value, offices: offices,
            compounds: try candidates.compounds.map { c in
                let id = try c.requireID()
                return Option(value: id.uuidString, label: "\(c.code) \(c.name)", selected: chosenCompounds.contains(id))
            },
            projects: try candidates.projects.map { p in
                let id = try p.requireID()
                return Option(value: id.uuidString, label: "\(p.code) \(p.name)", selected: chosenProjects.contains(id))
            })
    }

    /// The ids of the ticked boxes named `prefix` + id.
    static func ticked(_ form: [String: String], _ prefix: String) -> [UUID] {
        form.keys.filter { $0.hasPrefix(prefix) }.compactMap { UUID(uuidString: String($0.dropFirst(prefix.count))) }.sorted { $0.uuidString < $1.uuidString }
    }

    /// The words a roster line may start with, in either language.
    static let sides: [String: GridSide] = [
        "街道": .streetOffice, "社区": .community, "企业": .company, "物业": .company, "参建单位": .company,
        "业委会": .ownersCommittee, "物管会": .ownersCommittee, "居民代表": .residents, "居民": .residents,
        "streetoffice": .streetOffice, "community": .community, "company": .company, "committee": .ownersCommittee, "residents": .residents,
    ]

    /// The form's fields as a grid, or every roster line that does not read, named by its number.
    static func draft(_ form: [String: String]) throws -> GridDraft {
        var errors: [FieldError] = []
        var members: [GridMember] = []
        for (number, line) in FormLines.lines(form["members"]) {
            var tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
            let username = tokens.last.flatMap { $0.hasPrefix("@") ? String($0.dropFirst()) : nil }
            if username != nil { tokens.removeLast() }
            guard tokens.count >= 3, let side = sides[tokens[0].lowercased()] else {
                errors.append(FieldError(field: "members", reason: "a side (街道, 社区, 企业, 业委会, 居民代表), a name, a phone and an optional @account, like 街道 李明 13804510001 @qizheng", line: number))
                continue
            }
            members.append(GridMember(side: side, name: tokens[1], phone: tokens[2...].joined(), username: username))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return GridDraft(code: form["code"] ?? "", name: form["name"] ?? "", members: members,
                         compoundIDs: ticked(form, "compound."), projectIDs: ticked(form, "project."))
    }

    /// The rules' errors on the form's terms: `members[2].phone` is the roster line of the third member.
    static func formErrors(_ errors: [FieldError], _ form: [String: String]) -> [FieldError] {
        FormLines.errors(errors, [("members[", "members", form["members"])]).map { e in
            // A compound or project is named by its place among those ticked: say which.
            for (prefix, key) in [("compoundIds[", "compounds"), ("projectIds[", "projects")] where e.field.hasPrefix(prefix) {
                return FieldError(field: key, reason: e.reason)
            }
            return e
        }
    }
}
