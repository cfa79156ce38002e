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

    init(id: UUID, intake: CaseService.CheckedIntake, compound: Compound) {
        let input = intake.input
        self.id = id
        channel = input.channel
        externalNumber = intake.external
        receivedAt = intake.received
        reporterName = intake.name
        reporterPhone = intake.phone
        compoundID = compound.id!
        streetOfficeID = compound.$streetOffice.id
        building = input.building
        unit = input.unit
        domain = input.domain
        description = intake.description
        urgency = input.urgency
        takenByID = intake.actor?.userID
        createdAt = intake.now
    }

    /// Every column of `cases` but the number, which the store claims as it writes the row;
    /// what a new case does not have yet (a reply, a satisfaction, the timers' marks) is NULL
    /// or zero. The intake tests read the rows back through Fluent.
    var sqlValues: [(String, IntakeValue)] {
        [("id", .init(id)), ("channel", .init(channel.rawValue)), ("external_number", .init(externalNumber)),
         ("received_at", .init(receivedAt)), ("reporter_name", .init(reporterName)), ("reporter_phone", .init(reporterPhone)),
         ("compound_id", .init(compoundID)), ("street_office_id", .init(streetOfficeID)), ("building", .init(building)), ("unit", .init(unit)),
         ("domain", .init(domain.rawValue)), ("description", .init(description)), ("urgency", .init(urgency.rawValue)), ("colour", .init(colour.rawValue)),
         ("state", .init(state.rawValue)), ("handler_kind", .init(handlerKind?.rawValue)), ("handler_company_id", .init(handlerCompanyID)),
         ("handler_department_id", .init(handlerDepartmentID)), ("routing", .init(routing)), ("dispatched_at", .init(dispatchedAt)), ("due_at", .init(dueAt)),
         ("replied_at", .date(nil)), ("satisfaction", .text(nil)), ("closed_at", .init(closedAt)), ("resolution", .init(resolution)),
         ("designated", .init(false)), ("extensions", .init(0)), ("pending_extension", .integer(nil)), ("reopen_count", .init(0)),
         ("repeat_of_id", .init(repeatOfID)), ("repeat_count", .init(repeatCount)), ("unanswered_at", .date(nil)), ("overdue_at", .date(nil)),
         ("escalated_at", .init(escalatedAt)), ("taken_by_id", .init(takenByID)), ("created_at", .init(createdAt))]
    }

    /// The model the answer shows, with the compound, street office and handler it was routed
    /// to — all loaded on the way in, so no second round of queries.
    func record(compound: Compound, department: Department?) -> CaseRecord {
        let record = CaseRecord()
        record.id = id
        record.number = number
        record.channel = channel
        record.externalNumber = externalNumber
        record.receivedAt = receivedAt
        record.reporterName = reporterName
        record.reporterPhone = reporterPhone
        record.$compound.id = compoundID
        record.$streetOffice.id = streetOfficeID
        record.building = building
        record.unit = unit
        record.domain = domain
        record.description = description
        record.urgency = urgency
        record.colour = colour
        record.state = state
        record.handlerKind = handlerKind
        record.$handlerCompany.id = handlerCompanyID
        record.$handlerDepartment.id = handlerDepartmentID
        record.routing = routing
        record.dispatchedAt = dispatchedAt
        record.dueAt = dueAt
        record.closedAt = closedAt
        record.resolution = resolution
        record.designated = false
        record.extensions = 0
        record.reopenCount = 0
        record.repeatOfID = repeatOfID
        record.repeatCount = repeatCount
        record.escalatedAt = escalatedAt
        record.takenByID = takenByID
        record.createdAt = createdAt
        record.$compound.value = compound
        record.$streetOffice.value = compound.streetOffice
        record.$handlerCompany.value = .some(handlerCompanyID == nil ? nil : compound.loadedCompany)
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

        var model: CaseEvent {
            let event = CaseEvent()
            event.id = id
            event.$caseRecord.id = caseID
            event.sequence = sequence
            event.at = at
            event.actorID = actorID
            event.actorName = actorName
            event.kind = kind
            event.note = note
            event.data = data
            return event
        }

        var sqlValues: [(String, IntakeValue)] {
            [("id", .init(id)), ("case_id", .init(caseID)), ("sequence", .init(sequence)), ("at", .init(at)), ("actor_id", .init(actorID)),
             ("actor_name", .init(actorName)), ("kind", .init(kind)), ("note", .init(note)), ("data", .init(data))]
        }
    }
}
