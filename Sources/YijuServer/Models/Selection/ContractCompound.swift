import Fluent
import Foundation
import YijuCore

/// The compounds a contract covers. A contract made by an award changes the registry on
/// its start day (`Contract.appliedAt`); until then the old company keeps them.
final class ContractCompound: Model, @unchecked Sendable {
    static let schema = "contract_compounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: .contractID) var contract: Contract
    @Parent(key: .compoundID) var compound: Compound

    init() {}
}
