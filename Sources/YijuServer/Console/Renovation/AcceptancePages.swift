import Foundation
import YijuCore

/// A project's acceptance page, made for a surveyor's phone: the survey's arithmetic as it
/// stands, one form per household's answer, the completion check and closing the survey,
/// and the earlier rounds with their results.
struct AcceptancePage: Encodable {
    var head: ProjectHead
    var action: String
    var today: String
    var round: RoundView?
    var earlier: [RoundView]
    var arithmetic: [Fact]
    var explanation: String?
    var passesSoFar: Bool
    var responses: [ResponseRow]
    var compounds: [Option]
    var verdicts: [Option]
    var mayEdit: Bool
    var open: Bool
    var form: [String: String]
    var errors: [FieldError]
    /// Codes just issued, shown this once.
    var issued: [Issued]
    var surveyPage = PublicPath.survey.path

    struct Issued: Encodable { var household: String, code: String }


    struct RoundView: Encodable {
        var number: Int, openedOn: String, checkDay: String?, participants: String?, punchList: [String], closedOn: String?
        var result: String?, resultKey: String?, explanation: String?
    }

    struct ResponseRow: Encodable {
        var household: String, verdict: String, verdictKey: String, comment: String, recordedBy: String
    }

    init(_ a: RenovationService.Acceptance, mayEdit: Bool, today: String, form: [String: String], errors: [FieldError],
         issued: [RenovationService.IssuedCode] = [], _ t: [String: String]) throws {
        self.issued = issued.map { Issued(household: $0.label, code: $0.code) }
        let id = try a.project.requireID()
        head = try ProjectHead(a.project, t)
        action = ConsolePath.renovationProject(.value(id), .acceptance).path
        self.today = today
        self.form = form
        self.errors = errors
        func view(_ r: AcceptanceRound) -> RoundView {
            let key: String? = r.isOpen ? nil : r.passed.map { $0 ? "passed" : "failed" } ?? "withdrawn"
            return RoundView(number: r.number, openedOn: r.openedOn, checkDay: r.checkDay,
                             participants: r.participants?.replacingOccurrences(of: "\n", with: "、"),
                             punchList: r.punchList?.components(separatedBy: "\n") ?? [], closedOn: r.closedOn,
                             result: key.map { t["surveyResult." + $0]! }, resultKey: key, explanation: r.explanation)
        }
        let current = a.current.flatMap { $0.isOpen ? $0 : nil }
        round = current.map(view)
        earlier = a.rounds.filter { !$0.isOpen }.reversed().map(view)
        if let r = a.result, current != nil {
            arithmetic = [
                Fact(label: t["surveyAnswered"]!, value: "\(r.responses) / \(r.households)"),
                Fact(label: t["surveyNeeded"]!, value: String(r.responsesNeeded)),
                Fact(label: t["verdict.satisfied"]!, value: String(r.satisfied)),
                Fact(label: t["verdict.basicallySatisfied"]!, value: String(r.basicallySatisfied)),
                Fact(label: t["verdict.dissatisfied"]!, value: String(r.dissatisfied)),
            ]
            explanation = r.explanation
            passesSoFar = r.passes
        } else {
            arithmetic = []
            explanation = nil
            passesSoFar = false
        }
        let codes = Dictionary(uniqueKeysWithValues: a.compounds.map { ($0.coverage.$compound.id, $0.compound.name) })
        responses = current == nil ? [] : a.responses.reversed().map { r in
            ResponseRow(household: "\(codes[r.$compound.id] ?? "") \(r.building)号楼\(r.unit)单元\(r.room)", verdict: t["verdict." + r.verdict.rawValue]!,
                        verdictKey: r.verdict.rawValue, comment: r.comment ?? "", recordedBy: r.recordedBy)
        }
        compounds = a.compounds.map { Option(value: $0.coverage.$compound.id.uuidString, label: $0.compound.name,
                                             selected: form["compound"] == $0.coverage.$compound.id.uuidString) }
        verdicts = SurveyVerdict.allCases.map { Option(value: $0.rawValue, label: t["verdict." + $0.rawValue]!, selected: form["verdict"] == $0.rawValue) }
        self.mayEdit = mayEdit && current != nil
        open = current != nil
    }
}
