import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor
import YijuCore

// Intake is the one write that arrives by the thousand (every 12345 work order of a
// district), so it is written in groups: requests that arrive while a group is being
// committed form the next group, which reads the registry and the settings once and
// commits all its cases in one transaction — one fsync for many acknowledged cases.
// Under light load a group is one case and nothing waits.

extension CaseService {
    /// An intake whose fields were checked and tidied without the database; the writer
    /// adds what only the database can tell (the compound, an earlier case with the same
    /// external number, repeats).
    struct CheckedIntake: Sendable {
        var input: Intake
        var name: String
        var phone: String
        var description: String
        var external: String?
        var resolution: String?
        /// Field errors found so far; the writer adds the compound's and answers with all of them.
        var errors: [FieldError]
        var actor: Actor?
        var now: Date

        var received: Date { input.receivedAt ?? now }
    }

    static let maxPointDistance = 300.0

    /// Takes a case in. The same channel and external number twice gives the same case
    /// (`created` false), never two.
    func intake(_ input: Intake) async throws -> (CaseRecord, created: Bool) {
        let checked = check(input)
        if let intakeQueue { return try await intakeQueue.submit(checked) }
        let store = FluentIntakeStore(db: db)
        var writer = CaseIntakeWriter(store: store, reference: try await IntakeReference.load(store: store))
        return try await writer.write([checked])[0].get().answer
    }

    func check(_ input: Intake) -> CheckedIntake {
        var errors: [FieldError] = []
        let name = input.reporterName.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = Self.normalisedPhone(input.reporterPhone)
        let description = input.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let external = input.externalNumber?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if !(1...40).contains(name.count) { errors.append(FieldError(field: "reporterName", reason: name.isEmpty ? "is required" : "must be at most 40 characters")) }
        if phone == nil { errors.append(FieldError(field: "reporterPhone", reason: "must be a phone number: 7 to 15 digits, optionally with +86, spaces or dashes")) }
        if !(1...4000).contains(description.count) { errors.append(FieldError(field: "description", reason: description.isEmpty ? "is required" : "must be at most 4000 characters")) }
        if input.channel == .hotline, external == nil { errors.append(FieldError(field: "externalNumber", reason: "the hotline's work-order number is required for hotline cases")) }
        if let external, external.count > 64 { errors.append(FieldError(field: "externalNumber", reason: "must be at most 64 characters")) }
        for (value, field) in [(input.building, "building"), (input.unit, "unit")] where (value?.count ?? 0) > 20 {
            errors.append(FieldError(field: field, reason: "must be at most 20 characters"))
        }
        let resolution = input.resolution?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if let resolution, resolution.count > 4000 {
            errors.append(FieldError(field: "resolution", reason: "must be at most 4000 characters"))
        }
        if let received = input.receivedAt, received > now.addingTimeInterval(300) {
            errors.append(FieldError(field: "receivedAt", reason: "is in the future"))
        }
        var tidied = input
        tidied.building = input.building?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.unit = input.unit?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.compoundCode = input.compoundCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        tidied.address = input.address?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        return CheckedIntake(input: tidied, name: name, phone: phone ?? "", description: description, external: external,
                             resolution: resolution, errors: errors, actor: actor, now: now)
    }
}

/// Group commit for intake: one per application, so the cases of one process are written
/// one group at a time (SQLite has one writer anyway; on PostgreSQL it spares the
/// connections). Several processes on one PostgreSQL each have their own. The groups are
/// written on the `IntakeLane`, the writer's own thread (and SQLite connection).
///
/// A lock, not an actor, holds the waiting intakes: a request resumed from an actor ran
/// its continuation — encoding its answer — on the actor's thread, which under load was
/// the writer's, so the writer spent a fifth of its time on other requests' JSON. Resumed
/// from here, each request goes on on the HTTP loops.
final class CaseIntakeQueue: Sendable {
    typealias Answer = (CaseRecord, created: Bool)
    private typealias Waiting = (intake: CaseService.CheckedIntake, continuation: CheckedContinuation<CaseIntakeWriter.Written, any Error>)

    /// A group's cases, events and numbers go into one INSERT each; this keeps the bound
    /// values of the largest within every driver's limit.
    static let largestGroup = 200

    private struct State {
        var waiting: [Waiting] = []
        /// Whether a writer task is running; it stops when it finds nothing waiting.
        var writing = false
        var reference: IntakeReference?
    }

