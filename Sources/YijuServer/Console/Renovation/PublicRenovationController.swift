import Fluent
import Vapor
import YijuCore

/// The public side of renovation, without login: the projects, and one page per project with
/// its scope, money, schedule, what each round of 三上三下 published, the plan's notice and
/// the acceptance survey's result.
struct PublicRenovationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(PublicPath.renovationProjects.routeComponents, use: list)
        routes.get(PublicPath.renovationProject(.key).routeComponents, use: project)
        routes.get(PublicPath.renovationDocument(.key, document: .key).routeComponents, use: document)
        routes.post(PublicPath.renovationObjections(.key).routeComponents, use: object)
    }

    func list(req: Request) async throws -> View {
        let t = req.language.strings
        let projects = try await PublicRenovation(db: req.db, now: req.application.clock.now()).projects()
        let rows = try projects.map { p in
            PublicProjectRow(link: PublicPath.renovationProject(.value(try p.requireID())).path, code: p.code, name: p.name,
                             street: p.streetOffice.name, year: p.year, status: t["projectStatus." + p.status.rawValue]!,
                             statusKey: p.status.rawValue, households: p.households, budget: Format.yuan(fen: p.budgetFen))
        }
        return try await req.renderPublicPage("public-renovation-list", title: t["publicRenovation"]!, content: rows)
    }

    func project(req: Request) async throws -> View {
        try await render(req, objection: .init(received: req.query[String.self, at: "received"] != nil))
    }

    private func render(_ req: Request, objection: PublicProjectPage.Objection) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound("renovation project") }
        let t = req.language.strings
        let loaded = try await PublicRenovation(db: req.db, now: req.application.clock.now()).project(id)
        let content = try PublicProjectPage(loaded, objection: objection, t)
        return try await req.renderPublicPage("public-renovation", title: "\(loaded.project.code) \(loaded.project.name)", content: content)
    }

    /// A resident's objection from the page while the plan's notice runs (一公示).
    func object(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound("renovation project") }
        let form = try req.content.decode(PublicProjectPage.ObjectionForm.self)
        do {
            _ = try await PublicRenovation(db: req.db, now: req.application.clock.now())
                .object(id, name: form.name ?? "", phone: form.phone ?? "", compoundCode: form.compoundId, body: form.body ?? "",
                        source: req.remoteAddress?.ipAddress ?? "unknown")
            return req.redirect(to: PublicPath.renovationProject(.value(id)).with(["received": "1"]) + "#objection")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .badRequest || error.kind == .conflict {
            let errors = error.fields.isEmpty ? [FieldError(field: "form", reason: error.message)] : error.fields
            return try await unprocessable(try await render(req, objection: .init(form: form, errors: errors)), for: req)
        }
    }

    func document(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let documentID = req.parameters.get("document", as: UUID.self) else {
            throw DomainError.notFound("document")
        }
        let document = try await PublicRenovation(db: req.db, now: req.application.clock.now()).document(id, documentID)
        // Short: a withdrawn document should leave shared caches soon.
        return documentResponse(document, cache: "public, max-age=300")
    }
}

struct PublicProjectRow: Encodable {
    var link: String, code: String, name: String, street: String, year: Int, status: String, statusKey: String, households: Int, budget: String
}

/// One project as the public sees it.
struct PublicProjectPage: Encodable {
    var status: String
    var statusKey: String
    var facts: [Fact]
    var compounds: [String]
    var funding: [Fact]
    var scope: [ScopeRow]
    var scopeCost: String
    var rounds: [RoundRow]
    var publications: [Publication]
    var acceptance: [AcceptanceRow]
    /// The five disclosures (五公开), each with its published documents or none yet.
    var disclosures: [Disclosure]
    /// The objection form while the plan's notice runs (一公示).
    var objectionsOpen: Bool
    var objection: Objection
    var objectAction: String
    var compoundOptions: [Option]
    /// The objection's errors, where the shared errors partial reads them.
    var errors: [FieldError]

    struct ObjectionForm: Content {
        var name: String?, phone: String?, compoundId: String?, body: String?
    }
    struct Objection: Encodable {
        var received = false
        var form = ObjectionForm()
        var errors: [FieldError] = []
    }
    struct Option: Encodable { var value: String, label: String, selected: Bool }

