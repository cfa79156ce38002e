import Foundation
import YijuCore

/// A project as a row of a list (the renovation page, a compound's facilities).
struct ProjectRow: Encodable {
    var link: String, code: String, name: String, street: String, year: Int, status: String, statusKey: String
    var households: Int, buildings: Int, budget: String

    /// Needs the project's street office loaded.
    init(_ p: RenovationProject, _ t: [String: String]) throws {
        link = ConsolePath.renovationProject(.value(try p.requireID())).path
        code = p.code
        name = p.name
        street = p.streetOffice.name
        year = p.year
        status = t["projectStatus." + p.status.rawValue]!
        statusKey = p.status.rawValue
        households = p.households
        buildings = p.buildings
        budget = Format.yuan(fen: p.budgetFen)
    }
}

/// 旧改's start page: the projects in the actor's scope by status and year batch.
struct RenovationIndexPage: Encodable {
    var rows: [ProjectRow]
    var statuses: [Option]
    var year: String
    var households: Int
    var budget: String
    var mayPlan: Bool
    var figures: FiguresPanel
    var links = Links()

    struct Links: Encodable {
        var filter = ConsolePath.renovation.path
        var new = ConsolePath.newRenovationProject.path
        var settings = ConsolePath.renovationSettings.path
        var grids = ConsolePath.renovationGrids.path
        var map = ConsolePath.map.with(["colour": MapPage.renovationColouring])
    }

    init(_ projects: [RenovationProject], status: String?, year: String, figures: FiguresPanel, actor: Actor, _ t: [String: String]) throws {
        self.figures = figures
        rows = try projects.map { try ProjectRow($0, t) }
        statuses = ProjectStatus.allCases.map { Option(value: $0.rawValue, label: t["projectStatus." + $0.rawValue]!, selected: $0.rawValue == status) }
        self.year = year
        households = projects.filter { $0.status != .cancelled }.reduce(0) { $0 + $1.households }
        budget = Format.yuan(fen: projects.filter { $0.status != .cancelled }.reduce(0) { $0 + $1.budgetFen })
        mayPlan = Policy.mayPlanRenovation(actor)
    }
}

/// One funding source's fields of a plan form: empty when the source is not used.
struct FundingField: Encodable {
    var source: String, label: String, amount: String, note: String

    static func fields(_ funding: [Funding], _ t: [String: String]) -> [FundingField] {
        FundingSource.allCases.map { source in
            let f = funding.first { $0.source == source }
            return FundingField(source: source.rawValue, label: t["fundingSource." + source.rawValue]!,
                                amount: f.map { Format.yuanField(fen: $0.fen) } ?? "", note: f?.note ?? "")
        }
    }
}

/// The form that plans a project: the street office's compounds to choose from, the money,
/// the schedule. The scope starts as the compounds' gaps.
struct NewProjectPage: Encodable {
    var offices: [Option]?
    var officeID: String
    var compounds: [Option]
    var code: String, name: String, year: String, budget: String, households: String, plannedStart: String, plannedFinish: String
    var funding: [FundingField]
    var errors: [FieldError]
    var action = ConsolePath.renovation.path
    var officeAction = ConsolePath.newRenovationProject.path

    /// `offices` for the bureau, who picks the street office first; `chosen` the compounds ticked.
    init(offices: [StreetOffice]?, officeID: UUID?, compounds: [Compound], chosen: Set<UUID>, form: [String: String], funding: [Funding],
         today: String, errors: [FieldError], _ lang: Language) throws {
        let t = lang.strings
        self.offices = try offices?.map { Option(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == officeID) }
        self.officeID = officeID?.uuidString ?? ""
        self.compounds = try compounds.map {
            Option(value: try $0.requireID().uuidString, label: "\($0.code) \($0.name)（\($0.households) \(t["households"]!)，\(lang.label($0.renovation))）",
                   selected: chosen.contains(try $0.requireID()))
        }
        code = form["code"] ?? ""
        name = form["name"] ?? ""
        year = form["year"] ?? String(today.prefix(4))
        budget = form["budget"] ?? ""
        households = form["households"] ?? ""
        plannedStart = form["plannedStart"] ?? ""
        plannedFinish = form["plannedFinish"] ?? ""
        self.funding = FundingField.fields(funding, t)
        self.errors = errors
    }
}