    private let lane: IntakeLane
    private let database: @Sendable () -> any Database
    private let state = Mutex(State())

    init(lane: IntakeLane, database: @escaping @Sendable () -> any Database) {
        self.lane = lane
        self.database = database
    }

    /// The answer's model is made here, on the request's thread, not on the writer's.
    func submit(_ intake: CaseService.CheckedIntake) async throws -> Answer {
        try await written(intake).answer
    }

    private func written(_ intake: CaseService.CheckedIntake) async throws -> CaseIntakeWriter.Written {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.waiting.append((intake, continuation))
                defer { state.writing = true }
                return !state.writing
            }
            if startWriter {
                Task(executorPreference: lane.executor) { await self.writeWaiting() }
            }
        }
    }

    private func writeWaiting() async {
        while let (group, cached) = nextGroup() {
            let outcomes: [CaseIntakeWriter.Outcome]
            do {
                let store = try await lane.store(models: database())
                let reference = if let cached { cached } else { try await IntakeReference.load(store: store) }
                var writer = CaseIntakeWriter(store: store, reference: reference)
                outcomes = await writer.write(group.map(\.intake))
                state.withLock { $0.reference = writer.reference }
            } catch {
                outcomes = group.map { _ in .failure(error) }
            }
            for (waiting, outcome) in zip(group, outcomes) {
                waiting.continuation.resume(with: outcome)
            }
        }
    }

    /// The next group, or nil — and the writer stops — when nothing waits.
    private func nextGroup() -> ([Waiting], IntakeReference?)? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.writing = false
                return nil
            }
            let group = Array(state.waiting.prefix(Self.largestGroup))
            state.waiting.removeFirst(group.count)
            return (group, state.reference)
        }
    }
}

extension Application {
    private struct CaseIntakeQueueKey: StorageKey { typealias Value = CaseIntakeQueue }

    /// Set up by `configure`, before the first request.
    var caseIntakeQueue: CaseIntakeQueue? {
        get { storage[CaseIntakeQueueKey.self] }
        set { storage[CaseIntakeQueueKey.self] = newValue }
    }
}

/// Writes a group of intakes. Each intake gets its own answer: one with bad input, for a
/// compound the caller may not take in, or already taken in, does not hold up the others.
struct CaseIntakeWriter {
    typealias Outcome = Result<Written, any Error>
    typealias CheckedIntake = CaseService.CheckedIntake

    /// What the writer answers: a case it wrote, as plain values, or one already there.
    enum Written: Sendable {
        case new(NewCase, compound: Compound, department: Department?, created: Bool)
        case existing(CaseRecord)

        var answer: CaseIntakeQueue.Answer {
            switch self {
            case .new(let row, let compound, let department, let created): (row.record(compound: compound, department: department), created)
            case .existing(let record): (record, false)
            }
        }
    }

    let store: any IntakeStore
    /// What the writer last read of the registry and settings; kept current as the groups
    /// are written (see `lookUp`).
    private(set) var reference: IntakeReference

    init(store: any IntakeStore, reference: IntakeReference) {
        self.store = store
        self.reference = reference
    }

    mutating func write(_ intakes: [CheckedIntake]) async -> [Outcome] {
        do {
            return try await writeTogether(intakes)
        } catch {
            guard intakes.count == 1 else {
                // Something spoiled the group's transaction — most likely another process
                // took one of the external numbers a moment ago: each goes again alone, so
                // only the one concerned is answered differently.
                var outcomes: [Outcome] = []
                for intake in intakes { outcomes += await write([intake]) }
                return outcomes
            }
            let intake = intakes[0]
            if let external = intake.external, let existing = try? await lookUp([intake], compounds: []).existing[Self.key(intake.input.channel, external)] {
                return [answerExisting(.existing(existing), for: intake)]
            }
            return [.failure(error)]
        }
    }

    // MARK: The group

    /// One intake on its way to a case.
    private struct Pending: Sendable {
        let index: Int
        let intake: CheckedIntake
        let compound: Compound
        var row: NewCase
        var events: [NewCase.Event] = []
        var department: Department?
        var creditForRepeat = false
    }

