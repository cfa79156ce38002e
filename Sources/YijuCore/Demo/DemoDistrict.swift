import Foundation

/// A generated district shaped like Harbin's Nangang (docs/DOMAIN.md's figures):
/// eight street offices, about 600 compounds of which about 380 abandoned or on government
/// fallback, about 40 property companies, the nine departments a street office summons,
/// the Majiagou river, a railway and arterial roads. Deterministic from the seed, so demos,
/// screenshots and later features (zoning, cases, credit) always see the same district.
public struct DemoDistrict: Sendable {
    public struct StreetOffice: Sendable {
        public var code: String
        public var name: String
        public var address: String
        public var phone: String
        /// Closed outline, first point repeated last.
        public var outline: [GeoPoint]
        public var communities: [Community]
    }

    public struct Community: Sendable {
        public var name: String
        public var centre: GeoPoint
    }

    public struct Barrier: Sendable {
        public var name: String
        public var kind: BarrierKind
        public var path: [GeoPoint]
    }

    public struct Department: Sendable {
        public var kind: DepartmentKind
        public var name: String
        public var phone: String
    }

    public struct Company: Sendable {
        public var name: String
        public var registrationNumber: String
        public var legalRepresentative: String
        public var phone: String
        public var staff: Int
        public var serviceStations: Int
        public var machines: Int
    }

    public struct Contract: Sendable {
        public var code: String
        public var companyIndex: Int
        /// Fee in fen per m² per month (old compounds: 0.35–0.90 yuan).
        public var feeRateFen: Int
        /// ISO dates (yyyy-MM-dd), Asia/Shanghai calendar days.
        public var start: String
        public var end: String
    }

    public struct Compound: Sendable {
        public var record: CompoundRecord
        public var companyIndex: Int?
        public var contractIndex: Int?
    }

    public struct User: Sendable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var streetOfficeIndex: Int?
        public var departmentKind: DepartmentKind?
        public var companyIndex: Int?
        /// For contractor staff: an index into `contractors`.
        public var contractorIndex: Int? = nil
    }

    /// A renovation contractor (参建单位) of the registry.
    public struct Contractor: Sendable {
        public var kind: CompanyKind
        public var company: Company
    }

    public var name: String
    public var streetOffices: [StreetOffice]
    public var barriers: [Barrier]
    public var departments: [Department]
    public var companies: [Company]
    /// Construction, design and supervision companies: apart from the property companies,
    /// which manage compounds, bid and are graded.
    public var contractors: [Contractor]
    public var contracts: [Contract]
    public var compounds: [Compound]
    public var users: [User]

    public static let defaultSeed: UInt64 = 20_231_130

    public static func generate(seed: UInt64 = defaultSeed) -> DemoDistrict {
        var builder = DemoBuilder(seed: seed)
        return builder.build()
    }
}

/// Metres on a local tangent plane around the district centre: good to centimetres at
/// district scale and far simpler than a full projection.
struct LocalPlane {
    let origin: GeoPoint
    let metresPerDegreeLon: Double
    let metresPerDegreeLat = 111_132.0

    init(origin: GeoPoint) {
        self.origin = origin
        metresPerDegreeLon = 111_320.0 * cos(origin.lat * .pi / 180)
    }

    func xy(_ p: GeoPoint) -> (x: Double, y: Double) {
        ((p.lon - origin.lon) * metresPerDegreeLon, (p.lat - origin.lat) * metresPerDegreeLat)
    }

    func point(x: Double, y: Double) -> GeoPoint {
        GeoPoint(lon: origin.lon + x / metresPerDegreeLon, lat: origin.lat + y / metresPerDegreeLat)
    }
}

private struct DemoBuilder {
    var rng: SeededGenerator
    let plane = LocalPlane(origin: GeoPoint(lon: 126.64, lat: 45.745))

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    // The district spans about 11 km east–west and 8 km north–south, centred near 红军街.
    let halfWidth = 5_600.0
    let halfHeight = 4_000.0