/// A project: its facts, compounds, money and scope, the steps its status allows (blocked
/// ones with what they wait for) and, while it is still being decided, the plan's form.
struct ProjectPage: Encodable {
    struct CompoundLine: Encodable {
        var link: String?, code: String, name: String, households: Int, buildings: String, prior: String
        /// Completed and without a company: handed to zoning (待竣工交接).
        var awaitingManagement: Bool
    }
    struct FundingLine: Encodable { var source: String, amount: String, share: String, note: String }
    struct ScopeRow: Encodable {
        var position: Int, name: String, category: String, quantity: String, unit: String, cost: String, compound: String, note: String, built: Bool
    }
    struct Step: Encodable {
        var transition: String, label: String, blockedBy: String?, needsReason: Bool, needsDay: Bool, danger: Bool
    }
    struct ScopeField: Encodable {
        /// `number` is the line as the form numbers it, from 1.
        var index: Int, number: Int, items: [Option], compounds: [Option], quantity: String, cost: String, note: String, existing: Bool
    }

    var summary: ProjectRow
    var facts: [Fact]
    var compounds: [CompoundLine]
    var funding: [FundingLine]
    var scope: [ScopeRow]
    var scopeCost: String
    var steps: [Step]
    var mayUpdate: Bool
    var planEditable: Bool
    var planForm: PlanForm?
    var engagements: EngagementSection
    var errors: [FieldError]
    var today: String
    var links: Links

    struct PlanForm: Encodable {
        var name: String, budget: String, households: String, plannedStart: String, plannedFinish: String
        var funding: [FundingField]
        var scope: [ScopeField]
        var count: Int
    }

    struct Links: Encodable {
        var plan: String, transitions: String, consultation: String, acceptance: String, documents: String
        /// The site diary, once the works have started.
        var diary: String?
        /// The project's public page, once the residents are asked.
        var publicPage: String?
    }

    init(_ file: RenovationService.ProjectFile, catalogue: WorkItemCatalogue, contractors: [Company], actor: Actor, today: String,
         form: [String: String]?, engagementForm: [String: String]?, errors: [FieldError], _ lang: Language) throws {
        let t = lang.strings
        let p = file.project
        let id = try p.requireID()
        summary = try ProjectRow(p, t)
        var facts = [Fact(label: t["yearBatch"]!, value: String(p.year)), Fact(label: t["streetOffice"]!, value: p.streetOffice.name),
                     Fact(label: t["benefited"]!, value: "\(p.households) \(t["households"]!) · \(p.buildings) \(t["buildings"]!)"),
                     Fact(label: t["budget"]!, value: Format.yuan(fen: p.budgetFen))]
        for (key, value) in [("plannedStart", p.plannedStart), ("plannedFinish", p.plannedFinish), ("actualStart", p.actualStart),
                             ("actualFinish", p.actualFinish), ("cancelReason", p.cancelReason)] {
            if let value { facts.append(Fact(label: t[key]!, value: value)) }
        }
        facts.append(Fact(label: t["settingsVersion"]!, value: "v\(p.settingsVersion) · \(p.createdBy)"))
        for tender in file.handovers {
            // 竣工与承接同步: who takes the compounds over when the works end.
            let contract = tender.$contract.value ?? nil
            let state = contract.map { "\($0.company.name) · \(t["handoverFrom"]!) \($0.startDate) · \(t[$0.appliedAt == nil ? "contractPending" : "contractStarted"]!)" }
                ?? t["tender." + tender.status.rawValue] ?? tender.status.rawValue
            facts.append(Fact(label: t["handover"]!, value: "\(tender.code) · \(state)"))
        }
        self.facts = facts
        let names = Dictionary(uniqueKeysWithValues: file.compounds.map { ($0.coverage.$compound.id, $0.compound.name) })
        compounds = try file.compounds.map {
            // A contractor reads the compounds on the project, not in the registry: no link to follow.
            CompoundLine(link: Policy.allows(actor, .read, .compound(streetOfficeID: $0.compound.$streetOffice.id, companyID: $0.compound.$company.id))
                            ? ConsolePath.compound(.value(try $0.compound.requireID())).path : nil, code: $0.compound.code, name: $0.compound.name,
                         households: $0.compound.households,
                         buildings: RenovationService.buildings($0.coverage).map { $0.map(String.init).joined(separator: "、") } ?? t["all"]!,
                         prior: lang.label($0.coverage.priorRenovation),
                         awaitingManagement: file.project.status == .completed && $0.compound.$company.id == nil)
        }
        funding = p.funding.map {
            FundingLine(source: t["fundingSource." + $0.source.rawValue]!, amount: Format.yuan(fen: $0.fen),
                        share: Format.percent(p.budgetFen > 0 ? Double($0.fen) / Double(p.budgetFen) : nil), note: $0.note ?? "")
        }
        scope = file.scope.map { s in
            let item = file.catalogue.item(s.item)
            return ScopeRow(position: s.position + 1, name: item?.nameZh ?? s.item, category: item.map { t["workCategory." + $0.category.rawValue]! } ?? "",
                            quantity: Format.quantity(s.quantity), unit: item?.unit ?? "", cost: Format.yuan(fen: s.costFen),
                            compound: s.$compound.id.flatMap { names[$0] } ?? t["wholeProject"]!, note: s.note ?? "", built: s.built)
        }
        scopeCost = Format.yuan(fen: file.scope.reduce(0) { $0 + $1.costFen })
        mayUpdate = Policy.allows(actor, .update, file.resource)
        engagements = try EngagementSection(file, mayEdit: mayUpdate, contractors: contractors, form: engagementForm, t)
        steps = mayUpdate ? file.options.map {
            Step(transition: $0.transition.rawValue, label: t["step." + $0.transition.rawValue]!, blockedBy: $0.blockedBy,
                 needsReason: $0.transition == .cancel, needsDay: $0.transition == .startWorks || $0.transition == .complete,
                 danger: $0.transition == .cancel)
        } : []
        planEditable = [.planned, .consulting].contains(p.status)
        if mayUpdate && planEditable {
            planForm = Self.planForm(file, catalogue: catalogue, form: form, t)
        }
        self.errors = errors
        self.today = today
        links = Links(plan: ConsolePath.renovationProject(.value(id), .plan).path,
                      transitions: ConsolePath.renovationProject(.value(id), .transitions).path,
                      consultation: ConsolePath.renovationProject(.value(id), .consultation).path,
                      acceptance: ConsolePath.renovationProject(.value(id), .acceptance).path,
                      documents: ConsolePath.renovationProject(.value(id), .documents).path,
                      diary: p.actualStart == nil ? nil : ConsolePath.renovationProject(.value(id), .diary).path,
                      publicPage: PublicRenovation.publicStatuses.contains(file.project.status) ? PublicPath.renovationProject(.value(id)).path : nil)
    }

