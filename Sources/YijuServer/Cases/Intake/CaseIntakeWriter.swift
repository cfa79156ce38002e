import Fluent
import Foundation
import SQLKit
import YijuCore

/// Writes a group of intakes. Each intake gets its own answer: one with bad input, for a
/// compound the caller may not take in, or already taken in, does not hold up the others.
struct CaseIntakeWriter {
    typealias Outcome = Result<Written, any Error>

    /// What the writer answers: a case it wrote, as plain values, or one already there.
    enum Written: Sendable {
        /// `builder`: the renovation builder it was routed to, when it was.
        case new(NewCase, compound: Compound, department: Department?, builder: Company?, created: Bool)
        case existing(CaseRecord)

        var answer: CaseIntakeQueue.Answer {
            switch self {
            case .new(let row, let compound, let department, let builder, let created):
                (row.record(compound: compound, department: department, builder: builder), created)
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
        /// The renovation builder it was routed to (its works' domains, during the works).
        var builder: Company?
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
            if let refusal = IntakeRules.admission(intake, streetOfficeID: compound.$streetOffice.id) {
                outcomes[index] = .failure(refusal)
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
            pending.append(Pending(index: index, intake: intake, compound: compound, row: try NewCase(id: .timeOrdered(), intake: intake, compound: compound)))
        }

        if !pending.isEmpty {
            try await prepare(&pending, earlier: lookup.earlier)
            try await insert(&pending)
        }
        for item in pending {
            outcomes[item.index] = .success(.new(item.row, compound: item.compound, department: item.department, builder: item.builder, created: true))
        }
        for (index, key) in sameAs {
            guard let first = firstWithExternal[key], case .success(.new(let row, let compound, let department, let builder, _)) = outcomes[first] else { continue }
            outcomes[index] = answerExisting(.new(row, compound: compound, department: department, builder: builder, created: false), for: intakes[index])
        }
        return outcomes.map { $0 ?? .failure(DomainError.internalError) }
    }

    /// Each case's decision (YijuCore's `IntakeRules.decide`) as its row and first events.
    /// Earlier cases of this group count for the repeats of later ones.
    private func prepare(_ pending: inout [Pending], earlier: [RepeatKey: [EarlierCase]]) async throws {
        let settings = reference.settings
        let registered = Set(reference.departments.keys)
        var earlier = earlier

        for i in pending.indices {
            let intake = pending[i].intake, compound = pending[i].compound
            let compoundID = try compound.requireID()
            let works = reference.works[compoundID]
            let facts = RoutingFacts(compoundCode: compound.code, compoundName: compound.name, streetOfficeName: compound.streetOffice.name,
                                     management: compound.management, companyName: compound.loadedCompany?.name, areaCode: reference.areaCodes[compoundID],
                                     works: works?.facts)
            let key = RepeatKey(compound: compoundID, domain: intake.input.domain)
            let decision = try IntakeRules.decide(intake, facts: facts, table: settings.routing, registered: registered,
                                                  earlier: earlier[key] ?? [], rules: settings.rules, calendar: settings.calendar)
            let department = decision.department.flatMap { reference.departments[$0] }

            var row = pending[i].row
            row.colour = decision.colour
            row.state = decision.state
            row.repeatOfID = decision.repeatOf
            row.repeatCount = decision.repeatCount
            row.routing = decision.routing.joined(separator: "\n")
            row.escalatedAt = decision.escalatedAt
            row.resolution = decision.resolution
            row.closedAt = decision.closedAt
            row.handlerKind = decision.handler
            row.handlerCompanyID = decision.handler == .company ? (decision.toBuilder ? works?.builderID : compound.$company.id) : nil
            row.handlerDepartmentID = try department?.requireID()
            row.dispatchedAt = decision.dispatchedAt
            row.dueAt = decision.dueAt
            pending[i].row = row
            earlier[key, default: []].append(EarlierCase(id: row.id, receivedAt: intake.received))
            pending[i].events = decision.events.enumerated().map { offset, event in
                NewCase.Event(caseID: row.id, sequence: offset + 1, kind: event.kind, note: event.note, data: event.data, actor: intake.actor, at: intake.now)
            }
            pending[i].department = department
            pending[i].builder = decision.toBuilder ? works?.builder : nil
            pending[i].creditForRepeat = decision.chargesCompany && row.handlerCompanyID != nil
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
            keys.insert(RepeatKey(compound: try compound.requireID(), domain: intake.input.domain))
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
           best.location.distance(to: point) <= IntakeRules.maxPointDistance { return .found(best) }
        return .notFound([FieldError(field: "location", reason: "no compound within \(Int(IntakeRules.maxPointDistance)) m of this point")])
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
