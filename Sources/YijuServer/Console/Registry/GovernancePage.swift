import Foundation
import YijuCore

/// A compound's governance in the console (居民自治): the committee with its term and
/// members, the representatives, and for the compound's keepers a form that writes people a
/// line each — `主任 张建国 138 0451 0001 3号楼` — as an officer copies them from a notice.
struct GovernancePage: Encodable {
    struct Person: Encodable { var role: String, name: String, phone: String, building: String }
    struct Form: Encodable {
        var kind: String, termStart: String, termEnd: String, members: String, representatives: String
    }
    struct Option: Encodable { var value: String, label: String, selected: Bool }

    var compound: String
    var compoundLink: String
    var facts: [Fact]
    var members: [Person]
    var representatives: [Person]
    var phonesMasked: Bool
    var action: String?
    var form: Form?
    var kinds: [Option]
    var errors: [FieldError]

    init(_ g: RegistryService.Governance, mayEdit: Bool, today: String, form posted: [String: String]?, errors: [FieldError], _ t: [String: String]) throws {
        let id = try g.compound.requireID()
        compound = "\(g.compound.code) \(g.compound.name)"
        compoundLink = ConsolePath.compound(.value(id)).path
        let body = g.governance.body
        facts = [Fact(label: t["governanceBody"]!, value: body.map { t["governanceKind." + $0.kind.rawValue]! } ?? t["noGovernanceBody"]!)]
        if let body {
            facts.append(Fact(label: t["governanceTerm"]!, value: "\(body.termStart) — \(body.termEnd)" + (body.inTerm(on: today) ? "" : " · " + t["termOver"]!)))
        }
        if let by = g.updatedBy { facts.append(Fact(label: t["governanceUpdated"]!, value: "\(by) · \(g.updatedAt.map(Format.dateTime) ?? "")")) }
        func building(_ b: Int?) -> String { b.map { "\($0)\(t["buildingSuffix"]!)" } ?? "" }
        members = body?.members.map { Person(role: t["position." + $0.position.rawValue]!, name: $0.name, phone: $0.phone, building: building($0.building)) } ?? []
        representatives = g.governance.representatives.map {
            Person(role: t["representative." + $0.role.rawValue]!, name: $0.name, phone: $0.phone, building: building($0.building))
        }
        phonesMasked = g.phonesMasked
        action = mayEdit ? ConsolePath.compoundGovernance(.value(id)).path : nil
        let saved = g.governance
        if mayEdit {
            form = Form(kind: posted?["kind"] ?? body?.kind.rawValue ?? "",
                        termStart: posted?["termStart"] ?? body?.termStart ?? "", termEnd: posted?["termEnd"] ?? body?.termEnd ?? "",
                        members: posted?["members"] ?? (saved.body?.members.map { Self.line(t["formWord." + $0.position.rawValue]!, $0.name, $0.phone, $0.building, t) } ?? [])
                            .joined(separator: "\n"),
                        representatives: posted?["representatives"] ?? saved.representatives.map {
                            Self.line(t["formWord." + $0.role.rawValue]!, $0.name, $0.phone, $0.building, t)
                        }.joined(separator: "\n"))
        }
        let chosen = form?.kind ?? ""
        kinds = [Option(value: "", label: t["noGovernanceBody"]!, selected: chosen.isEmpty)] + GovernanceBodyKind.allCases.map {
            Option(value: $0.rawValue, label: t["governanceKind." + $0.rawValue]!, selected: chosen == $0.rawValue)
        }
        self.errors = errors
    }

    static func line(_ role: String, _ name: String, _ phone: String, _ building: Int?, _ t: [String: String]) -> String {
        ([role, name, phone] + (building.map { ["\($0)\(t["buildingSuffix"]!)"] } ?? [])).joined(separator: " ")
    }

    /// The words a line may start with, in either language, for each position and role.
    static let positions: [String: GovernancePosition] = [
        "主任": .director, "副主任": .deputyDirector, "委员": .member, "成员": .member,
        "director": .director, "deputy": .deputyDirector, "member": .member,
    ]
    static let roles: [String: RepresentativeRole] = [
        "楼院长": .yardHead, "楼栋长": .buildingHead, "栋长": .buildingHead, "居民代表": .residentRepresentative,
        "yardhead": .yardHead, "buildinghead": .buildingHead, "representative": .residentRepresentative,
    ]

