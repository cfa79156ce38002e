import Fluent
import Foundation
import YijuCore

/// How the rows of one table fall into each kind of scope: a filter for a street office, a
/// company, a department — whichever the table has. Every list query is narrowed by these,
/// from the scope Policy gives the actor, here and nowhere else.
struct ScopeColumns<Model: Fluent.Model>: Sendable {
    typealias Narrow = @Sendable (QueryBuilder<Model>, UUID) -> Void

    var streetOffice: Narrow?
    var company: Narrow?
    var department: Narrow?
}

extension QueryBuilder {
    /// The query narrowed to `scope`; nil when no row can be in it (the scope is nothing, or
    /// of a kind this table has no column for).
    func scoped(to scope: Scope, by columns: ScopeColumns<Model>) -> QueryBuilder<Model>? {
        let narrow: ScopeColumns<Model>.Narrow?, id: UUID
        switch scope {
        case .district: return self
        case .nothing: return nil
        case .streetOffice(let office): (narrow, id) = (columns.streetOffice, office)
        case .company(let company): (narrow, id) = (columns.company, company)
        case .department(let department): (narrow, id) = (columns.department, department)
        }
        guard let narrow else { return nil }
        narrow(self, id)
        return self
    }
}

extension Compound {
    static let scopeColumns = ScopeColumns<Compound>(
        streetOffice: { $0.filter(\.$streetOffice.$id == $1) }, company: { $0.filter(\.$company.$id == $1) })
}

extension Community {
    static let scopeColumns = ScopeColumns<Community>(streetOffice: { $0.filter(\.$streetOffice.$id == $1) })
}

extension InspectionRecord {
    static let scopeColumns = ScopeColumns<InspectionRecord>(
        streetOffice: { $0.filter(\.$streetOffice.$id == $1) }, company: { $0.filter(\.$company.$id == $1) })
}

extension CaseCreditEvent {
    static let scopeColumns = ScopeColumns<CaseCreditEvent>(company: { $0.filter(\.$company.$id == $1) })
}

extension RenovationProject {
    /// A company's staff see the projects their company is engaged on (a company takes one
    /// part per project, so the join yields each project once).
    static let scopeColumns = ScopeColumns<RenovationProject>(
        streetOffice: { $0.filter(\.$streetOffice.$id == $1) },
        company: { $0.join(RenovationEngagement.self, on: \RenovationProject.$id == \RenovationEngagement.$project.$id)
            .filter(RenovationEngagement.self, \.$company.$id == $1) })
}

extension RenovationGrid {
    /// Grids belong to a street office only: a company's staff read the grids they sit on.
    static let scopeColumns = ScopeColumns<RenovationGrid>(streetOffice: { $0.filter(\.$streetOffice.$id == $1) })
}
