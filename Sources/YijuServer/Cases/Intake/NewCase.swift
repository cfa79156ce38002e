import Foundation
import YijuCore

/// A case as intake writes it: plain values, not a Fluent model. Setting and reading the
/// model's ~37 property wrappers per case, on the writer's one thread, cost more than
/// SQLite's own insert; the model for the answer is made from this on the request's thread.
struct NewCase: Sendable {
    let id: UUID
    var number = ""
    let channel: CaseChannel
    let externalNumber: String?
    let receivedAt: Date
    let reporterName: String
    let reporterPhone: String
    let compoundID: UUID
    let streetOfficeID: UUID
    let building: String?
    let unit: String?
    let domain: CaseDomain
    let description: String
    let urgency: CaseUrgency
    var colour = CaseColour.yellow
    var state = CaseState.received
    var handlerKind: HandlerKind?
    var handlerCompanyID: UUID?
    var handlerDepartmentID: UUID?
    var routing = ""
    var dispatchedAt: Date?
    var dueAt: Date?
    var closedAt: Date?
    var resolution: String?
    var repeatOfID: UUID?
    var repeatCount = 1
    var escalatedAt: Date?
    let takenByID: UUID?
    let createdAt: Date

    init(id: UUID, intake: CheckedIntake, compound: Compound) throws {
        let input = intake.input
        self.id = id
        channel = input.channel
        externalNumber = intake.external
        receivedAt = intake.received
        reporterName = intake.name
        reporterPhone = intake.phone
        compoundID = try compound.requireID()
        streetOfficeID = compound.$streetOffice.id
        building = input.building
        unit = input.unit
        domain = input.domain
        description = intake.description
        urgency = input.urgency
        takenByID = intake.actor?.userID
        createdAt = intake.now
    }

    /// The model the answer shows, with the compound, street office and handler it was routed
    /// to — all loaded on the way in, so no second round of queries.
    func record(compound: Compound, department: Department?, builder: Company? = nil) -> CaseRecord {
        let record: CaseRecord = Self.columns.model(of: self)
        record.$compound.value = compound
        record.$streetOffice.value = compound.streetOffice
        record.$handlerCompany.value = .some(handlerCompanyID == nil ? nil : builder ?? compound.loadedCompany)
        record.$handlerDepartment.value = .some(handlerDepartmentID == nil ? nil : department)
        return record
    }

    /// One step of a case as plain values: a new case's first events are inserted as these,
    /// and every later step's model is made from one (`CaseService.event`).
    struct Event: Sendable {
        let id = UUID.timeOrdered()
        let caseID: UUID
        let sequence: Int
        let kind: String
        let note: String
        let data: String
        let actorID: UUID?
        let actorName: String
        let at: Date

        init(caseID: UUID, sequence: Int, kind: String, note: String, data: [String: String], actor: Actor?, at: Date) {
            self.caseID = caseID
            self.sequence = sequence
            self.kind = kind
            self.note = note
            self.data = FlatJSON.object(data)
            actorID = actor?.userID
            actorName = actor?.username ?? "public"
            self.at = at
        }

        /// An event no account took: the hotline's, the system's or the demo history's.
        init(caseID: UUID, sequence: Int, kind: String, note: String, actorName: String, at: Date) {
            self.caseID = caseID
            self.sequence = sequence
            self.kind = kind
            self.note = note
            data = FlatJSON.object([:])
            actorID = nil
            self.actorName = actorName
            self.at = at
        }

        var model: CaseEvent { Self.columns.model(of: self) }
    }
}
