import Foundation
import Testing
@testable import YijuCore

@Suite("Demo district")
struct DemoDistrictTests {
    let district = DemoDistrict.generate()

    @Test("Same seed, same district; another seed, another district")
    func deterministic() {
        let again = DemoDistrict.generate()
        #expect(again.compounds.map(\.record) == district.compounds.map(\.record))
        let other = DemoDistrict.generate(seed: 7)
        #expect(other.compounds.map(\.record) != district.compounds.map(\.record))
    }

    @Test("Shaped like Nangang: 8 street offices, ~600 compounds, ~380 without a company, 40 companies, 9 departments")
    func publishedShape() {
        #expect(district.streetOffices.count == 8)
        #expect(district.compounds.count == 600)
        let withoutCompany = district.compounds.filter { $0.record.management.needsCompany }.count
        #expect(withoutCompany == 380)
        #expect(district.companies.count == 40)
        #expect(district.contractors.map(\.kind) == [.construction, .construction, .design, .supervision])
        #expect(Set(district.departments.map(\.kind)) == Set(DepartmentKind.allCases))
        let kinds = Dictionary(grouping: district.compounds, by: \.record.kind).mapValues(\.count)
        #expect(CompoundKind.allCases.allSatisfy { (kinds[$0] ?? 0) >= 30 })
        #expect(district.barriers.contains { $0.kind == .river } && district.barriers.filter { $0.kind == .arterial }.count >= 2)
        #expect(Set(district.users.map(\.role)) == Set(Role.allCases))
    }

    @Test("Every compound is valid, inside its street office, off the river, with a unique code")
    func plausibleCompounds() {
        #expect(Set(district.compounds.map(\.record.code)).count == 600)
        for compound in district.compounds {
            let r = compound.record
            #expect(r.location.isInChina)
            #expect(abs(r.location.lon - 126.64) < 0.1 && abs(r.location.lat - 45.745) < 0.06)
            #expect(r.floorArea >= 800 && r.floorArea <= 100_000)
            #expect((r.management == .professional) == (compound.companyIndex != nil))
            let office = district.streetOffices.first { $0.name == r.street }!
            #expect(Self.inside(r.location, office.outline), "\(r.code) lies outside \(office.name)")
        }
        let values = CompoundRecord.columns
        #expect(values.count == 15)
    }

    @Test("Company registration numbers carry a valid GB 32100 check character")
    func creditCodes() {
        #expect(district.companies.allSatisfy { CompanyRules.isValidCreditCode($0.registrationNumber) })
        #expect(!CompanyRules.isValidCreditCode("91230103ABCDEFGHI0"))
        #expect(!CompanyRules.isValidCreditCode("short"))
    }

    static func inside(_ p: GeoPoint, _ ring: [GeoPoint]) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat), p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon { inside.toggle() }
            j = i
        }
        return inside
    }
}

@Suite("Access policy")
struct PolicyTests {
    let streetA = UUID(), streetB = UUID(), companyA = UUID(), companyB = UUID(), departmentA = UUID(), departmentB = UUID()

    func actor(_ role: Role) -> Actor {
        Actor(userID: UUID(), username: role.rawValue, role: role,
              streetOfficeID: [.streetOfficer, .gridWorker].contains(role) ? streetA : nil,
              departmentID: role == .departmentOfficer ? departmentA : nil,
              companyID: role == .companyStaff ? companyA : nil)
    }

    @Test("Compounds: street officers write their own street, others read by scope or not at all")
    func compounds() {
        let own = Resource.compound(streetOfficeID: streetA, companyID: companyB)
        let other = Resource.compound(streetOfficeID: streetB, companyID: companyA)
        #expect(Policy.decide(actor(.bureauAdmin), .update, other) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, own) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .read, other) == .hide)
        #expect(Policy.decide(actor(.gridWorker), .read, own) == .allow)
        #expect(Policy.decide(actor(.gridWorker), .update, own) == .forbid)
        #expect(Policy.decide(actor(.companyStaff), .read, other) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .read, own) == .hide)
        #expect(Policy.decide(actor(.companyStaff), .update, other) == .forbid)
        #expect(Policy.decide(actor(.hotlineOperator), .read, own) == .allow)
        #expect(Policy.decide(actor(.hotlineOperator), .create, own) == .forbid)
        #expect(Policy.decide(actor(.departmentOfficer), .update, own) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .delete, own) == .forbid)
    }

    @Test("Directory records: each keeps its own file, only the bureau creates")
    func directory() {
        #expect(Policy.decide(actor(.companyStaff), .update, .company(id: companyA)) == .allow)
        #expect(Policy.decide(actor(.companyStaff), .update, .company(id: companyB)) == .forbid)
        #expect(Policy.decide(actor(.departmentOfficer), .update, .department(id: departmentA)) == .allow)
        #expect(Policy.decide(actor(.departmentOfficer), .update, .department(id: departmentB)) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .update, .streetOffice(id: streetA)) == .allow)
        #expect(Policy.decide(actor(.streetOfficer), .update, .streetOffice(id: streetB)) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .create, .company(id: UUID())) == .forbid)
        #expect(Policy.decide(actor(.streetOfficer), .update, .barrier) == .forbid)
        #expect(Policy.decide(actor(.bureauAdmin), .delete, .barrier) == .allow)
        for role in Role.allCases where role != .bureauAdmin {
            #expect(Policy.decide(actor(role), .read, .auditLog) == .hide)
            #expect(Policy.decide(actor(role), .create, .users) == .hide)
        }
    }

    @Test("List visibility follows the scope; a scoped role without its scope sees nothing")
    func visibility() {
        #expect(Policy.registryScope(actor(.streetOfficer)) == .streetOffice(streetA))
        #expect(Policy.registryScope(actor(.companyStaff)) == .company(companyA))
        #expect(Policy.registryScope(actor(.hotlineOperator)) == .district)
        #expect(Policy.registryScope(Actor(userID: UUID(), username: "x", role: .gridWorker)) == .nothing)
        #expect(Policy.mayImport(actor(.streetOfficer)) && !Policy.mayImport(actor(.gridWorker)))
    }
}

@Suite("SVG map")
struct SVGMapTests {
    @Test("Draws every compound, barrier and outline, escaping names")
    func draws() {
        var map = SVGMap()
        map.outlines = [.init(label: "七政街道", ring: [GeoPoint(lon: 126.6, lat: 45.7), GeoPoint(lon: 126.7, lat: 45.7), GeoPoint(lon: 126.7, lat: 45.8), GeoPoint(lon: 126.6, lat: 45.7)])]
        map.lines = [.init(label: "马家沟河", kind: .river, path: [GeoPoint(lon: 126.6, lat: 45.75), GeoPoint(lon: 126.7, lat: 45.76)])]
        map.dots = [
            .init(label: "A<script>&'\"", location: GeoPoint(lon: 126.65, lat: 45.75), floorArea: 12_000, mode: .abandoned),
            .init(label: "B", location: GeoPoint(lon: 126.66, lat: 45.76), floorArea: 90_000, mode: .professional, link: "/x?a=1&b=2"),
        ]
        let svg = map.render(title: "南岗区")
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
        #expect(svg.contains("barrier-river"))
        #expect(svg.contains("<polygon"))
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("A&lt;script&gt;&amp;&#39;&quot;"))
        #expect(svg.contains("href='/x?a=1&amp;b=2'"))
        #expect(svg.contains(SVGMap.colour(.abandoned)))
    }

    @Test("An empty map still renders")
    func empty() {
        #expect(SVGMap().render(title: "x").hasPrefix("<svg"))
    }
}