    struct Disclosure: Encodable { var kind: String, name: String, documents: [DocumentLink] }
    struct DocumentLink: Encodable { var title: String, link: String, type: String, size: String, day: String }
    struct ScopeRow: Encodable { var name: String, category: String, quantity: String, unit: String, cost: String, compound: String, built: Bool }
    struct RoundRow: Encodable { var title: String, opinions: Int }
    struct Publication: Encodable { var day: String, what: String, text: String }
    struct AcceptanceRow: Encodable { var number: Int, closedOn: String, result: String, resultKey: String, explanation: String }

    init(_ p: PublicRenovation.Project, objection: Objection, _ t: [String: String]) throws {
        let project = p.project
        status = t["projectStatus." + project.status.rawValue]!
        statusKey = project.status.rawValue
        facts = [
            Fact(label: t["streetOffice"]!, value: project.streetOffice.name),
            Fact(label: t["yearBatch"]!, value: String(project.year)),
            Fact(label: t["benefited"]!, value: "\(project.households) \(t["households"]!) · \(project.buildings) \(t["buildings"]!)"),
            Fact(label: t["budget"]!, value: Format.yuan(fen: project.budgetFen)),
            Fact(label: t["plannedStart"]!, value: project.plannedStart ?? "—"),
            Fact(label: t["plannedFinish"]!, value: project.plannedFinish ?? "—"),
            Fact(label: t["actualStart"]!, value: project.actualStart ?? "—"),
            Fact(label: t["actualFinish"]!, value: project.actualFinish ?? "—"),
            Fact(label: t["visits"]!, value: String(p.visits)),
            Fact(label: t["meetings"]!, value: String(p.meetings)),
        ] + (project.cancelReason.map { [Fact(label: t["cancelReason"]!, value: $0)] } ?? [])
        compounds = p.compounds.map { "\($0.name)（\($0.households) \(t["households"]!)）" }
        funding = project.funding.map { Fact(label: t["fundingSource." + $0.source.rawValue]!, value: Format.yuan(fen: $0.fen) + ($0.note.map { " · " + $0 } ?? "")) }
        let names = Dictionary(uniqueKeysWithValues: p.compounds.compactMap { c in c.id.map { ($0, c.name) } })
        scope = p.scope.map { line in
            let item = p.catalogue.item(line.item)
            return ScopeRow(name: item?.nameZh ?? line.item, category: t["workCategory." + (item?.category ?? .basic).rawValue]!,
                            quantity: Format.quantity(line.quantity), unit: item?.unit ?? "", cost: Format.yuan(fen: line.costFen),
                            compound: line.$compound.id.flatMap { names[$0] } ?? t["wholeProject"]!, built: line.built)
        }
        scopeCost = Format.yuan(fen: p.scope.reduce(0) { $0 + $1.costFen })
        rounds = ConsultationRound.allCases.map { RoundRow(title: t["round.\($0.rawValue)"]!, opinions: p.opinions[$0] ?? 0) }
        publications = p.publications.map { r in
            let what = switch r.kind {
            case .notice: t["planNotice"]! + (p.noticeLastDay.map { "（\(r.day) – \($0)）" } ?? "")
            case .collection: t["round.\(r.round ?? 1)"]! + " · " + t["stepCollect"]!
            default: t["round.\(r.round ?? 1)"]! + " · " + t["stepPublish"]!
            }
            return Publication(day: r.day, what: what, text: r.body)
        }
        acceptance = p.acceptance.map { r in
            let key = r.passed.map { $0 ? "passed" : "failed" } ?? "withdrawn"
            return AcceptanceRow(number: r.number, closedOn: r.closedOn ?? "", result: t["surveyResult." + key]!, resultKey: key, explanation: r.explanation ?? "")
        }
        let projectID = try project.requireID()
        objectionsOpen = p.noticeRunning
        self.objection = objection
        errors = objection.errors
        objectAction = PublicPath.renovationObjections(.value(projectID)).path
        compoundOptions = p.compounds.map { Option(value: $0.code, label: "\($0.code) \($0.name)", selected: objection.form.compoundId == $0.code) }
        disclosures = try DisclosureKind.allCases.map { kind in
            Disclosure(kind: kind.rawValue, name: t["disclosure." + kind.rawValue]!, documents: try p.documents.filter { $0.kind == kind }.map { d in
                DocumentLink(title: d.title, link: PublicPath.renovationDocument(.value(projectID), document: .value(try d.requireID())).path,
                             type: d.typeName, size: DocumentsPage.size(d.size), day: d.createdAt.map(Format.dateTime) ?? "")
            })
        }
    }
}
