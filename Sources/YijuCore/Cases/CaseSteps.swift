import Foundation

/// A step a person takes on a case, by the name both surfaces use (the API's `CaseStep.kind`,
/// the console's forms).
public enum CaseStepKind: String, CaseIterable, Sendable, Codable {
    case dispatch, accept, `return`, requestExtension, decideExtension, whistle, checkIn, report, reply, followUp, close
}

extension CaseMachine {
    /// The steps `actor` may take on the case now (true), and those that are theirs but wait
    /// for something first (false: a reply waits until every summoned department has
    /// reported). Steps the actor may not take, or that the case's state rules out, are absent.
    ///
    /// Who may is `CasePolicy`; whether the case allows it now is `apply` itself, asked with a
    /// representative of each step whose own fields are in order, so the answer cannot differ
    /// from what taking the step would do.
    public static func availableSteps(for actor: Actor, scope: CaseScope, snapshot: CaseSnapshot, at now: Date,
                                      rules: CaseRules, calendar: WorkingCalendar) -> [CaseStepKind: Bool] {
        var steps: [CaseStepKind: Bool] = [:]
        for kind in CaseStepKind.allCases {
            guard let action = representative(kind, for: actor), CasePolicy.may(actor, action, scope) else { continue }
            do {
                _ = try apply(action, to: snapshot, at: now, rules: rules, calendar: calendar)
                steps[kind] = true
            } catch {
                if error.code == "summons_open" { steps[kind] = false }
            }
        }
        return steps
    }

    /// A step of this kind with well-formed fields; nil when the actor cannot name one (a
    /// check-in or report needs the actor's own department).
    static func representative(_ kind: CaseStepKind, for actor: Actor) -> CaseAction? {
        switch kind {
        case .dispatch: .dispatch(designated: true)
        case .accept: .accept
        case .return: .giveBack(reason: "—")
        case .requestExtension: .requestExtension(workingDays: 1, reason: "—")
        case .decideExtension: .decideExtension(approve: true, reason: "")
        // A department not yet summoned, checking in at any time after now.
        case .whistle: .whistle(departments: [UUID()], checkInBy: .distantFuture)
        case .checkIn: actor.departmentID.map { .checkIn(department: $0) }
        case .report: actor.departmentID.map { .report(department: $0, text: "—") }
        case .reply: .reply(text: "—")
        case .followUp: .followUp(.satisfied, note: "")
        case .close: .close(note: "")
        }
    }
}
