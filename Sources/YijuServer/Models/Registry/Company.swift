import Fluent
import Foundation
import YijuCore

/// A company in the registry: a property company (物业服务企业) or a renovation contractor.
final class Company: Model, @unchecked Sendable {
    static let schema = "companies"

    @ID(key: .id) var id: UUID?
    @Field(key: .name) var name: String
    /// 物业, or a contractor's 施工、设计、监理: only property companies manage compounds, bid and are graded.
    @Field(key: .kind) var kind: CompanyKind
    /// 统一社会信用代码.
    @Field(key: .registrationNumber) var registrationNumber: String
    @OptionalField(key: .legalRepresentative) var legalRepresentative: String?
    @OptionalField(key: .phone) var phone: String?
    @Field(key: .staff) var staff: Int
    @Field(key: .serviceStations) var serviceStations: Int
    /// Sweeping and snow-clearing machines.
    @Field(key: .machines) var machines: Int
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}

extension Company {
    /// Property companies only: those that manage compounds, bid in tenders, are graded and
    /// ranked, and may be expelled. Contractors keep their own record apart.
    static func properties(on db: any Database) -> QueryBuilder<Company> {
        query(on: db).filter(\.$kind == .property)
    }
}