    mutating func build() -> DemoDistrict {
        let streets = makeStreetOffices()
        let barriers = makeBarriers()
        let departments = Self.departments
        let companies = makeCompanies()
        var compounds = makeCompounds(streets: streets, barriers: barriers)
        let contracts = assignManagement(&compounds, streets: streets, companies: companies)
        // Last, so that everything before draws the same numbers it always has.
        let contractors = makeContractors()
        return DemoDistrict(
            name: "南岗区（演示）", streetOffices: streets, barriers: barriers, departments: departments,
            companies: companies, contractors: contractors, contracts: contracts, compounds: compounds, users: Self.users)
    }

    // MARK: Street offices: a 4 × 2 tiling with jittered shared corners, so outlines meet exactly.

    static let streetNames: [(code: String, name: String, roads: [String], communities: [String])] = [
        ("HY", "花园街道", ["花园街", "联发街", "邮政街", "红军街"], ["花园", "联发", "邮政", "海城", "民益", "红军"]),
        ("DC", "大成街道", ["大成街", "西大直街", "建设街", "士课街"], ["大成", "建设", "西大直", "士课", "民生", "中山"]),
        ("QZ", "七政街道", ["七政街", "宣化街", "文昌街", "嵩山路"], ["七政", "宣化", "文昌", "嵩山", "永和", "宣庆", "征仪"]),
        ("QX", "曲线街道", ["曲线街", "文化街", "学府路", "教化街"], ["曲线", "文化", "学府", "教化", "铁新", "和平"]),
        ("HX", "和兴路街道", ["和兴路", "西大直街", "巴山街", "比乐街"], ["和兴", "巴山", "比乐", "西江", "阿什河"]),
        ("GX", "革新街道", ["革新街", "东大直街", "一曼街", "耀景街"], ["革新", "一曼", "耀景", "东大直", "安广", "清滨"]),
        ("XF", "先锋路街道", ["先锋路", "长江路", "黄河路", "红旗大街"], ["先锋", "长江", "黄河", "红旗", "衡山", "泰山"]),
        ("SHJ", "松花江街道", ["马家街", "文政街", "海关街", "果戈里大街"], ["马家", "文政", "海关", "果戈里", "松花江", "三合"]),
    ]

    mutating func makeStreetOffices() -> [DemoDistrict.StreetOffice] {
        let columns = 4, rows = 2
        var corners: [[(x: Double, y: Double)]] = []
        for j in 0...rows {
            var row: [(x: Double, y: Double)] = []
            for i in 0...columns {
                var x = -halfWidth + Double(i) * 2 * halfWidth / Double(columns)
                var y = -halfHeight + Double(j) * 2 * halfHeight / Double(rows)
                if i > 0 && i < columns { x += rng.uniform(-450...450) }
                if j > 0 && j < rows { y += rng.uniform(-400...400) }
                row.append((x, y))
            }
            corners.append(row)
        }
        var offices: [DemoDistrict.StreetOffice] = []
        for (index, spec) in Self.streetNames.enumerated() {
            let i = index % columns, j = index / columns
            let cornerPoints = [corners[j][i], corners[j][i + 1], corners[j + 1][i + 1], corners[j + 1][i], corners[j][i]]
            let outline = cornerPoints.map { plane.point(x: $0.x, y: $0.y) }
            var communities: [DemoDistrict.Community] = []
            for name in spec.communities {
                let p = randomPoint(inside: cornerPoints, margin: 250)
                communities.append(.init(name: name + "社区", centre: plane.point(x: p.x, y: p.y)))
            }
            offices.append(.init(
                code: spec.code, name: spec.name,
                address: "哈尔滨市南岗区\(spec.roads[0])\(10 + index * 7)号",
                phone: "0451-\(86_300_000 + index * 1_117)",
                outline: outline, communities: communities))
        }
        return offices
    }

    // MARK: Barriers: the Majiagou meanders west to east; a railway runs north–south; arterials cross.

