import Fluent
import Foundation
import YijuCore

// Intake is the one write that arrives by the thousand (every 12345 work order of a
// district), so it is written in groups: requests that arrive while a group is being
// committed form the next group, which reads the registry and the settings once and
// commits all its cases in one transaction — one fsync for many acknowledged cases.
// Under light load a group is one case and nothing waits.

extension CaseService {
    /// Takes a case in. The same channel and external number twice gives the same case
    /// (`created` false), never two.
    func intake(_ input: CaseIntake) async throws -> (CaseRecord, created: Bool) {
        let checked = check(input)
        if let intakeQueue { return try await intakeQueue.submit(checked) }
        let store = FluentIntakeStore(db: db)
        var writer = CaseIntakeWriter(store: store, reference: try await IntakeReference.load(store: store))
        return try await writer.write([checked])[0].get().answer
    }

    /// Intake's field checks (YijuCore's `IntakeRules.check`) for this caller, now.
    func check(_ input: CaseIntake) -> CheckedIntake {
        IntakeRules.check(input, actor: actor, now: now)
    }
}