    /// One line as its parts: the word it starts with, the name, the phone (which may be
    /// written with spaces) and an optional building (`3`, `3号楼`, `3栋`).
    static func parts(_ line: String) -> (word: String, name: String, phone: String, building: Int?)? {
        var tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard tokens.count >= 3 else { return nil }
        var building: Int?
        // A building is `3号楼`, `3栋`, `3号`, or a bare number of up to three digits without a
        // leading zero after the phone — the last group of a phone written `138 0451 0001` is not one.
        if tokens.count > 3, let last = tokens.last {
            let digits = String(last.prefix { $0.isASCII && $0.isNumber })
            let rest = last.dropFirst(digits.count)
            let bare = rest.isEmpty && digits.count <= 3 && !digits.hasPrefix("0")
            if !digits.isEmpty, bare || ["号楼", "栋", "号"].contains(String(rest)), let number = Int(digits) {
                building = number
                tokens.removeLast()
            }
        }
        guard tokens.count >= 3 else { return nil }
        return (tokens[0], tokens[1], tokens[2...].joined(), building)
    }

    /// The form's fields as a governance, or every line that does not read, named by its number.
    static func governance(_ form: [String: String]) throws -> CompoundGovernance {
        var errors: [FieldError] = []
        func lines(_ key: String) -> [(Int, String)] { FormLines.lines(form[key]) }
        var members: [GovernanceBody.Member] = []
        for (number, line) in lines("members") {
            guard let p = parts(line), let position = positions[p.word.lowercased()] else {
                errors.append(FieldError(field: "members", reason: "a position (主任, 副主任, 委员), a name and a phone, like 主任 张建国 13804510001 3号楼", line: number))
                continue
            }
            members.append(.init(position: position, name: p.name, phone: p.phone, building: p.building))
        }
        var representatives: [Representative] = []
        for (number, line) in lines("representatives") {
            guard let p = parts(line), let role = roles[p.word.lowercased()] else {
                errors.append(FieldError(field: "representatives", reason: "a role (楼院长, 楼栋长, 居民代表), a name and a phone, like 楼栋长 王强 13604513333 2号楼", line: number))
                continue
            }
            representatives.append(.init(role: role, name: p.name, phone: p.phone, building: p.building))
        }
        let kind = (form["kind"] ?? "").trimmingCharacters(in: .whitespaces)
        var body: GovernanceBody?
        if !kind.isEmpty {
            guard let k = GovernanceBodyKind(rawValue: kind) else { throw DomainError.validation([FieldError(field: "kind", reason: "choose a committee or none")]) }
            body = GovernanceBody(kind: k, termStart: form["termStart"] ?? "", termEnd: form["termEnd"] ?? "", members: members)
        } else if !members.isEmpty {
            errors.append(FieldError(field: "kind", reason: "members are listed; choose the committee they sit on"))
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return CompoundGovernance(body: body, representatives: representatives)
    }

    /// The rules' errors on the form's terms: `body.members[2].phone` is the members' line
    /// that holds the third member. `form` is what was posted, to count its lines.
    static func formErrors(_ errors: [FieldError], _ form: [String: String]) -> [FieldError] {
        FormLines.errors(errors, [("body.members[", "members", form["members"]), ("representatives[", "representatives", form["representatives"])]).map {
            FieldError(field: $0.field.replacingOccurrences(of: "body.", with: ""), reason: $0.reason, line: $0.line)
        }
    }
}

extension CompoundPage {
    /// The compound file's line about its residents' bodies: which committee, until when.
    static func governanceFact(_ g: CompoundGovernance?, today: String, _ t: [String: String]) -> Fact {
        guard let body = g?.body else { return Fact(label: t["governanceBody"]!, value: t["noGovernanceBody"]!) }
        let term = "\(t["termEnd"]!) \(body.termEnd)" + (body.inTerm(on: today) ? "" : " · " + t["termOver"]!)
        return Fact(label: t["governanceBody"]!, value: "\(t["governanceKind." + body.kind.rawValue]!) · \(term)")
    }
}
