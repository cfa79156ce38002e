import Foundation

/// One kind of work a renovation project may include, as the catalogue lists it.
public struct CatalogueItem: Sendable, Codable, Equatable {
    /// Stable code, e.g. `parkingSpaces`; scope items and inventories name items by it.
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var category: WorkItemCategory
    /// The unit a quantity is counted in: 个, m, m², 处, 部, 套 …
    public var unit: String

    public init(code: String, nameZh: String, nameEn: String, category: WorkItemCategory, unit: String) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.category = category
        self.unit = unit
    }
}

/// The work items the bureau lets projects choose from: data, kept in versions like the
/// credit rules, so a project's scope always names items of a known version.
public struct WorkItemCatalogue: Sendable, Codable, Equatable {
    public var items: [CatalogueItem]

    public init(items: [CatalogueItem]) { self.items = items }

    public func item(_ code: String) -> CatalogueItem? { items.first { $0.code == code } }

    /// The basic, improvement and upgrade items of the national renovation guidance
    /// (基础类、完善类、提升类), with the units the reports count them in.
    public static let `default` = WorkItemCatalogue(items: [
        .init(code: "waterDrainage", nameZh: "供排水管网改造", nameEn: "Water supply and drainage", category: .basic, unit: "m"),
        .init(code: "power", nameZh: "供电线路改造", nameEn: "Electricity", category: .basic, unit: "m"),
        .init(code: "gas", nameZh: "燃气管线改造", nameEn: "Gas pipes", category: .basic, unit: "m"),
        .init(code: "heatingPipes", nameZh: "供热管网改造", nameEn: "Heating pipes", category: .basic, unit: "m"),
        .init(code: "roofWaterproofing", nameZh: "屋面防水", nameEn: "Roofs and waterproofing", category: .basic, unit: "m²"),
        .init(code: "wallInsulation", nameZh: "外墙保温", nameEn: "Wall insulation", category: .basic, unit: "m²"),
        .init(code: "stairwellLighting", nameZh: "楼道及照明改造", nameEn: "Stairwells and lighting", category: .basic, unit: "个单元"),
        .init(code: "parkingSpaces", nameZh: "停车位（生态车位）", nameEn: "Parking spaces", category: .improvement, unit: "个"),
        .init(code: "bicycleShed", nameZh: "非机动车棚", nameEn: "Bicycle shed", category: .improvement, unit: "个"),
        .init(code: "greening", nameZh: "绿化", nameEn: "Greening", category: .improvement, unit: "m²"),
        .init(code: "dryingArea", nameZh: "晾晒区", nameEn: "Drying area", category: .improvement, unit: "处"),
        .init(code: "accessibility", nameZh: "无障碍设施", nameEn: "Accessibility", category: .improvement, unit: "处"),
        .init(code: "elevator", nameZh: "加装电梯", nameEn: "Elevator retrofit", category: .improvement, unit: "部"),
        .init(code: "chargingPoints", nameZh: "充电桩", nameEn: "Charging points", category: .improvement, unit: "个"),
        .init(code: "fitness", nameZh: "健身及儿童游乐设施", nameEn: "Fitness and play equipment", category: .improvement, unit: "处"),
        .init(code: "accessControl", nameZh: "门禁及监控", nameEn: "Access control and CCTV", category: .improvement, unit: "套"),
        .init(code: "publicToilet", nameZh: "公共卫生间", nameEn: "Public toilet", category: .improvement, unit: "m²"),
        .init(code: "serviceRoom", nameZh: "社区服务用房", nameEn: "Community service room", category: .upgrade, unit: "m²"),
        .init(code: "elderlyChildCare", nameZh: "养老托育设施", nameEn: "Elderly and child facilities", category: .upgrade, unit: "处"),
        .init(code: "smartFacilities", nameZh: "智慧化设施", nameEn: "Smart facilities", category: .upgrade, unit: "套"),
    ])

    /// Every problem with a catalogue as a whole: each item once, named, with a unit.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            if item.code.isEmpty || !item.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                errors.append(FieldError(field: "items[\(i)].code", reason: "must be letters and digits"))
            } else if !seen.insert(item.code).inserted {
                errors.append(FieldError(field: "items[\(i)].code", reason: "\(item.code) is listed twice"))
            }
            if item.nameZh.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "items[\(i)].nameZh", reason: "is required")) }
            if item.unit.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "items[\(i)].unit", reason: "is required")) }
        }
        if items.isEmpty { errors.append(FieldError(field: "items", reason: "list at least one item")) }
        return errors
    }
}
