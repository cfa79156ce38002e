import Fluent
import Foundation
import Vapor
import YijuCore

/// Loads the generated demo district (YijuCore's `DemoDistrict`) into an empty database,
/// in one transaction: a half-loaded demo is never left behind.
public enum DemoLoader {
    /// The password of every demo user; shown on the login page of a demo database only.
    public static let demoPassword = "demo-yiju-2026"
    static let markerEntity = "demoDistrict"

    public struct Summary: Sendable {
        public var streetOffices, communities, compounds, companies, departments, barriers, users, cases: Int
        public var renovationProjects = 0, surveyResponses = 0
        /// How long each part took to load, in seconds, in loading order.
        public var timings: [(part: String, seconds: Double)] = []

        /// The timings as the console prints them: `registry 1.2 s, cases 9.8 s, …`.
        public var timingLine: String {
            timings.map { "\($0.part) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
        }
    }

    public static func isDemoDatabase(_ db: any Database) async throws -> Bool {
        try await AuditEntry.query(on: db).filter(\.$entityType == markerEntity).first() != nil
    }

    public static func isEmpty(_ db: any Database) async throws -> Bool {
        let offices = try await StreetOffice.query(on: db).count()
        let users = try await User.query(on: db).count()
        return offices == 0 && users == 0
    }

    /// The street office whose compounds without a company were zoned and adopted about a
    /// year before the demo's today (the case history shows what that changed), so the district has management areas and tender
    /// lots from the start. 七政 is left for the officer to plan live.
    /// The demo's bureau admin, whom the demo's history acts as (audited under that name).
    static func bureauAdmin(on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$role == .bureauAdmin).sort(\.$username).first()
    }

    static let demoZonedStreetOffice = "HY"

    /// Generates, publishes (7 days' notice) and adopts the street office's plan, each step
    /// on the day it would have happened, through the same service the console uses.
    static func adoptDemoPlan(_ app: Application, streetOfficeCode: String, now: Date) async throws {
        guard let office = try await StreetOffice.query(on: app.db).filter(\.$code == streetOfficeCode).first(),
              let admin = try await DemoLoader.bureauAdmin(on: app.db) else { return }
        func at(daysAgo: Int) -> ZoningPlanService {
            ZoningPlanService(db: app.db, actor: admin.actor, now: now.addingTimeInterval(-Double(daysAgo) * 86_400))
        }
        let request = ZoningPlanService.Request(minFloorArea: 40_000, maxFloorArea: 150_000, zonesPerLot: 3)
        let plan = try await at(daysAgo: 380).generate(streetOfficeID: office.requireID(), request)
        let id = try plan.record.requireID()
        _ = try await at(daysAgo: 378).publish(id, revision: nil, days: 7)
        _ = try await at(daysAgo: 370).adopt(id)
    }

