/// The roles of docs/DESIGN.md §3. A user has exactly one, plus the scope it needs.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// 区住建局: the deployment's owner.
    case bureauAdmin
    /// 街道: scoped to one street office.
    case streetOfficer
    /// 职能部门: scoped to one department.
    case departmentOfficer
    /// 物业企业: scoped to one property company.
    case companyStaff
    /// 网格员: scoped to one street office.
    case gridWorker
    /// 12345 坐席: district-wide, reads the registry to take calls.
    case hotlineOperator
    /// 参建单位: staff of a construction, design or supervision company, scoped to the
    /// renovation projects their company is engaged on.
    case contractorStaff

    public var zh: String {
        switch self {
        case .bureauAdmin: "区住建局"
        case .streetOfficer: "街道"
        case .departmentOfficer: "职能部门"
        case .companyStaff: "物业企业"
        case .gridWorker: "网格员"
        case .hotlineOperator: "12345 坐席"
        case .contractorStaff: "参建单位"
        }
    }

    public var en: String {
        switch self {
        case .bureauAdmin: "Bureau admin"
        case .streetOfficer: "Street officer"
        case .departmentOfficer: "Department officer"
        case .companyStaff: "Company staff"
        case .gridWorker: "Grid worker"
        case .hotlineOperator: "Hotline operator"
        case .contractorStaff: "Contractor staff"
        }
    }

    /// For the roles scoped to a company: whether that company is a contractor (参建单位)
    /// rather than a property company. Nil for the other roles.
    public var worksForContractor: Bool? {
        switch self {
        case .companyStaff: false
        case .contractorStaff: true
        case .bureauAdmin, .streetOfficer, .departmentOfficer, .gridWorker, .hotlineOperator: nil
        }
    }

    /// The scope a role must carry; a user without it cannot be created.
    public var requiredScope: ScopeKind? {
        switch self {
        case .bureauAdmin, .hotlineOperator: nil
        case .streetOfficer, .gridWorker: .streetOffice
        case .departmentOfficer: .department
        case .companyStaff, .contractorStaff: .company
        }
    }
}

public enum ScopeKind: String, Sendable, Codable {
    case streetOffice, department, company
}
