import Foundation

/// How a facility a compound has is doing, as its inventory records it.
public enum FacilityCondition: String, CaseIterable, Sendable, Codable {
    case good, worn, missing
}

/// One line of a compound's facilities inventory: a catalogue item, how much, in what shape.
public struct Facility: Sendable, Codable, Equatable {
    public var item: String
    public var quantity: Double
    public var condition: FacilityCondition

    public init(item: String, quantity: Double, condition: FacilityCondition) {
        self.item = item
        self.quantity = quantity
        self.condition = condition
    }
}

/// What the standard asks of a compound for one indicator, in catalogue items. Stored and
/// sent flat (`{"kind": "onePer", "item": "parkingSpaces", "households": 4}`), the shape a
/// bureau edits.
public enum StandardRequirement: Sendable, Codable, Equatable {
    /// At least one, in usable shape.
    case present(item: String)
    /// At least `quantity` for every household (m² of greening per household …), rounded up.
    case perHousehold(item: String, quantity: Double)
    /// At least one for every `households` households, rounded up.
    case onePer(item: String, households: Int)
    /// Each of these, where the compound has it, in good shape: the basic works.
    case sound(items: [String])

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case present, perHousehold, onePer, sound
    }

    public var kind: Kind {
        switch self {
        case .present: .present
        case .perHousehold: .perHousehold
        case .onePer: .onePer
        case .sound: .sound
        }
    }

    /// The catalogue items it names.
    public var items: [String] {
        switch self {
        case .present(let item), .perHousehold(let item, _), .onePer(let item, _): [item]
        case .sound(let items): items
        }
    }

    private enum Key: String, CodingKey { case kind, item, items, quantity, households }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .present: self = .present(item: try c.decode(String.self, forKey: .item))
        case .perHousehold: self = .perHousehold(item: try c.decode(String.self, forKey: .item), quantity: try c.decode(Double.self, forKey: .quantity))
        case .onePer: self = .onePer(item: try c.decode(String.self, forKey: .item), households: try c.decode(Int.self, forKey: .households))
        case .sound: self = .sound(items: try c.decode([String].self, forKey: .items))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .present(let item): try c.encode(item, forKey: .item)
        case .perHousehold(let item, let quantity): try c.encode(item, forKey: .item); try c.encode(quantity, forKey: .quantity)
        case .onePer(let item, let households): try c.encode(item, forKey: .item); try c.encode(households, forKey: .households)
        case .sound(let items): try c.encode(items, forKey: .items)
        }
    }
}

/// One indicator of the standard, and the catalogue items that meet it (none: an indicator
/// renovation does not build, such as the community's management).
public struct StandardIndicator: Sendable, Codable, Equatable {
    public var code: String
    public var category: String
    public var name: String
    public var requirements: [StandardRequirement]

    public init(code: String, category: String, name: String, requirements: [StandardRequirement] = []) {
        self.code = code
        self.category = category
        self.name = name
        self.requirements = requirements
    }
}

/// A gap between a compound and the standard (缺什么、补什么): the item to build, how much, and why.
public struct FacilityGap: Sendable, Equatable {
    public var indicator: String
    public var item: String
    public var quantity: Double
    public var reason: String
}

/// The complete-community standard (完整社区: six categories, twenty indicators) as data,
/// each indicator with what it asks of a compound in catalogue items. The quantities are
/// the defaults a bureau starts from (Nangang's 九有五好 asks the same things in its own
/// words) and edits with the catalogue.
public struct CommunityStandard: Sendable, Codable, Equatable {
    public var indicators: [StandardIndicator]

    public init(indicators: [StandardIndicator]) { self.indicators = indicators }