    mutating func makeBarriers() -> [DemoDistrict.Barrier] {
        var river: [GeoPoint] = []
        let steps = 36
        let phase = rng.uniform(0...1)
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            let x = -halfWidth - 200 + t * (2 * halfWidth + 400)
            let y = -900 + 650 * sin((t * 3.2 + phase) * .pi) + 250 * sin(t * 11 * .pi)
            river.append(plane.point(x: x, y: y))
        }
        let railwayX = -1_900.0
        let railway = [plane.point(x: railwayX - 300, y: halfHeight + 200), plane.point(x: railwayX + 350, y: -halfHeight - 200)]
        let daZhi = [plane.point(x: -halfWidth - 200, y: 1_500), plane.point(x: 0, y: 1_350), plane.point(x: halfWidth + 200, y: 1_600)]
        let hongJun = [plane.point(x: 1_700, y: halfHeight + 200), plane.point(x: 1_500, y: -halfHeight - 200)]
        let xueFu = [plane.point(x: -halfWidth - 200, y: -2_900), plane.point(x: halfWidth + 200, y: -2_400)]
        return [
            .init(name: "马家沟河", kind: .river, path: river),
            .init(name: "滨洲铁路", kind: .railway, path: railway),
            .init(name: "大直街", kind: .arterial, path: daZhi),
            .init(name: "红旗大街", kind: .arterial, path: hongJun),
            .init(name: "学府路", kind: .arterial, path: xueFu),
        ]
    }

    static let departments: [DemoDistrict.Department] = [
        .init(kind: .housing, name: "南岗区住房和城乡建设局", phone: "0451-86300110"),
        .init(kind: .cityManagement, name: "南岗区城市管理局", phone: "0451-86300120"),
        .init(kind: .lawEnforcement, name: "南岗区综合行政执法局", phone: "0451-86300130"),
        .init(kind: .police, name: "哈尔滨市公安局南岗分局", phone: "0451-86300140"),
        .init(kind: .fire, name: "南岗区消防救援大队", phone: "0451-86300150"),
        .init(kind: .power, name: "国网哈尔滨供电公司南岗供电分公司", phone: "0451-86300160"),
        .init(kind: .water, name: "哈尔滨供水集团南岗营业分公司", phone: "0451-86300170"),
        .init(kind: .heating, name: "哈尔滨市南岗区供热办公室", phone: "0451-86300180"),
        .init(kind: .gas, name: "哈尔滨中庆燃气南岗分公司", phone: "0451-86300190"),
    ]

    // MARK: Companies

    static let companyBrands = ["正一", "领建", "金桥", "宏达", "嘉和", "鑫源", "瑞祥", "安居", "恒信", "龙盛",
                                "博远", "永泰", "和润", "康居", "百盛", "天成", "华安", "融城", "松江", "冰城",
                                "北国", "滨江", "兴隆", "福瑞", "德馨", "泰和", "万家", "民安", "惠民", "众诚",
                                "中环", "祥云", "益民", "鸿运", "锦程", "诚信", "广厦", "长青", "远航", "盛世"]
    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "于", "高", "林", "何", "徐"]
    static let givenNames = ["建国", "志强", "秀兰", "海波", "立新", "春燕", "国庆", "玉梅", "德胜", "丽华", "振东", "桂芳", "红军", "淑珍", "永刚", "晓东", "文博", "雪松"]

    mutating func makeCompanies() -> [DemoDistrict.Company] {
        Self.companyBrands.enumerated().map { index, brand in
            let prefix = index % 3 == 0 ? "黑龙江" : "哈尔滨市"
            let stations = 1 + Int(rng.next() % 4)
            return .init(
                name: "\(prefix)\(brand)物业服务有限公司",
                registrationNumber: unifiedSocialCreditCode(),
                legalRepresentative: rng.pick(Self.surnames) + rng.pick(Self.givenNames),
                phone: "13\(Int(rng.next() % 10))\(String(format: "%08d", Int(rng.next() % 100_000_000)))",
                staff: stations * 12 + Int(rng.next() % 40),
                serviceStations: stations,
                machines: Int(rng.next() % 8))
        }
    }

    static let contractorNames: [(CompanyKind, String)] = [
        (.construction, "哈尔滨宜建建筑工程有限公司"), (.construction, "黑龙江宏远市政建设集团有限公司"),
        (.design, "哈尔滨城建规划设计研究院有限公司"), (.supervision, "黑龙江正衡工程监理有限公司"),
    ]

    mutating func makeContractors() -> [DemoDistrict.Contractor] {
        Self.contractorNames.map { kind, name in
            .init(kind: kind, company: .init(
                name: name, registrationNumber: unifiedSocialCreditCode(),
                legalRepresentative: rng.pick(Self.surnames) + rng.pick(Self.givenNames),
                phone: "13\(Int(rng.next() % 10))\(String(format: "%08d", Int(rng.next() % 100_000_000)))",
                staff: 40 + Int(rng.next() % 200), serviceStations: 0, machines: Int(rng.next() % 30)))
        }
    }

    /// 统一社会信用代码 (GB 32100-2015): 18 characters with a mod-31 check character, so
    /// demo codes pass the same validation a real one does.
    mutating func unifiedSocialCreditCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var chars = Array("91230103")  // 9: enterprise, 1: company, 230103: Harbin Nangang
        while chars.count < 17 { chars.append(alphabet[Int(rng.next() % 31)]) }
        let sum = zip(chars, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        chars.append(alphabet[(31 - sum % 31) % 31])
        return String(chars)
    }

    // MARK: Compounds: about one per 160 m block, never on the river, kinds and sizes as published.

    static let estateWords = ["和平", "幸福", "安康", "阳光", "锦绣", "长青", "福顺", "永安", "丽园", "康乐", "兴旺", "友谊",
                              "红星", "新风", "春华", "秋实", "翠竹", "松柏", "华府", "金色", "明珠", "紫荆", "嘉园", "东升"]
    static let estateSuffixes = ["小区", "家园", "花园", "小区", "公寓", "新村"]
    static let employers = ["哈工大", "哈医大", "黑龙江大学", "哈尔滨电机厂", "哈尔滨铁路局", "省农科院", "哈尔滨锅炉厂",
                            "市第一医院", "哈尔滨量具刃具厂", "省邮电管理局", "哈尔滨轴承厂", "哈师大", "省建三公司", "哈尔滨车辆厂"]

    mutating func makeCompounds(streets: [DemoDistrict.StreetOffice], barriers: [DemoDistrict.Barrier]) -> [DemoDistrict.Compound] {
        let counts = [78, 72, 84, 70, 66, 80, 76, 74]  // 600 in all, 66–84 a street office
        let river = barriers[0].path.map { plane.xy($0) }
        let railway = barriers[1].path.map { plane.xy($0) }
        var compounds: [DemoDistrict.Compound] = []
        for (s, street) in streets.enumerated() {
            let outline = street.outline.map { plane.xy($0) }
            let spec = Self.streetNames[s]
            var usedNames: Set<String> = []
            var blocks = blockCentres(inside: outline, block: 160)
                .filter { distanceToPath($0, river) > 90 && distanceToPath($0, railway) > 50 }
            shuffle(&blocks)
            for n in 0..<min(counts[s], blocks.count) {
                let b = blocks[n]
                let p = plane.point(x: b.x + rng.uniform(-35...35), y: b.y + rng.uniform(-35...35))
                let kind = pickKind()
                let area = floorArea(for: kind)
                let road = rng.pick(spec.roads)
                let number = 1 + Int(rng.next() % 320)
                var name = compoundName(kind: kind, road: road, number: number)
                var suffix = 2
                while usedNames.contains(name) { name = compoundName(kind: kind, road: road, number: number) + "\(suffix)期"; suffix += 1 }
                usedNames.insert(name)
                let buildings = switch kind {
                case .singleBuilding: 1
                case .selfManagedYard: 1 + Int(rng.next() % 3)
                case .estate, .employerQuarters: max(2, Int((area / rng.uniform(3_200...5_200)).rounded()))
                }
                let record = CompoundRecord(
                    code: String(format: "%@-%03d", spec.code, n + 1), name: name, street: street.name,
                    community: nearestCommunity(to: p, in: street.communities), kind: kind,
                    address: "南岗区\(road)\(number)号", location: p, floorArea: area,
                    households: max(6, Int((area / rng.uniform(58...78)).rounded())), buildings: buildings,
                    yearBuilt: yearBuilt(), renovation: renovationState(), management: .abandoned, company: nil)
                compounds.append(.init(record: record))
            }
        }
        return compounds
    }

    mutating func pickKind() -> CompoundKind {
        let u = rng.unit()
        if u < 0.52 { return .estate }
        if u < 0.77 { return .singleBuilding }
        if u < 0.88 { return .selfManagedYard }
        return .employerQuarters
    }

    /// Lognormal around the published scale: estates near 12,000 m² (Qizheng: 98 buildings,
    /// ~700,000 m² over 53 compounds), single buildings one walk-up of 6 storeys.
    mutating func floorArea(for kind: CompoundKind) -> Double {
        let (median, sigma, low, high): (Double, Double, Double, Double) = switch kind {
        case .estate: (14_000, 0.6, 4_000, 100_000)
        case .singleBuilding: (3_200, 0.35, 800, 9_000)
        case .selfManagedYard: (2_600, 0.45, 800, 9_000)
        case .employerQuarters: (11_000, 0.55, 3_000, 60_000)
        }
        let value = median * exp(sigma * rng.normal())
        return (min(high, max(low, value)) / 10).rounded() * 10
    }

    mutating func compoundName(kind: CompoundKind, road: String, number: Int) -> String {
        switch kind {
        case .estate:
            return rng.chance(0.35) ? "\(road)\(number)号院" : rng.pick(Self.estateWords) + rng.pick(Self.estateSuffixes)
        case .singleBuilding: return "\(road)\(number)号楼"
        case .selfManagedYard: return "\(road)\(number)号自管院"
        case .employerQuarters: return rng.pick(Self.employers) + (rng.chance(0.5) ? "家属区" : "家属楼")
        }
    }

    mutating func yearBuilt() -> Int {
        min(2005, max(1965, Int((1_988 + 7 * rng.normal()).rounded())))
    }

    mutating func renovationState() -> RenovationState {
        // Nangang: 140 renovation projects since 2020 cover most old compounds.
        let u = rng.unit()
        if u < 0.55 { return .completed }
        if u < 0.67 { return .underWorks }
        if u < 0.82 { return .planned }
        return .none
    }

    // MARK: Management: ~380 abandoned or fallback (Nangang's 379), companies cluster by street.

    mutating func assignManagement(_ compounds: inout [DemoDistrict.Compound], streets: [DemoDistrict.StreetOffice],
                                   companies: [DemoDistrict.Company]) -> [DemoDistrict.Contract] {
        // Companies take the larger compounds first: a small compound alone is not worth managing.
        var scored: [(index: Int, score: Double)] = []
        for (i, c) in compounds.enumerated() {
            if c.record.kind == .selfManagedYard && rng.chance(0.45) {
                compounds[i].record.management = .selfManaged
                continue
            }
            let kindBonus = c.record.kind == .singleBuilding ? -1.2 : 0
            scored.append((i, log(c.record.floorArea) + kindBonus + rng.normal() * 0.6))
        }
        scored.sort { $0.score < $1.score }
        let withoutCompany = 380
        for (rank, entry) in scored.enumerated() {
            if rank < withoutCompany {
                compounds[entry.index].record.management = rng.chance(0.45) ? .abandoned : .governmentFallback
            } else {
                compounds[entry.index].record.management = .professional
            }
        }
        // Each street office has a few incumbent companies; every company has one home street
        // and sometimes a second one, as Harbin's small firms do.
        var contracts: [DemoDistrict.Contract] = []
        var contractFor: [String: Int] = [:]
        for (i, c) in compounds.enumerated() where c.record.management == .professional {
            let s = streets.firstIndex { $0.name == c.record.street }!
            let home = (0..<5).map { (s * 5 + $0) % companies.count }
            let company = rng.chance(0.85) ? rng.pick(home) : Int(rng.next() % UInt64(companies.count))
            let key = "\(company)-\(s)"
            if contractFor[key] == nil {
                let startYear = 2021 + Int(rng.next() % 4)
                let startMonth = 1 + Int(rng.next() % 12)
                let term = rng.pick([2, 3, 3, 5])
                contracts.append(.init(
                    code: String(format: "NG-HT-%d-%03d", startYear, contracts.count + 1), companyIndex: company,
                    feeRateFen: 35 + 5 * Int(rng.next() % 12),
                    start: String(format: "%04d-%02d-01", startYear, startMonth),
                    end: String(format: "%04d-%02d-01", startYear + term, startMonth)))
                contractFor[key] = contracts.count - 1
            }
            compounds[i].companyIndex = company
            compounds[i].contractIndex = contractFor[key]
            compounds[i].record.company = companies[company].registrationNumber
        }
        return contracts
    }

    static let users: [DemoDistrict.User] = [
        .init(username: "admin", displayName: "区住建局 管理员", role: .bureauAdmin),
        .init(username: "qizheng", displayName: "七政街道 物业办", role: .streetOfficer, streetOfficeIndex: 2),
        .init(username: "gongre", displayName: "区供热办 值班员", role: .departmentOfficer, departmentKind: .heating),
        .init(username: "zhengyi", displayName: "正一物业 客服", role: .companyStaff, companyIndex: 0),
        .init(username: "wangge", displayName: "七政街道 网格员", role: .gridWorker, streetOfficeIndex: 2),
        .init(username: "rexian", displayName: "12345 热线坐席", role: .hotlineOperator),
        .init(username: "shigong", displayName: "宜建建筑 项目负责人", role: .contractorStaff, contractorIndex: 0),
    ]

    // MARK: Geometry helpers (local metres)

    func blockCentres(inside polygon: [(x: Double, y: Double)], block: Double) -> [(x: Double, y: Double)] {
        let xs = polygon.map(\.x), ys = polygon.map(\.y)
        var result: [(x: Double, y: Double)] = []
        var y = (ys.min()! / block).rounded(.up) * block + block / 2
        while y < ys.max()! {
            var x = (xs.min()! / block).rounded(.up) * block + block / 2
            while x < xs.max()! {
                if contains(polygon, (x, y), margin: 60) { result.append((x, y)) }
                x += block
            }
            y += block
        }
        return result
    }

    mutating func randomPoint(inside polygon: [(x: Double, y: Double)], margin: Double) -> (x: Double, y: Double) {
        let xs = polygon.map(\.x), ys = polygon.map(\.y)
        while true {
            let p = (x: rng.uniform(xs.min()!...xs.max()!), y: rng.uniform(ys.min()!...ys.max()!))
            if contains(polygon, p, margin: margin) { return p }
        }
    }

    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
    }

    func nearestCommunity(to p: GeoPoint, in communities: [DemoDistrict.Community]) -> String? {
        communities.min { $0.centre.distance(to: p) < $1.centre.distance(to: p) }?.name
    }

    /// Even–odd point in polygon, and at least `margin` metres from its edges.
    func contains(_ polygon: [(x: Double, y: Double)], _ p: (x: Double, y: Double), margin: Double) -> Bool {
        var inside = false
        var j = polygon.count - 1
        for i in 0..<polygon.count {
            let a = polygon[i], b = polygon[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
            j = i
        }
        return inside && distanceToPath(p, polygon) >= margin
    }

    func distanceToPath(_ p: (x: Double, y: Double), _ path: [(x: Double, y: Double)]) -> Double {
        var best = Double.infinity
        for k in 1..<path.count {
            let a = path[k - 1], b = path[k]
            let dx = b.x - a.x, dy = b.y - a.y
            let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / max(dx * dx + dy * dy, 1e-9)))
            let qx = a.x + t * dx - p.x, qy = a.y + t * dy - p.y
            best = min(best, (qx * qx + qy * qy).squareRoot())
        }
        return best
    }

    func distanceToPath(_ p: (x: Double, y: Double), _ path: [GeoPoint]) -> Double {
        distanceToPath(p, path.map { plane.xy($0) })
    }
}
