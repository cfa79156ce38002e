import Foundation
import Testing
@testable import YijuCore

@Suite("Renovation grids' rules: a roster with the street office on it, accounts on their own side, residents without one")
struct GridRulesTests {
    let office = UUID(), elsewhere = UUID()

    func accounts() -> [String: Actor] {
        [
            "officer": Actor(userID: UUID(), username: "officer", role: .streetOfficer, streetOfficeID: office),
            "away": Actor(userID: UUID(), username: "away", role: .streetOfficer, streetOfficeID: elsewhere),
            "worker": Actor(userID: UUID(), username: "worker", role: .gridWorker, streetOfficeID: office),
            "builder": Actor(userID: UUID(), username: "builder", role: .contractorStaff, companyID: UUID()),
            "hotline": Actor(userID: UUID(), username: "hotline", role: .hotlineOperator),
        ]
    }

    func draft(_ members: [GridMember], compounds: [UUID] = [UUID()]) -> GridDraft {
        GridDraft(code: " WG-01 ", name: " 第一网格 ", members: members, compoundIDs: compounds, projectIDs: [])
    }

    @Test("A good roster is trimmed and its phones reduced to digits")
    func good() throws {
        let checked = try GridRules.checked(draft([
            GridMember(side: .streetOffice, name: " 李明 ", phone: "0451-8888 0001", username: "officer"),
            GridMember(side: .community, name: "小王", phone: "+86 139 0451 0002", username: " worker "),
            GridMember(side: .company, name: "施工方", phone: "13904510003", username: "builder"),
            GridMember(side: .residents, name: "李桂芝", phone: "13904510005"),
        ]), streetOfficeID: office, accounts: accounts())
        #expect(checked.code == "WG-01" && checked.name == "第一网格")
        #expect(checked.members.map(\.phone) == ["045188880001", "13904510002", "13904510003", "13904510005"])
        #expect(checked.members.map(\.name).first == "李明" && checked.members[1].username == "worker")
    }

    @Test("Each wrong field is named: another office's officer, a hotline operator for a company, an account for a resident, one account twice, nothing grouped")
    func wrong() {
        #expect(throws: DomainError.self) { try GridRules.checked(draft([]), streetOfficeID: office, accounts: accounts()) }
        do {
            _ = try GridRules.checked(draft([
                GridMember(side: .streetOffice, name: "外街道", phone: "13904510001", username: "away"),
                GridMember(side: .company, name: "坐席", phone: "13904510002", username: "hotline"),
                GridMember(side: .ownersCommittee, name: "主任", phone: "13904510003", username: "worker"),
                GridMember(side: .streetOffice, name: "外街道", phone: "13904510001", username: "away"),
            ], compounds: []), streetOfficeID: office, accounts: accounts())
            Issue.record("accepted")
        } catch {
            let fields = error.fields.map(\.field)
            #expect(fields == ["members[0].username", "members[1].username", "members[2].username", "members[3].username",
                               "members[3].username", "compoundIds"], "\(fields)")
            #expect(error.fields[4].reason.contains("already a member"))
        }
    }
}
