import YijuCore

/// The console's words, Simplified Chinese first. Templates read them as `t.key`.
enum Language: String, CaseIterable, Sendable {
    case zh, en

    var strings: [String: String] { self == .zh ? Strings.zh : Strings.en }
}

enum Strings {
    static let zh = registryZh.merging(zoningZh) { a, _ in a }.merging(casesZh) { a, _ in a }.merging(creditZh) { a, _ in a }
        .merging(inspectionsZh) { a, _ in a }
    static let en = registryEn.merging(zoningEn) { a, _ in a }.merging(casesEn) { a, _ in a }.merging(creditEn) { a, _ in a }
        .merging(inspectionsEn) { a, _ in a }

    static let registryZh: [String: String] = [
        "appName": "宜居 · 老旧小区物业管理平台", "brand": "宜居", "login": "登录", "logout": "退出", "username": "用户名", "password": "密码",
        "dashboard": "总览", "compounds": "小区台账", "map": "区域地图", "streetOffices": "街道办事处", "communities": "社区",
        "companies": "物业企业", "departments": "职能部门", "barriers": "边界（河流/铁路/主干道）", "import": "导入", "export": "导出",
        "audit": "操作日志", "search": "搜索", "filter": "筛选", "all": "全部", "kind": "类型", "management": "管理方式",
        "renovation": "改造状态", "streetOffice": "街道", "community": "社区", "name": "名称", "code": "编号", "address": "地址",
        "floorArea": "建筑面积（m²）", "households": "户数", "buildings": "楼栋数", "yearBuilt": "建成年份", "company": "物业企业",
        "contract": "物业合同", "feeRate": "物业费（元/m²·月）", "term": "合同期", "none": "无", "edit": "编辑", "save": "保存",
        "cancel": "取消", "new": "新增", "newCompound": "新增小区", "details": "详情", "location": "位置（经度, 纬度）",
        "lon": "经度", "lat": "纬度", "total": "合计", "page": "页", "prev": "上一页", "next": "下一页", "phone": "电话",
        "registrationNumber": "统一社会信用代码", "legalRepresentative": "法定代表人", "staff": "员工", "serviceStations": "服务站",
        "machines": "清扫/除雪机械", "compoundCount": "在管小区", "role": "角色", "scope": "范围", "when": "时间", "who": "操作人",
        "action": "操作", "entity": "对象", "before": "变更前", "after": "变更后", "file": "文件", "upload": "上传并导入",
        "importHelp": "CSV（UTF-8，可带 BOM，Excel 另存为“CSV UTF-8”即可）或 GeoJSON。整份文件要么全部导入，要么一行都不导入；每个错误都会列出行号、列名和原因。",
        "importDone": "导入完成", "added": "新增", "updated": "更新", "unchanged": "未变化", "skipped": "跳过（非小区要素）",
        "importFailed": "导入失败，未写入任何数据", "line": "行", "column": "列", "reason": "原因", "errors": "错误",
        "legend": "图例", "language": "English", "languageCode": "en", "readOnly": "只读", "kindLabel": "种类", "path": "走向",
        "welcome": "欢迎", "byMode": "按管理方式", "byStreet": "按街道", "needCompany": "待引入物业（弃管 + 兜底）",
        "mapHint": "圆点大小表示建筑面积，颜色表示管理方式；悬停或点按查看名称，点击进入小区。", "noResults": "没有符合条件的记录",
        "forbiddenHint": "您的角色或管辖范围不允许此操作。", "errorTitle": "出错了", "back": "返回", "demoUsers": "演示账号",
        "compoundPage": "小区档案", "smallMap": "周边", "communitiesOf": "下辖社区", "addCommunity": "新增社区",
        "streetOfficeEdit": "编辑街道信息", "companyFile": "企业档案（一企一档）", "managedCompounds": "在管小区",
        "departmentEdit": "编辑部门", "companyEdit": "编辑企业", "outline": "辖区边界", "exportCSV": "导出 CSV", "exportGeoJSON": "导出 GeoJSON",
        "exportHelp": "导出您有权查看的全部小区。GeoJSON 含边界线，可直接作为大区划片规划的输入。",
        "selectedTapped": "已选", "throttled": "尝试次数过多", "createdAt": "创建", "updatedAt": "更新",
    ]

