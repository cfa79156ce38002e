import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// The `/api/v1` handlers generated from `openapi.yaml`. Each one decodes (done by the
/// generated code), authenticates (`BearerAuthMiddleware`), calls `RegistryService` and
/// maps the result to the generated wire types. Errors are thrown as `DomainError` and
/// rendered by `YijuErrorMiddleware`.
struct YijuAPI: APIProtocol {
    let app: Application

    func service() throws -> RegistryService {
        RegistryService(app: app, actor: try RequestActor.require())
    }

    // MARK: Auth

    func createToken(_ input: Operations.createToken.Input) async throws -> Operations.createToken.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let credentials = Credentials(app: app)
        let user = try await credentials.authenticate(username: body.username, password: body.password, address: RequestSource.address)
        let token = try await credentials.issueToken(for: user, label: "api")
        try await AuditLog.record(on: app.db, actor: user.actor, action: .token, entityType: "user", entityID: user.id, at: app.clock.now())
        return .created(.init(body: .json(.init(token: token, user: try .init(user)))))
    }

    func getMe(_ input: Operations.getMe.Input) async throws -> Operations.getMe.Output {
        let actor = try RequestActor.require()
        guard let user = try await User.find(actor.userID, on: app.db) else { throw DomainError.notFound("user") }
        return .ok(.init(body: .json(try .init(user))))
    }

    // MARK: Street offices and communities

    func listStreetOffices(_ input: Operations.listStreetOffices.Input) async throws -> Operations.listStreetOffices.Output {
        let service = try service()
        let counts = try await RegistryCounts(db: app.db).compoundsPerStreetOffice()
        return .ok(.init(body: .json(try await service.streetOffices().map { try .init($0, compoundCount: counts[try $0.requireID()] ?? 0) })))
    }

    func createStreetOffice(_ input: Operations.createStreetOffice.Input) async throws -> Operations.createStreetOffice.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let office = try await service().createStreetOffice(.init(code: body.code, name: body.name, address: body.address,
                                                                  phone: body.phone, outline: body.outline))
        return .created(.init(body: .json(try .init(office, compoundCount: 0))))
    }

    func getStreetOffice(_ input: Operations.getStreetOffice.Input) async throws -> Operations.getStreetOffice.Output {
        let office = try await service().streetOffice(try pathID(input.path.id, "street office"))
        let counts = try await RegistryCounts(db: app.db).compoundsPerStreetOffice()
        return .ok(.init(body: .json(try .init(office, compoundCount: counts[try office.requireID()] ?? 0))))
    }

    func updateStreetOffice(_ input: Operations.updateStreetOffice.Input) async throws -> Operations.updateStreetOffice.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let id = try pathID(input.path.id, "street office")
        let office = try await service().updateStreetOffice(id, .init(
            name: body.name, address: body.address.map { .some($0) }, phone: body.phone.map { .some($0) }, outline: body.outline))
        let counts = try await RegistryCounts(db: app.db).compoundsPerStreetOffice()
        return .ok(.init(body: .json(try .init(office, compoundCount: counts[id] ?? 0))))
    }

    func listCommunities(_ input: Operations.listCommunities.Input) async throws -> Operations.listCommunities.Output {
        let streetID = try input.query.streetOfficeId.map { try queryID($0, "streetOfficeId") }
        let counts = try await RegistryCounts(db: app.db).compoundsPerCommunity()
        return .ok(.init(body: .json(try await service().communities(streetOfficeID: streetID).map { try .init($0, compoundCount: counts[try $0.requireID()] ?? 0) })))
    }

    func createCommunity(_ input: Operations.createCommunity.Input) async throws -> Operations.createCommunity.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let streetID = try bodyID(body.streetOfficeId, "streetOfficeId")
        let community = try await service().createCommunity(streetOfficeID: streetID, name: body.name)
        return .created(.init(body: .json(try .init(community, compoundCount: 0))))
    }

    func updateCommunity(_ input: Operations.updateCommunity.Input) async throws -> Operations.updateCommunity.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let community = try await service().updateCommunity(try pathID(input.path.id, "community"), name: body.name)
        let counts = try await RegistryCounts(db: app.db).compoundsPerCommunity()
        return .ok(.init(body: .json(try .init(community, compoundCount: counts[try community.requireID()] ?? 0))))
    }

    // MARK: Compounds

    func listCompounds(_ input: Operations.listCompounds.Input) async throws -> Operations.listCompounds.Output {
        let q = input.query
        let filter = RegistryService.CompoundFilter(
            q: q.q, streetOfficeID: try q.streetOfficeId.map { try queryID($0, "streetOfficeId") },
            communityID: try q.communityId.map { try queryID($0, "communityId") },
            companyID: try q.companyId.map { try queryID($0, "companyId") },
            kind: q.kind.flatMap { CompoundKind(rawValue: $0.rawValue) },
            management: q.management.flatMap { ManagementMode(rawValue: $0.rawValue) },
            renovation: q.renovation.flatMap { RenovationState(rawValue: $0.rawValue) },
            limit: q.limit ?? 100, offset: q.offset ?? 0)
        let page = try await service().compounds(filter)
        let areas = try await ZoningPlanService.currentAreas(of: page.items.compactMap(\.id), on: app.db)
        return .ok(.init(body: .json(.init(items: try page.items.map { try .init($0, area: areas[try $0.requireID()]) }, total: page.total,
                                           limit: filter.limit, offset: filter.offset))))
    }

    func createCompound(_ input: Operations.createCompound.Input) async throws -> Operations.createCompound.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let service = try service()
        var values: [String: RawValue] = [
            "id": .text(body.code), "name": .text(body.name), "kind": .text(body.kind.rawValue),
            "floorArea": .number(body.floorArea), "households": .number(Double(body.households)),
        ]
        let referenceErrors = try await service.addReferences(to: &values, streetOfficeId: body.streetOfficeId,
                                                              communityId: body.communityId, companyId: body.companyId)
        add(to: &values, address: body.address, location: body.location, buildings: body.buildings, yearBuilt: body.yearBuilt,
            renovation: body.renovation?.rawValue, management: body.management?.rawValue)
        let compound = try await service.createCompound(values, referenceErrors: referenceErrors)
        return .created(.init(body: .json(try .init(compound))))
    }

    func getCompound(_ input: Operations.getCompound.Input) async throws -> Operations.getCompound.Output {
        let compound = try await service().compound(try pathID(input.path.id, "compound"))
        let areas = try await ZoningPlanService.currentAreas(of: [try compound.requireID()], on: app.db)
        return .ok(.init(body: .json(try .init(compound, area: areas[try compound.requireID()]))))
    }

    func updateCompound(_ input: Operations.updateCompound.Input) async throws -> Operations.updateCompound.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let id = try pathID(input.path.id, "compound")
        let service = try service()
        _ = try await service.compound(id)  // 404 before revealing anything about the references
        var values: [String: RawValue] = [:]
        if let name = body.name { values["name"] = .text(name) }
        if let kind = body.kind { values["kind"] = .text(kind.rawValue) }
        if let area = body.floorArea { values["floorArea"] = .number(area) }
        if let households = body.households { values["households"] = .number(Double(households)) }
        let referenceErrors = try await service.addReferences(to: &values, streetOfficeId: body.streetOfficeId,
                                                              communityId: body.communityId, companyId: body.companyId)
        add(to: &values, address: body.address, location: body.location, buildings: body.buildings, yearBuilt: body.yearBuilt,
            renovation: body.renovation?.rawValue, management: body.management?.rawValue)
        return .ok(.init(body: .json(try .init(try await service.updateCompound(id, values, referenceErrors: referenceErrors)))))
    }

    private func add(to values: inout [String: RawValue], address: String?, location: [Double]?, buildings: Int?, yearBuilt: Int?,
                     renovation: String?, management: String?) {
        if let address { values["address"] = .text(address) }
        if let location {
            values["lon"] = location.count == 2 ? .number(location[0]) : .other("a position of \(location.count) numbers")
            values["lat"] = location.count == 2 ? .number(location[1]) : .other("a position of \(location.count) numbers")
        }
        if let buildings { values["buildings"] = .number(Double(buildings)) }
        if let yearBuilt { values["yearBuilt"] = .number(Double(yearBuilt)) }
        if let renovation { values["renovation"] = .text(renovation) }
        if let management { values["management"] = .text(management) }
    }

    // MARK: Barriers, departments, companies

    func listBarriers(_ input: Operations.listBarriers.Input) async throws -> Operations.listBarriers.Output {
        .ok(.init(body: .json(try await service().barriers().map(Components.Schemas.Barrier.init))))
    }

    func createBarrier(_ input: Operations.createBarrier.Input) async throws -> Operations.createBarrier.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let barrier = try await service().saveBarrier(nil, name: body.name, kind: BarrierKind(rawValue: body.kind.rawValue), path: body.path)
        return .created(.init(body: .json(try .init(barrier))))
    }

    func updateBarrier(_ input: Operations.updateBarrier.Input) async throws -> Operations.updateBarrier.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let barrier = try await service().saveBarrier(try pathID(input.path.id, "barrier"), name: body.name,
                                                      kind: body.kind.flatMap { BarrierKind(rawValue: $0.rawValue) }, path: body.path)
        return .ok(.init(body: .json(try .init(barrier))))
    }

    func deleteBarrier(_ input: Operations.deleteBarrier.Input) async throws -> Operations.deleteBarrier.Output {
        try await service().deleteBarrier(try pathID(input.path.id, "barrier"))
        return .noContent(.init())
    }

    func listDepartments(_ input: Operations.listDepartments.Input) async throws -> Operations.listDepartments.Output {
        .ok(.init(body: .json(try await service().departments().map(Components.Schemas.Department.init))))
    }

    func createDepartment(_ input: Operations.createDepartment.Input) async throws -> Operations.createDepartment.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let department = try await service().saveDepartment(nil, kind: DepartmentKind(rawValue: body.kind.rawValue), name: body.name,
                                                             phone: body.phone.map { .some($0) })
        return .created(.init(body: .json(try .init(department))))
    }

    func updateDepartment(_ input: Operations.updateDepartment.Input) async throws -> Operations.updateDepartment.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let department = try await service().saveDepartment(try pathID(input.path.id, "department"), kind: nil, name: body.name,
                                                             phone: body.phone.map { .some($0) })
        return .ok(.init(body: .json(try .init(department))))
    }

    func listCompanies(_ input: Operations.listCompanies.Input) async throws -> Operations.listCompanies.Output {
        let totals = try await RegistryCounts(db: app.db).compoundsPerCompany()
        return .ok(.init(body: .json(try await service().companies().map { try .init($0, totals: totals[try $0.requireID()]) })))
    }

    func createCompany(_ input: Operations.createCompany.Input) async throws -> Operations.createCompany.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let company = try await service().saveCompany(nil, .init(
            name: body.name, registrationNumber: body.registrationNumber, kind: body.kind.map { CompanyKind(rawValue: $0.value1.rawValue)! },
            legalRepresentative: body.legalRepresentative.map { .some($0) },
            phone: body.phone.map { .some($0) }, staff: body.staff, serviceStations: body.serviceStations, machines: body.machines))
        return .created(.init(body: .json(try .init(company, totals: nil))))
    }

    func getCompany(_ input: Operations.getCompany.Input) async throws -> Operations.getCompany.Output {
        let company = try await service().company(try pathID(input.path.id, "company"))
        let totals = try await RegistryCounts(db: app.db).compoundsPerCompany()
        return .ok(.init(body: .json(try .init(company, totals: totals[try company.requireID()]))))
    }

    func updateCompany(_ input: Operations.updateCompany.Input) async throws -> Operations.updateCompany.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let company = try await service().saveCompany(try pathID(input.path.id, "company"), .init(
            name: body.name, legalRepresentative: body.legalRepresentative.map { .some($0) }, phone: body.phone.map { .some($0) },
            staff: body.staff, serviceStations: body.serviceStations, machines: body.machines))
        let totals = try await RegistryCounts(db: app.db).compoundsPerCompany()
        return .ok(.init(body: .json(try .init(company, totals: totals[try company.requireID()]))))
    }

    // MARK: Ids

    func pathID(_ raw: String, _ what: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else { throw DomainError.notFound(what) }
        return id
    }

    func queryID(_ raw: String, _ field: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else {
            throw DomainError(.badRequest, code: "bad_parameter", message: "\(field) must be a UUID",
                              fields: [FieldError(field: field, reason: "must be a UUID, got \"\(raw)\"")])
        }
        return id
    }

    func bodyID(_ raw: String, _ field: String) throws -> UUID {
        guard let id = UUID(uuidString: raw) else {
            throw DomainError.validation([FieldError(field: field, reason: "must be a UUID, got \"\(raw)\"")])
        }
        return id
    }
}

extension DomainError {
    static let unsupportedMediaType = DomainError(.badRequest, code: "unsupported_media_type", message: "send the body as application/json")
}
