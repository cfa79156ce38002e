import Foundation
import YijuCore

/// A compound's governance (居民自治) through the API.
extension YijuAPI {
    func getCompoundGovernance(_ input: Operations.getCompoundGovernance.Input) async throws -> Operations.getCompoundGovernance.Output {
        let loaded = try await service().governance(of: try pathID(input.path.id, "compound"))
        return .ok(.init(body: .json(try .init(loaded, today: Calendar.shanghai.day(app.clock.now())))))
    }

    func saveCompoundGovernance(_ input: Operations.saveCompoundGovernance.Input) async throws -> Operations.saveCompoundGovernance.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let governance = CompoundGovernance(
            body: b.body.map { body in
                GovernanceBody(kind: GovernanceBodyKind(rawValue: body.kind.rawValue)!, termStart: body.termStart, termEnd: body.termEnd,
                               members: body.members.map {
                    .init(position: GovernancePosition(rawValue: $0.position.rawValue)!, name: $0.name, phone: $0.phone, building: $0.building)
                })
            },
            representatives: b.representatives.map {
                Representative(role: RepresentativeRole(rawValue: $0.role.rawValue)!, name: $0.name, phone: $0.phone, building: $0.building)
            })
        let saved = try await service().saveGovernance(of: try pathID(input.path.id, "compound"), governance)
        return .ok(.init(body: .json(try .init(saved, today: Calendar.shanghai.day(app.clock.now())))))
    }
}

extension Components.Schemas.CompoundGovernance {
    init(_ g: RegistryService.Governance, today: String) throws {
        let body = g.governance.body
        self.init(
            compoundId: try g.compound.requireID().uuidString,
            body: body.map { body in
                .init(kind: .init(rawValue: body.kind.rawValue)!, termStart: body.termStart, termEnd: body.termEnd, members: body.members.map {
                    .init(position: .init(rawValue: $0.position.rawValue)!, name: $0.name, phone: $0.phone, building: $0.building)
                })
            },
            representatives: g.governance.representatives.map {
                .init(role: .init(rawValue: $0.role.rawValue)!, name: $0.name, phone: $0.phone, building: $0.building)
            },
            phonesMasked: g.phonesMasked, inTerm: body?.inTerm(on: today), updatedBy: g.updatedBy, updatedAt: g.updatedAt)
    }
}