    static let registryEn: [String: String] = [
        "appName": "Yiju · Old Compound Management", "brand": "Yiju", "login": "Log in", "logout": "Log out", "username": "Username",
        "password": "Password", "dashboard": "Overview", "compounds": "Compounds", "map": "Map", "streetOffices": "Street offices",
        "communities": "Communities", "companies": "Property companies", "departments": "Departments",
        "barriers": "Barriers (rivers, railways, arterials)", "import": "Import", "export": "Export", "audit": "Audit log",
        "search": "Search", "filter": "Filter", "all": "All", "kind": "Kind", "management": "Management", "renovation": "Renovation",
        "streetOffice": "Street office", "community": "Community", "name": "Name", "code": "Code", "address": "Address",
        "floorArea": "Floor area (m²)", "households": "Households", "buildings": "Buildings", "yearBuilt": "Year built",
        "company": "Company", "contract": "Contract", "feeRate": "Fee (yuan/m²·month)", "term": "Term", "none": "None", "edit": "Edit",
        "save": "Save", "cancel": "Cancel", "new": "New", "newCompound": "New compound", "details": "Details",
        "location": "Location (lon, lat)", "lon": "Longitude", "lat": "Latitude", "total": "Total", "page": "Page", "prev": "Previous",
        "next": "Next", "phone": "Phone", "registrationNumber": "Credit code", "legalRepresentative": "Legal representative",
        "staff": "Staff", "serviceStations": "Service stations", "machines": "Machines", "compoundCount": "Compounds", "role": "Role",
        "scope": "Scope", "when": "When", "who": "Who", "action": "Action", "entity": "Record", "before": "Before", "after": "After",
        "file": "File", "upload": "Upload and import",
        "importHelp": "CSV (UTF-8, with or without BOM; Excel's \"CSV UTF-8\") or GeoJSON. A file is imported whole or not at all; every problem is listed with its line, column and reason.",
        "importDone": "Import finished", "added": "Added", "updated": "Updated", "unchanged": "Unchanged", "skipped": "Skipped (not compounds)",
        "importFailed": "Import failed; nothing was written", "line": "Line", "column": "Column", "reason": "Reason", "errors": "Errors",
        "legend": "Legend", "language": "中文", "languageCode": "zh", "readOnly": "Read only", "kindLabel": "Kind", "path": "Path",
        "welcome": "Welcome", "byMode": "By management mode", "byStreet": "By street office", "needCompany": "Need a company (abandoned + fallback)",
        "mapHint": "Dot size is floor area, colour is management mode; hover or tap for the name, click to open the compound.",
        "noResults": "Nothing matches", "forbiddenHint": "Your role or scope does not allow this.", "errorTitle": "Something went wrong",
        "back": "Back", "demoUsers": "Demo users", "compoundPage": "Compound file", "smallMap": "Surroundings",
        "communitiesOf": "Communities", "addCommunity": "Add community", "streetOfficeEdit": "Edit street office",
        "companyFile": "Company file", "managedCompounds": "Managed compounds", "departmentEdit": "Edit department",
        "companyEdit": "Edit company", "outline": "Outline", "exportCSV": "Export CSV", "exportGeoJSON": "Export GeoJSON",
        "exportHelp": "Exports every compound you may see. The GeoJSON includes barriers and is the zoning planner's input format.",
        "selectedTapped": "Selected", "throttled": "Too many attempts", "createdAt": "Created", "updatedAt": "Updated",
    ]
}

/// Option lists for the vocabularies, labelled in the chosen language.
struct Option: Encodable, Sendable {
    var value: String
    var label: String
    var selected = false
}

extension Language {
    func label(_ kind: CompoundKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ mode: ManagementMode) -> String { self == .zh ? Labels.zh(mode) : Labels.en(mode) }
    func label(_ state: RenovationState) -> String { self == .zh ? Labels.zh(state) : Labels.en(state) }
    func label(_ kind: BarrierKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ kind: DepartmentKind) -> String { self == .zh ? Labels.zh(kind) : Labels.en(kind) }
    func label(_ role: Role) -> String { self == .zh ? role.zh : role.en }
    func label(_ channel: CaseChannel) -> String { self == .zh ? Labels.zh(channel) : Labels.en(channel) }
    func label(_ domain: CaseDomain) -> String { self == .zh ? Labels.zh(domain) : Labels.en(domain) }
    func label(_ colour: CaseColour) -> String { self == .zh ? Labels.zh(colour) : Labels.en(colour) }
    func label(_ state: CaseState) -> String { self == .zh ? Labels.zh(state) : Labels.en(state) }
    func label(_ s: Satisfaction) -> String { self == .zh ? Labels.zh(s) : Labels.en(s) }

    func options<E: RawRepresentable & CaseIterable>(_ type: E.Type, selected: String?, label: (E) -> String) -> [Option] where E.RawValue == String {
        E.allCases.map { Option(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }
}
