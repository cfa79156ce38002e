import Fluent
import Foundation
import YijuCore

/// 督办单: raised when a case is not replied to by its due time, with its own deadline;
/// escalated to the bureau (and recorded against the handler) when that passes too.
final class SupervisionOrder: Model, @unchecked Sendable {
    static let schema = "supervision_orders"

    @ID(key: .id) var id: UUID?
    @Parent(key: .caseID) var caseRecord: CaseRecord
    @Field(key: .handlerKind) var handlerKind: HandlerKind
    @OptionalParent(key: .handlerCompanyID) var handlerCompany: Company?
    @OptionalParent(key: .handlerDepartmentID) var handlerDepartment: Department?
    @Field(key: .issuedAt) var issuedAt: Date
    @Field(key: .dueAt) var dueAt: Date
    @OptionalField(key: .metAt) var metAt: Date?
    @OptionalField(key: .escalatedAt) var escalatedAt: Date?

    init() {}
}