    @discardableResult
    /// `caseHistory` adds two years of cases (about 16,000), tenders, inspections and credit;
    /// `renovationHistory` the renovation projects since 2020 (DemoRenovationHistory). The test
    /// suites leave both out but where they test them.
    public static func load(into app: Application, seed: UInt64 = DemoDistrict.defaultSeed, caseHistory: Bool = false,
                            renovationHistory: Bool = false) async throws -> Summary {
        guard try await isEmpty(app.db) else {
            throw DomainError(.conflict, code: "not_empty", message: "the database already has a registry; the demo loads only into an empty one")
        }
        let district = DemoDistrict.generate(seed: seed)
        let credentials = Credentials(app: app)
        let passwordHash = try await credentials.hashPassword(demoPassword)
        let now = app.clock.now()
        let clock = ContinuousClock()
        var timings: [(part: String, seconds: Double)] = []
        var mark = clock.now
        func lap(_ part: String) {
            let d = mark.duration(to: clock.now)
            timings.append((part, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18))
            mark = clock.now
        }

        try await app.db.transaction { tx in
            var offices: [StreetOffice] = []
            var communityIDs: [String: UUID] = [:]
            for spec in district.streetOffices {
                let office = StreetOffice(code: spec.code, name: spec.name, address: spec.address, phone: spec.phone, outline: spec.outline)
                try await office.create(on: tx)
                offices.append(office)
                let communities = try spec.communities.map { Community(streetOfficeID: try office.requireID(), name: $0.name) }
                try await communities.create(on: tx)
                for c in communities { communityIDs["\(spec.name)/\(c.name)"] = c.id }
            }
            for spec in district.barriers {
                let barrier = Barrier()
                barrier.name = spec.name
                barrier.kind = spec.kind
                barrier.path = spec.path
                try await barrier.create(on: tx)
            }
            var departments: [DepartmentKind: Department] = [:]
            for spec in district.departments {
                let department = Department()
                department.kind = spec.kind
                department.name = spec.name
                department.phone = spec.phone
                try await department.create(on: tx)
                departments[spec.kind] = department
            }
            let companies = district.companies.map { Self.company($0, kind: .property) }
            try await companies.create(on: tx)
            let contractors = district.contractors.map { Self.company($0.company, kind: $0.kind) }
            try await contractors.create(on: tx)
            let contracts = try district.contracts.map { spec in
                let contract = Contract()
                contract.id = UUID()
                contract.code = spec.code
                contract.$company.id = try companies[spec.companyIndex].requireID()
                contract.feeRateFen = spec.feeRateFen
                contract.startDate = spec.start
                contract.endDate = spec.end
                return contract
            }
            try await contracts.create(on: tx)
            let officeByName = Dictionary(uniqueKeysWithValues: offices.map { ($0.name, $0) })
            let compounds = try district.compounds.map { spec in
                let r = spec.record
                let compound = Compound()
                compound.code = r.code
                compound.name = r.name
                compound.kind = r.kind
                compound.$streetOffice.id = try officeByName[r.street]!.requireID()
                compound.$community.id = r.community.flatMap { communityIDs["\(r.street)/\($0)"] }
                compound.address = r.address
                compound.lon = r.location.lon
                compound.lat = r.location.lat
                compound.floorArea = r.floorArea
                compound.households = r.households
                compound.buildings = r.buildings
                compound.yearBuilt = r.yearBuilt
                compound.renovation = r.renovation
                compound.management = r.management
                compound.$company.id = try spec.companyIndex.map { try companies[$0].requireID() }
                compound.$contract.id = try spec.contractIndex.map { try contracts[$0].requireID() }
                return compound
            }
            // Batches keep each INSERT under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: compounds.count, by: 200) {
                try await Array(compounds[start..<min(start + 200, compounds.count)]).create(on: tx)
            }
            for spec in district.users {
                let user = User()
                user.username = spec.username
                user.displayName = spec.displayName
                user.passwordHash = passwordHash
                user.role = spec.role
                user.$streetOffice.id = try spec.streetOfficeIndex.map { try offices[$0].requireID() }
                user.$department.id = spec.departmentKind.flatMap { departments[$0]?.id }
                user.$company.id = try spec.companyIndex.map { try companies[$0].requireID() }
                    ?? spec.contractorIndex.map { try contractors[$0].requireID() }
                try await user.create(on: tx)
            }
            try await AuditLog.record(on: tx, actor: nil, action: .import, entityType: markerEntity, entityID: nil,
                                      after: ["seed": "\(seed)", "compounds": "\(compounds.count)", "companies": "\(companies.count)"], at: now)
        }
        lap("registry")
        try await adoptDemoPlan(app, streetOfficeCode: demoZonedStreetOffice, now: now)
        lap("zoning")
        // The history (tests leave it out): finished tenders a year ago, two years of cases
        // routed to whoever managed each compound that day, then inspections and commendations,
        // and the renovation projects since 2020 (whose works' cases come last, routed to their builders).
        var cases = 0
        var renovation = DemoRenovationLoader.Summary()
        if caseHistory {
            let handovers = try await DemoSelection.run(app, district: district, streetOfficeCode: demoZonedStreetOffice, seed: seed, now: now)
            lap("tenders")
            cases = try await DemoCaseLoader.load(into: app, seed: seed, now: now, handovers: handovers)
            lap("cases")
            try await DemoCreditLoader.load(into: app, district: district, seed: seed, now: now)
            lap("credit")
        }
        if renovationHistory {
            renovation = try await DemoRenovationLoader.load(into: app, district: district, seed: seed, now: now)
            lap("renovation")
            cases += renovation.worksCases
        }
        return Summary(streetOffices: district.streetOffices.count, communities: district.streetOffices.reduce(0) { $0 + $1.communities.count },
                       compounds: district.compounds.count, companies: district.companies.count + district.contractors.count, departments: district.departments.count,
                       barriers: district.barriers.count, users: district.users.count, cases: cases,
                       renovationProjects: renovation.projects, surveyResponses: renovation.surveyResponses, timings: timings)
    }

    /// A generated company as a registry row of `kind`.
    static func company(_ spec: DemoDistrict.Company, kind: CompanyKind) -> Company {
        let company = Company()
        company.id = UUID()
        company.kind = kind
        company.name = spec.name
        company.registrationNumber = spec.registrationNumber
        company.legalRepresentative = spec.legalRepresentative
        company.phone = spec.phone
        company.staff = spec.staff
        company.serviceStations = spec.serviceStations
        company.machines = spec.machines
        return company
    }
}