    private mutating func writeTogether(_ intakes: [CheckedIntake]) async throws -> [Outcome] {
        var outcomes = [Outcome?](repeating: nil, count: intakes.count)
        var compounds = try await compounds(for: intakes)
        var lookup = try await lookUp(intakes, compounds: compounds)
        if lookup.version != reference.version {
            // The registry or the settings changed since they were read: read them again, and
            // what depends on them. Read after the version, so a change meanwhile shows next time.
            reference = try await IntakeReference.load(store: store)
            compounds = try await self.compounds(for: intakes)
            lookup = try await lookUp(intakes, compounds: compounds)
        }
        let existing = lookup.existing
        var pending: [Pending] = []
        /// The first intake of this group with a given external number; later ones get its case.
        var firstWithExternal: [String: Int] = [:]
        var sameAs: [Int: String] = [:]
        for (index, intake) in intakes.enumerated() {
            var errors = intake.errors
            var compound: Compound?
            switch compounds[index] {
            case .found(let found): compound = found
            case .notFound(let problems): errors += problems
            }
            guard errors.isEmpty, let compound else {
                outcomes[index] = .failure(DomainError.validation(errors))
                continue
            }
            if let actor = intake.actor {
                guard CasePolicy.mayTakeIn(actor, channel: intake.input.channel, streetOfficeID: compound.$streetOffice.id) else {
                    outcomes[index] = .failure(DomainError(.forbidden, code: "forbidden",
                                                           message: "your role may not take in \(intake.input.channel.rawValue) cases for this compound"))
                    continue
                }
            } else if intake.input.channel != .webForm {
                outcomes[index] = .failure(DomainError(.unauthenticated, code: "unauthenticated", message: "only the public web form takes cases without a login"))
                continue
            }
            if let external = intake.external {
                let key = Self.key(intake.input.channel, external)
                if let record = existing[key] {
                    outcomes[index] = answerExisting(.existing(record), for: intake)
                    continue
                }
                if firstWithExternal[key] != nil {
                    sameAs[index] = key
                    continue
                }
                firstWithExternal[key] = index
            }
            pending.append(Pending(index: index, intake: intake, compound: compound, row: NewCase(id: .timeOrdered(), intake: intake, compound: compound)))
        }

        if !pending.isEmpty {
            try await prepare(&pending, earlier: lookup.earlier)
            try await insert(&pending)
        }
        for item in pending {
            outcomes[item.index] = .success(.new(item.row, compound: item.compound, department: item.department, created: true))
        }
        for (index, key) in sameAs {
            guard let first = firstWithExternal[key], case .success(.new(let row, let compound, let department, _)) = outcomes[first] else { continue }
            outcomes[index] = answerExisting(.new(row, compound: compound, department: department, created: false), for: intakes[index])
        }
        return outcomes.map { $0 ?? .failure(DomainError.internalError) }
    }

