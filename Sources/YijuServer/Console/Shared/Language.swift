import YijuCore

/// The console's words, Simplified Chinese first. Templates read them as `t.key`.
enum Language: String, CaseIterable, Sendable {
    case zh, en

    var strings: [String: String] { self == .zh ? Strings.zh : Strings.en }

    /// The language the switch offers.
    var other: Language { self == .zh ? .en : .zh }
}

enum Strings {
    static let zh = registryZh.merging(zoningZh) { a, _ in a }.merging(casesZh) { a, _ in a }.merging(creditZh) { a, _ in a }
        .merging(inspectionsZh) { a, _ in a }.merging(renovationZh) { a, _ in a }.merging(consultationZh) { a, _ in a }.merging(acceptanceZh) { a, _ in a }
        .merging(diaryZh) { a, _ in a }.merging(documentsZh) { a, _ in a }.merging(governanceZh) { a, _ in a }.merging(gridsZh) { a, _ in a }
        .merging(tokensZh) { a, _ in a }
    static let en = registryEn.merging(zoningEn) { a, _ in a }.merging(casesEn) { a, _ in a }.merging(creditEn) { a, _ in a }
        .merging(inspectionsEn) { a, _ in a }.merging(renovationEn) { a, _ in a }.merging(consultationEn) { a, _ in a }.merging(acceptanceEn) { a, _ in a }
        .merging(diaryEn) { a, _ in a }.merging(documentsEn) { a, _ in a }.merging(governanceEn) { a, _ in a }.merging(gridsEn) { a, _ in a }
        .merging(tokensEn) { a, _ in a }
}

extension Language {
    func label(_ kind: CompoundKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ mode: ManagementMode) -> String { self == .zh ? Labels.zh(mode) : Labels.en(mode) }
    func label(_ state: RenovationState) -> String { self == .zh ? Labels.zh(state) : Labels.en(state) }
    func label(_ kind: BarrierKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ kind: DepartmentKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ role: Role) -> String { self == .zh ? role.zh : role.en }
    func label(_ kind: CompanyKind) -> String { self == .zh ? kind.zh : kind.en }
    func label(_ channel: CaseChannel) -> String { self == .zh ? Labels.zh(channel) : Labels.en(channel) }
    func label(_ domain: CaseDomain) -> String { self == .zh ? Labels.zh(domain) : Labels.en(domain) }
    func label(_ colour: CaseColour) -> String { self == .zh ? Labels.zh(colour) : Labels.en(colour) }
    func label(_ state: CaseState) -> String { self == .zh ? Labels.zh(state) : Labels.en(state) }
    func label(_ s: Satisfaction) -> String { self == .zh ? Labels.zh(s) : Labels.en(s) }

    func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, label: (E) -> String) -> [Option] where E.RawValue == String {
        E.allCases.map { Option(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }
}
