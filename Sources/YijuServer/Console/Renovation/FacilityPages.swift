import Foundation
import YijuCore

/// A compound's facilities inventory as a form (one line per catalogue item), its gaps
/// against the standard and the projects that covered it: where a project is planned from.
struct FacilitiesPage: Encodable {
    struct Line: Encodable {
        var item: String, name: String, category: String, unit: String, quantity: String, conditions: [Option]
    }
    struct Gap: Encodable { var indicator: String, name: String, quantity: String, unit: String, reason: String }

    var compoundLink: String, compoundName: String, households: Int
    var lines: [Line]
    var gaps: [Gap]
    var projects: [ProjectRow]
    var mayEdit: Bool
    var planLink: String?
    var settingsVersion: Int
    var errors: [FieldError]
    var action: String

    init(_ inventory: RenovationService.Inventory, catalogue: WorkItemCatalogue, projects: [RenovationProject], actor: Actor,
         form: [String: String]?, errors: [FieldError], _ t: [String: String]) throws {
        let compound = inventory.compound
        let id = try compound.requireID()
        compoundLink = ConsolePath.compound(.value(id)).path
        compoundName = compound.name
        households = compound.households
        let have = Dictionary(uniqueKeysWithValues: inventory.facilities.map { ($0.item, $0) })
        lines = catalogue.items.map { item in
            let f = have[item.code]
            let condition = form?["condition.\(item.code)"] ?? f?.condition.rawValue ?? FacilityCondition.good.rawValue
            return Line(item: item.code, name: item.nameZh, category: t["workCategory." + item.category.rawValue]!, unit: item.unit,
                        quantity: form?["quantity.\(item.code)"] ?? f.map { Format.quantity($0.quantity) } ?? "",
                        conditions: FacilityCondition.allCases.map { Option(value: $0.rawValue, label: t["condition." + $0.rawValue]!, selected: $0.rawValue == condition) })
        }
        gaps = inventory.gaps.map {
            Gap(indicator: $0.indicator, name: catalogue.item($0.item)?.nameZh ?? $0.item, quantity: Format.quantity($0.quantity),
                unit: catalogue.item($0.item)?.unit ?? "", reason: $0.reason)
        }
        self.projects = try projects.map { try ProjectRow($0, t) }
        mayEdit = Policy.allows(actor, .update, .compound(streetOfficeID: compound.$streetOffice.id, companyID: compound.$company.id))
        planLink = Policy.allows(actor, .create, .renovationProject(streetOfficeID: compound.$streetOffice.id, contractorIDs: []))
            ? ConsolePath.newRenovationProject.with(["office": compound.$streetOffice.id.uuidString, "compound": id.uuidString]) : nil
        settingsVersion = inventory.settingsVersion
        self.errors = errors
        action = ConsolePath.compoundFacilities(.value(id)).path
    }
}

/// Renovation's settings: the catalogue as editable lines, the standard (as a table and as
/// the JSON the bureau edits), the rule set's numbers.
struct RenovationSettingsPage: Encodable {
    struct CatalogueLine: Encodable {
        var index: Int, code: String, nameZh: String, nameEn: String, categories: [Option], unit: String
    }
    struct IndicatorRow: Encodable { var code: String, category: String, name: String, requirements: String }

    var version: Int, note: String, createdBy: String
    var catalogue: [CatalogueLine]
    var count: Int
    var standard: [IndicatorRow]
    var standardJSON: String
    var minimumResponseShare: String, minimumSatisfiedShare: String, noticeDays: String
    var site: SiteRulesForm
    var mayEdit: Bool
    var saved: Bool
    var errors: [FieldError]
    var action = ConsolePath.renovationSettings.path

    static let blankLines = 3

    init(_ current: RenovationSettingsStore.Current, actor: Actor, form: [String: String]?, saved: Bool, errors: [FieldError], _ t: [String: String]) throws {
        let s = current.settings
        version = current.version
        note = current.note ?? ""
        createdBy = current.createdBy
        count = s.catalogue.items.count + Self.blankLines
        catalogue = (0..<count).map { i in
            let item = i < s.catalogue.items.count ? s.catalogue.items[i] : nil
            let category = form?["category\(i)"] ?? item?.category.rawValue ?? WorkItemCategory.basic.rawValue
            return CatalogueLine(index: i, code: form?["code\(i)"] ?? item?.code ?? "", nameZh: form?["nameZh\(i)"] ?? item?.nameZh ?? "",
                                 nameEn: form?["nameEn\(i)"] ?? item?.nameEn ?? "",
                                 categories: WorkItemCategory.allCases.map { Option(value: $0.rawValue, label: t["workCategory." + $0.rawValue]!, selected: $0.rawValue == category) },
                                 unit: form?["unit\(i)"] ?? item?.unit ?? "")
        }
        standard = s.standard.indicators.map { indicator in
            IndicatorRow(code: indicator.code, category: indicator.category, name: indicator.name,
                         requirements: indicator.requirements.map { Self.describe($0, s.catalogue) }.joined(separator: "；"))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        standardJSON = try form?["standard"] ?? String(decoding: encoder.encode(s.standard.indicators), as: UTF8.self)
        minimumResponseShare = form?["minimumResponseShare"] ?? String(format: "%.4f", s.rules.minimumResponseShare)
        minimumSatisfiedShare = form?["minimumSatisfiedShare"] ?? String(format: "%.4f", s.rules.minimumSatisfiedShare)
        noticeDays = form?["noticeDays"] ?? String(s.rules.noticeDays)
        site = SiteRulesForm(s.rules.site, form: form)
        mayEdit = Policy.allows(actor, .update, .renovationSettings)
        self.saved = saved
        self.errors = errors
    }

    /// A requirement in the words of the standard: 停车位 每 4 户 1 个.
    static func describe(_ r: StandardRequirement, _ catalogue: WorkItemCatalogue) -> String {
        func name(_ code: String) -> String { catalogue.item(code)?.nameZh ?? code }
        switch r {
        case .present(let item): return "有\(name(item))"
        case .perHousehold(let item, let quantity): return "\(name(item)) 每户 \(Format.quantity(quantity)) \(catalogue.item(item)?.unit ?? "")"
        case .onePer(let item, let households): return "\(name(item)) 每 \(households) 户 1 \(catalogue.item(item)?.unit ?? "")"
        case .sound(let items): return items.map(name).joined(separator: "、") + " 完好"
        }
    }
}
