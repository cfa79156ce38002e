import Fluent
import Foundation
import SQLKit
import Vapor
import YijuCore

/// Cases (民呼我为): intake from every channel, routing, the lifecycle steps, the timeline.
/// Both surfaces (API and console) call this; the rules themselves are YijuCore's.
struct CaseService {
    let db: any Database
    /// Nil for the public web form.
    let actor: Actor?
    let now: Date
    /// The application's group commit for intake; without it (the public form, tests on a
    /// bare database) each intake is written on its own.
    let intakeQueue: CaseIntakeQueue?

    init(app: Application, actor: Actor?) {
        self.init(db: app.db, actor: actor, now: app.clock.now(), intakeQueue: app.caseIntakeQueue)
    }

    init(db: any Database, actor: Actor?, now: Date, intakeQueue: CaseIntakeQueue? = nil) {
        self.db = db
        self.actor = actor
        self.now = now
        self.intakeQueue = intakeQueue
    }

    var actorName: String { actor?.username ?? "public" }

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }

    func event(_ record: CaseRecord, _ kind: String, note: String, data: [String: String], on tx: any Database) async throws {
        let caseID = try record.requireID()
        // The unique (case, sequence) pair also stops two writers appending the same step.
        let sequence = (try await CaseEvent.query(on: tx).filter(\.$caseRecord.$id == caseID).max(\.$sequence) ?? 0) + 1
        try await Self.event(caseID: caseID, sequence: sequence, kind, note: note, data: data, actor: actor, at: now).create(on: tx)
    }

    static func event(caseID: UUID, sequence: Int, _ kind: String, note: String, data: [String: String], actor: Actor?, at: Date) -> CaseEvent {
        NewCase.Event(caseID: caseID, sequence: sequence, kind: kind, note: note, data: data, actor: actor, at: at).model
    }
}
