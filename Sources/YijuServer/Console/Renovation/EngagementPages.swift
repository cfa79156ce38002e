import Foundation
import YijuCore

/// The project page's 参建单位 section: who designs, builds and supervises, with their leads;
/// and, for the project's street officer, the form that sets them (one line per part, an
/// empty company leaves the part open).
struct EngagementSection: Encodable {
    struct Row: Encodable {
        var part: String, company: String, link: String, lead: String, phone: String
    }
    struct FormLine: Encodable {
        var role: String, part: String, companies: [Option], leadName: String, leadPhone: String
    }

    var rows: [Row]
    var form: [FormLine]?
    var action: String

    /// `contractors` are the registry's construction, design and supervision companies (for the form).
    init(_ file: RenovationService.ProjectFile, mayEdit: Bool, contractors: [Company], form: [String: String]?, _ t: [String: String]) throws {
        rows = file.engagements.map {
            Row(part: t["contractorRole." + $0.role.rawValue]!, company: $0.company.name,
                link: ConsolePath.company(.value($0.$company.id)).path, lead: $0.leadName, phone: $0.leadPhone)
        }
        action = ConsolePath.renovationProject(.value(try file.project.requireID()), .engagements).path
        guard mayEdit, EngagementRules.editable.contains(file.project.status) else { self.form = nil; return }
        let engaged = RenovationEngagement.byPart(file.engagements)
        self.form = ContractorRole.allCases.map { role in
            let current = engaged[role]
            let chosen = form.map { $0["company.\(role.rawValue)"] ?? "" } ?? current?.$company.id.uuidString ?? ""
            let options = [Option(value: "", label: "—", selected: chosen.isEmpty)] + contractors.filter { $0.kind == role.companyKind }.compactMap { c in
                c.id.map { Option(value: $0.uuidString, label: c.name, selected: $0.uuidString == chosen) }
            }
            return FormLine(role: role.rawValue, part: t["contractorRole." + role.rawValue]!, companies: options,
                            leadName: form?["leadName.\(role.rawValue)"] ?? current?.leadName ?? "",
                            leadPhone: form?["leadPhone.\(role.rawValue)"] ?? current?.leadPhone ?? "")
        }
    }

    /// The form's lines as engagements: parts without a company are left out. A company that
    /// is not a UUID is reported on its line.
    static func engagements(_ form: [String: String]) throws -> [Engagement] {
        var errors: [FieldError] = []
        var out: [Engagement] = []
        for role in ContractorRole.allCases {
            guard let raw = form["company.\(role.rawValue)"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
            guard let id = UUID(uuidString: raw) else {
                errors.append(FieldError(field: "company.\(role.rawValue)", reason: "choose a company from the list"))
                continue
            }
            out.append(Engagement(role: role, companyID: id, leadName: form["leadName.\(role.rawValue)"] ?? "",
                                  leadPhone: form["leadPhone.\(role.rawValue)"] ?? ""))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return out
    }
}