    /// Blank lines after the scope, for new items.
    static let blankLines = 5

    private static func planForm(_ file: RenovationService.ProjectFile, catalogue: WorkItemCatalogue, form: [String: String]?,
                                 _ t: [String: String]) -> PlanForm {
        let p = file.project
        func itemOptions(_ selected: String) -> [Option] {
            [Option(value: "", label: "—")] + catalogue.items.map {
                Option(value: $0.code, label: "\($0.nameZh)（\($0.unit)）", selected: $0.code == selected)
            }
        }
        func compoundOptions(_ selected: String) -> [Option] {
            [Option(value: "", label: t["wholeProject"]!, selected: selected.isEmpty)] + file.compounds.map {
                Option(value: $0.coverage.$compound.id.uuidString, label: $0.compound.name, selected: $0.coverage.$compound.id.uuidString == selected)
            }
        }
        let count = file.scope.count + blankLines
        var lines: [ScopeField] = []
        for i in 0..<count {
            let existing = i < file.scope.count ? file.scope[i] : nil
            if let form {
                lines.append(ScopeField(index: i, number: i + 1, items: itemOptions(form["item\(i)"] ?? ""), compounds: compoundOptions(form["compound\(i)"] ?? ""),
                                        quantity: form["quantity\(i)"] ?? "", cost: form["cost\(i)"] ?? "", note: form["note\(i)"] ?? "",
                                        existing: existing != nil))
            } else {
                lines.append(ScopeField(index: i, number: i + 1, items: itemOptions(existing?.item ?? ""), compounds: compoundOptions(existing?.$compound.id?.uuidString ?? ""),
                                        quantity: existing.map { Format.quantity($0.quantity) } ?? "",
                                        cost: existing.map { Format.yuanField(fen: $0.costFen) } ?? "", note: existing?.note ?? "",
                                        existing: existing != nil))
            }
        }
        var funding = FundingField.fields(p.funding, t)
        if let form {
            funding = funding.map { FundingField(source: $0.source, label: $0.label, amount: form["fund.\($0.source)"] ?? "", note: form["fundNote.\($0.source)"] ?? "") }
        }
        return PlanForm(name: form?["name"] ?? p.name, budget: form?["budget"] ?? Format.yuanField(fen: p.budgetFen),
                        households: form?["households"] ?? String(p.households), plannedStart: form?["plannedStart"] ?? p.plannedStart ?? "",
                        plannedFinish: form?["plannedFinish"] ?? p.plannedFinish ?? "", funding: funding, scope: lines, count: count)
    }
}
