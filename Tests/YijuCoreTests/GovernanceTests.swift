import Foundation
import Testing
@testable import YijuCore

@Suite("Registry: a compound's owners' or management committee and its representatives, checked whole")
struct GovernanceTests {
    static func committee(_ count: Int, kind: GovernanceBodyKind = .ownersCommittee, directors: Int = 1,
                          term: (String, String) = ("2024-06-01", "2029-05-31")) -> GovernanceBody {
        GovernanceBody(kind: kind, termStart: term.0, termEnd: term.1, members: (0..<count).map { i in
            .init(position: i < directors ? .director : .member, name: "委员\(i + 1)", phone: "1380451000\(i % 10)", building: i % 3 + 1)
        })
    }

    static func fields(_ g: CompoundGovernance, buildings: Int = 6) -> [String] {
        do {
            _ = try GovernanceRules.checked(g, buildings: buildings)
            return []
        } catch let error as DomainError {
            return error.fields.map(\.field)
        } catch {
            return ["\(error)"]
        }
    }

    @Test("An owners' committee of 5, 7, 9 or 11 passes; 4, 6 or 13 do not; a management committee may have 3")
    func sizes() {
        for n in [5, 7, 9, 11] { #expect(Self.fields(.init(body: Self.committee(n), representatives: [])).isEmpty, "\(n)") }
        for n in [3, 4, 6, 13] { #expect(Self.fields(.init(body: Self.committee(n), representatives: [])) == ["body.members"], "\(n)") }
        #expect(Self.fields(.init(body: Self.committee(3, kind: .managementCommittee), representatives: [])).isEmpty)
        #expect(Self.fields(.init(body: Self.committee(1, kind: .managementCommittee), representatives: [])) == ["body.members"])
    }

    @Test("Exactly one director; a term that ends after it starts and lasts at most five years; real dates")
    func directorsAndTerm() {
        #expect(Self.fields(.init(body: Self.committee(5, directors: 0), representatives: [])) == ["body.members"])
        #expect(Self.fields(.init(body: Self.committee(5, directors: 2), representatives: [])) == ["body.members"])
        #expect(Self.fields(.init(body: Self.committee(5, term: ("2024-06-01", "2024-06-01")), representatives: [])) == ["body.termEnd"])
        #expect(Self.fields(.init(body: Self.committee(5, term: ("2024-06-01", "2029-06-02")), representatives: [])) == ["body.termEnd"])
        #expect(Self.fields(.init(body: Self.committee(5, term: ("2024-06-01", "2029-06-01")), representatives: [])).isEmpty)
        #expect(Self.fields(.init(body: Self.committee(5, term: ("2024-02-30", "2026-13-01")), representatives: [])) == ["body.termStart", "body.termEnd"])
        #expect(Self.committee(5).inTerm(on: "2029-05-31") && !Self.committee(5).inTerm(on: "2029-06-01"))
    }

    @Test("Names and phones are cleaned or named; a building head names a building of the compound, one head a building")
    func people() throws {
        let g = CompoundGovernance(body: nil, representatives: [
            .init(role: .yardHead, name: " 李桂芝 ", phone: "+86 139-0451-2222"),
            .init(role: .buildingHead, name: "王强", phone: "0451 8600 1234", building: 2),
        ])
        let checked = try GovernanceRules.checked(g, buildings: 6)
        #expect(checked.representatives.map(\.name) == ["李桂芝", "王强"] && checked.representatives.map(\.phone) == ["13904512222", "045186001234"])
        let bad = CompoundGovernance(body: nil, representatives: [
            .init(role: .buildingHead, name: "", phone: "12", building: 7),
            .init(role: .buildingHead, name: "赵六", phone: "13604513333"),
            .init(role: .buildingHead, name: "钱七", phone: "13604513334", building: 2),
            .init(role: .buildingHead, name: "孙八", phone: "13604513335", building: 2),
        ])
        #expect(Self.fields(bad) == ["representatives[0].name", "representatives[0].phone", "representatives[0].building",
                                     "representatives[1].building", "representatives[3].building"])
    }

    @Test("Masking keeps the first three and last four digits of every phone")
    func masking() {
        let g = CompoundGovernance(body: Self.committee(5), representatives: [.init(role: .yardHead, name: "李桂芝", phone: "13904512222")])
        let masked = g.withMaskedPhones
        #expect(masked.representatives[0].phone == "139****2222" && masked.body?.members[0].phone == "138****0000")
        #expect(masked.body?.members.map(\.name) == g.body?.members.map(\.name))
    }
}