    public static let `default` = CommunityStandard(indicators: [
        .init(code: "1.1", category: "基本公共服务设施", name: "社区综合服务站", requirements: [.present(item: "serviceRoom")]),
        .init(code: "1.2", category: "基本公共服务设施", name: "幼儿园"),
        .init(code: "1.3", category: "基本公共服务设施", name: "托儿所", requirements: [.present(item: "elderlyChildCare")]),
        .init(code: "1.4", category: "基本公共服务设施", name: "老年服务站", requirements: [.present(item: "elderlyChildCare")]),
        .init(code: "1.5", category: "基本公共服务设施", name: "社区卫生服务站"),
        .init(code: "2.1", category: "便民商业服务设施", name: "综合超市"),
        .init(code: "2.2", category: "便民商业服务设施", name: "邮件和快件寄递服务设施"),
        .init(code: "2.3", category: "便民商业服务设施", name: "其他便民商业网点"),
        .init(code: "3.1", category: "市政配套基础设施", name: "水、电、路、气、热、信等设施", requirements: [
            .sound(items: ["waterDrainage", "power", "gas", "heatingPipes", "roofWaterproofing", "wallInsulation", "stairwellLighting"]),
        ]),
        .init(code: "3.2", category: "市政配套基础设施", name: "停车及充电设施", requirements: [
            .onePer(item: "parkingSpaces", households: 4), .onePer(item: "chargingPoints", households: 20), .present(item: "bicycleShed"),
        ]),
        .init(code: "3.3", category: "市政配套基础设施", name: "慢行系统"),
        .init(code: "3.4", category: "市政配套基础设施", name: "无障碍设施", requirements: [.present(item: "accessibility")]),
        .init(code: "3.5", category: "市政配套基础设施", name: "环境卫生设施", requirements: [.present(item: "dryingArea")]),
        .init(code: "4.1", category: "公共活动空间", name: "公共活动场地", requirements: [.present(item: "fitness")]),
        .init(code: "4.2", category: "公共活动空间", name: "公共绿地", requirements: [.perHousehold(item: "greening", quantity: 1)]),
        .init(code: "5.1", category: "物业管理全覆盖", name: "物业服务"),
        .init(code: "5.2", category: "物业管理全覆盖", name: "物业管理服务平台", requirements: [
            .present(item: "smartFacilities"), .present(item: "accessControl"),
        ]),
        .init(code: "6.1", category: "社区管理机制", name: "管理机制"),
        .init(code: "6.2", category: "社区管理机制", name: "综合管理服务"),
        .init(code: "6.3", category: "社区管理机制", name: "社区文化"),
    ])

    /// What a compound of `households` households lacks against the standard, given its
    /// inventory: each item once (the first indicator that asks for it), in the standard's order.
    public func gaps(inventory: [Facility], households: Int) -> [FacilityGap] {
        var usable: [String: Double] = [:], worn: [String: Double] = [:]
        for facility in inventory {
            switch facility.condition {
            case .good: usable[facility.item, default: 0] += facility.quantity
            case .worn: worn[facility.item, default: 0] += facility.quantity
            case .missing: break
            }
        }
        var gaps: [FacilityGap] = []
        var asked = Set<String>()
        func add(_ indicator: StandardIndicator, _ item: String, _ quantity: Double, _ reason: String) {
            guard quantity > 0, asked.insert(item).inserted else { return }
            gaps.append(FacilityGap(indicator: indicator.code, item: item, quantity: quantity, reason: reason))
        }
        for indicator in indicators {
            for requirement in indicator.requirements {
                switch requirement {
                case .present(let item):
                    if usable[item, default: 0] + worn[item, default: 0] <= 0 {
                        add(indicator, item, 1, "\(indicator.name)：缺")
                    } else if usable[item, default: 0] <= 0 {
                        add(indicator, item, worn[item, default: 0], "\(indicator.name)：老化")
                    }
                case .perHousehold(let item, let quantity):
                    let needed = (Double(households) * quantity).rounded(.up)
                    add(indicator, item, needed - usable[item, default: 0], "\(indicator.name)：应有 \(Self.number(needed))，现有 \(Self.number(usable[item, default: 0]))")
                case .onePer(let item, let per):
                    let needed = (Double(households) / Double(max(per, 1))).rounded(.up)
                    add(indicator, item, needed - usable[item, default: 0], "\(indicator.name)：每 \(per) 户 1 个，应有 \(Self.number(needed))，现有 \(Self.number(usable[item, default: 0]))")
                case .sound(let items):
                    for item in items where worn[item, default: 0] > 0 {
                        add(indicator, item, worn[item, default: 0], "\(indicator.name)：老化待修")
                    }
                }
            }
        }
        return gaps
    }

    /// Every problem with a standard as a whole: each indicator once, items from the catalogue.
    public func problems(catalogue: WorkItemCatalogue) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, indicator) in indicators.enumerated() {
            if !seen.insert(indicator.code).inserted { errors.append(FieldError(field: "indicators[\(i)].code", reason: "\(indicator.code) is listed twice")) }
            if indicator.code.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "indicators[\(i)].code", reason: "is required")) }
            if indicator.name.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "indicators[\(i)].name", reason: "is required")) }
            for (j, requirement) in indicator.requirements.enumerated() {
                let field = "indicators[\(i)].requirements[\(j)]"
                for item in requirement.items where catalogue.item(item) == nil {
                    errors.append(FieldError(field: field, reason: "\(item) is not in the catalogue"))
                }
                switch requirement {
                case .perHousehold(_, let quantity) where !(quantity > 0 && quantity <= 1000):
                    errors.append(FieldError(field: field + ".quantity", reason: "must be more than 0 and at most 1000 per household"))
                case .onePer(_, let households) where !(1...10_000).contains(households):
                    errors.append(FieldError(field: field + ".households", reason: "must be 1 to 10000 households"))
                case .sound(let items) where items.isEmpty:
                    errors.append(FieldError(field: field + ".items", reason: "list at least one item"))
                default: break
                }
            }
        }
        return errors
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