    /// Routing, colour, repeats, the lifecycle's first step and the first events of each case.
    private func prepare(_ pending: inout [Pending], earlier: [RepeatKey: [EarlierCase]]) async throws {
        let settings = reference.settings
        var earlier = earlier

        for i in pending.indices {
            let intake = pending[i].intake, input = intake.input, compound = pending[i].compound
            let received = intake.received, now = intake.now
            let route = CaseRouter.route(input.domain, RoutingFacts(
                compoundCode: compound.code, compoundName: compound.name, streetOfficeName: compound.streetOffice.name,
                management: compound.management, companyName: compound.loadedCompany?.name, areaCode: reference.areaCodes[compound.id!]),
                table: settings.routing)
            var explanation = route.explanation
            var handlerKind = route.handler
            var department: Department?
            if let kind = route.department {
                department = reference.departments[kind]
                if department == nil {
                    handlerKind = .streetOffice
                    explanation.append(CaseRouter.noDepartment(kind))
                }
            }

            // Repeats: the same compound and domain within the window, earlier cases of this group included.
            let windowStart = received.addingTimeInterval(-Double(settings.rules.repeatWindowDays) * 86_400)
            let key = RepeatKey(compound: compound.id!, domain: input.domain)
            let inWindow = (earlier[key] ?? []).filter { $0.receivedAt >= windowStart && $0.receivedAt <= received }
            let latest = inWindow.max { $0.receivedAt < $1.receivedAt }
            var colour: CaseColour = intake.resolution != nil ? .green : (input.severalDepartments ? .red : .yellow)
            let repeatCount = inWindow.count + 1
            let escalate = repeatCount >= settings.rules.repeatEscalation && intake.resolution == nil
            if escalate {
                colour = .red
                explanation.append(CaseRouter.repeatEscalation(count: repeatCount, windowDays: settings.rules.repeatWindowDays))
            }

            var row = pending[i].row
            row.colour = colour
            row.repeatOfID = latest?.id
            row.repeatCount = repeatCount
            row.routing = explanation.joined(separator: "\n")
            row.escalatedAt = escalate ? now : nil
            if let resolution = intake.resolution {
                row.state = .closed
                row.resolution = resolution
                row.closedAt = now
            } else {
                row.handlerKind = handlerKind
                row.handlerCompanyID = handlerKind == .company ? compound.$company.id : nil
                row.handlerDepartmentID = handlerKind == .department ? department?.id : nil
                // Routing is automatic: a case is dispatched the moment it is taken in.
                let snapshot = try CaseMachine.apply(.dispatch(designated: false), to: CaseSnapshot(state: .received, colour: colour, receivedAt: received),
                                                     at: now, rules: settings.rules, calendar: settings.calendar)
                row.state = snapshot.state
                row.dispatchedAt = snapshot.dispatchedAt
                row.dueAt = snapshot.dueAt
            }
            pending[i].row = row
            earlier[key, default: []].append(EarlierCase(id: row.id, receivedAt: received))

            var events: [(String, String, [String: String])] = [
                ("received", intake.description, ["channel": input.channel.rawValue, "externalNumber": intake.external ?? ""])
            ]
            if let resolution = intake.resolution {
                events.append(("closed", resolution, ["colour": "green"]))
            } else {
                events.append(("dispatched", explanation.joined(separator: "；"),
                               ["handler": handlerKind.rawValue, "dueAt": row.dueAt.map(CaseService.iso) ?? ""]))
            }
            if let repeatOf = latest?.id {
                events.append(("repeat", "\(repeatCount) in \(settings.rules.repeatWindowDays) days", ["repeatOf": repeatOf.uuidString]))
            }
            if escalate {
                events.append(("escalated", "third repeat within the window", [:]))
            }
            pending[i].events = events.enumerated().map { offset, event in
                NewCase.Event(caseID: row.id, sequence: offset + 1, kind: event.0, note: event.1, data: event.2, actor: intake.actor, at: now)
            }
            pending[i].department = department
            // Against the company only when the case is its to handle: repeated heating or gas
            // complaints are the departments', not the property manager's.
            pending[i].creditForRepeat = escalate && row.handlerKind == .company && row.handlerCompanyID != nil
        }
    }

    /// Numbers, cases, events and credit events of the group: all or nothing.
    private func insert(_ pending: inout [Pending]) async throws {
        let group = IntakeGroup(
            cases: pending.map(\.row),
            events: pending.flatMap(\.events),
            credits: pending.filter(\.creditForRepeat).map {
                CreditEvents.Emission(kind: .thirdRepeat, company: $0.row.handlerCompanyID!, caseID: $0.row.id, key: "thirdRepeat:\($0.row.id)", at: $0.intake.now)
            })
        let numbers = try await store.insert(group)
        for (index, number) in zip(pending.indices, numbers) { pending[index].row.number = number }
    }

    // MARK: What the group reads

    private typealias RepeatKey = IntakeRead.RepeatKey

    private struct EarlierCase {
        let id: UUID
        let receivedAt: Date
    }

    static func key(_ channel: CaseChannel, _ external: String) -> String { channel.rawValue + "\u{1F}" + external }

    /// What the database holds that a group needs.
    private struct Lookup {
        /// The reference data's version now: a group written with another is read again.
        var version: Int
        /// Cases these channels and external numbers already made, with what the answer shows.
        var existing: [String: CaseRecord]
        /// Cases on the same compounds and domains within the repeat window of any intake.
        var earlier: [RepeatKey: [EarlierCase]]
    }

