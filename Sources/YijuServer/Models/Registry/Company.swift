import Fluent
import Foundation
import YijuCore

/// 物业服务企业.
final class Company: Model, @unchecked Sendable {
    static let schema = "companies"

    @ID(key: .id) var id: UUID?
    @Field(key: .name) var name: String
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