    /// The three reads of a group, one statement on every database (see `IntakeStore.read`).
    /// Intakes whose compound was not found ask for no repeats.
    private func lookUp(_ intakes: [CheckedIntake], compounds: [CompoundLookup]) async throws -> Lookup {
        var externals = Set<IntakeRead.External>()
        for intake in intakes {
            if let external = intake.external { externals.insert(IntakeRead.External(channel: intake.input.channel.rawValue, number: external)) }
        }
        var keys = Set<RepeatKey>(), received: [Date] = []
        for (intake, compound) in zip(intakes, compounds) {
            guard case .found(let compound) = compound else { continue }
            keys.insert(RepeatKey(compound: compound.id!, domain: intake.input.domain))
            received.append(intake.received)
        }
        var window: ClosedRange<Date>?
        if let first = received.min(), let last = received.max() {
            window = first.addingTimeInterval(-Double(reference.settings.rules.repeatWindowDays) * 86_400)...last
        }
        let rows = try await store.read(IntakeRead(externals: Array(externals), repeatKeys: Array(keys), window: window))

        var lookup = Lookup(version: 0, existing: [:], earlier: [:])
        var existingIDs: [UUID] = []
        for row in rows {
            switch row {
            case .version(let version):
                lookup.version = version
            case .existing(let id):
                existingIDs.append(id)
            case .earlier(let id, let compound, let domain, let receivedAt):
                guard let domain = CaseDomain(rawValue: domain) else { continue }
                lookup.earlier[RepeatKey(compound: compound, domain: domain), default: []].append(EarlierCase(id: id, receivedAt: receivedAt))
            }
        }
        // Usually there are none; the models only for those that are.
        if !existingIDs.isEmpty {
            let records = try await CaseRecord.query(on: store.models).filter(\.$id ~~ existingIDs)
                .with(\.$compound).with(\.$streetOffice).with(\.$handlerCompany).with(\.$handlerDepartment).all()
            lookup.existing = Dictionary(records.map { (Self.key($0.channel, $0.externalNumber!), $0) }, uniquingKeysWith: { a, _ in a })
        }
        return lookup
    }

    /// A case already taken in is the answer, unless the caller may not read it: then it stays hidden.
    private func answerExisting(_ written: Written, for intake: CheckedIntake) -> Outcome {
        if let actor = intake.actor, !CasePolicy.mayRead(actor, CaseService.scope(written.answer.0, [])) {
            return .failure(DomainError.notFound("case"))
        }
        return .success(written)
    }

    /// Each intake's compound, or the error naming the field: ids and codes from the
    /// reference data, map points and addresses by a query each.
    private func compounds(for intakes: [CheckedIntake]) async throws -> [CompoundLookup] {
        let byID = reference.compoundsByID, byCode = reference.compoundsByCode
        var answers: [CompoundLookup] = []
        for intake in intakes {
            let input = intake.input
            if let id = input.compoundID {
                answers.append(byID[id].map { .found($0) } ?? .notFound([FieldError(field: "compoundId", reason: "no compound has id \(id)")]))
            } else if let code = input.compoundCode {
                answers.append(byCode[code].map { .found($0) } ?? .notFound([FieldError(field: "compoundCode", reason: "no compound has code \(code)")]))
            } else if let point = input.location {
                answers.append(try await compound(near: point))
            } else if let address = input.address {
                answers.append(try await compound(at: address))
            } else {
                answers.append(.notFound([FieldError(field: "compoundId", reason: "give the compound (id or code), a map point or an address")]))
            }
        }
        return answers
    }

    /// The nearest compound within 300 m of a map point.
    private func compound(near point: GeoPoint) async throws -> CompoundLookup {
        let problems = GeoRules.check(lon: point.lon, lat: point.lat, fieldPrefix: "location.")
        guard problems.isEmpty else { return .notFound(problems) }
        let box = 0.01
        let near = try await Compound.query(on: store.models).with(\.$streetOffice).with(\.$company)
            .filter(\.$lon >= point.lon - box).filter(\.$lon <= point.lon + box)
            .filter(\.$lat >= point.lat - box).filter(\.$lat <= point.lat + box).all()
        if let best = near.min(by: { $0.location.distance(to: point) < $1.location.distance(to: point) }),
           best.location.distance(to: point) <= CaseService.maxPointDistance { return .found(best) }
        return .notFound([FieldError(field: "location", reason: "no compound within \(Int(CaseService.maxPointDistance)) m of this point")])
    }

    /// The one compound whose address or name contains the given address.
    private func compound(at address: String) async throws -> CompoundLookup {
        let matches = try await Compound.query(on: store.models).with(\.$streetOffice).with(\.$company)
            .group(.or) { $0.filter(\.$address ~~ address).filter(\.$name ~~ address) }.limit(2).all()
        if matches.count == 1 { return .found(matches[0]) }
        return .notFound([FieldError(field: "address", reason: matches.isEmpty ? "no compound matches \(address)" : "\(address) matches several compounds; pick one")])
    }

    private enum CompoundLookup {
        case found(Compound)
        case notFound([FieldError])
    }
}
