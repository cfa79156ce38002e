import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// Companies' credit through the API. Points travel as numbers with one decimal (−0.5);
/// the ledger keeps tenths.
extension YijuAPI {
    private func creditService(actor: Actor?) -> CreditService {
        CreditService(db: app.db, actor: actor, now: app.clock.now())
    }

    func getCompanyCredit(_ input: Operations.getCompanyCredit.Input) async throws -> Operations.getCompanyCredit.Output {
        let id = try pathID(input.path.id, "company")
        let credit = try await creditService(actor: try RequestActor.require()).companyCredit(id, on: input.query.day)
        return .ok(.init(body: .json(try .init(credit))))
    }

    func recordCreditEvent(_ input: Operations.recordCreditEvent.Input) async throws -> Operations.recordCreditEvent.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let entry = try await creditService(actor: try RequestActor.require()).record(
            company: try pathID(input.path.id, "company"), kind: CreditEventKind(rawValue: body.kind.rawValue)!,
            source: body.source, effective: body.effective)
        return .created(.init(body: .json(.init(id: try entry.requireID().uuidString, kind: body.kind, points: entry.points.points, effective: entry.effective,
                                                expires: entry.expires, source: entry.source,
                                                status: entry.expires <= Calendar.shanghai.day(app.clock.now()) ? .expired : .counts))))
    }

    func listExitRecommendations(_ input: Operations.listExitRecommendations.Input) async throws -> Operations.listExitRecommendations.Output {
        let actor = try RequestActor.require()
        let query = try ExitRecommendation.listed(to: actor, on: app.db).with(\.$company).sort(\.$halfYearEnd, .descending)
        let rows = try await query.all()
        let emergency = Dictionary(grouping: try await Contract.query(on: app.db).filter(\.$exitID ~~ rows.compactMap(\.id)).all()) { $0.exitID! }
        return .ok(.init(body: .json(try rows.map { try .init($0, emergency: emergency[try $0.requireID()] ?? []) })))
    }

    func appointEmergencyProvider(_ input: Operations.appointEmergencyProvider.Input) async throws -> Operations.appointEmergencyProvider.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let contract = try await EmergencyProviders(db: app.db, actor: try RequestActor.require(), now: app.clock.now()).appoint(.init(
            exitID: try pathID(input.path.id, "exit recommendation"), providerID: try pathID(body.companyId, "company"),
            feeRateFen: body.feeRateFen, startDate: body.startDate, months: body.months))
        return .created(.init(body: .json(try .init(contract))))
    }

    func decideExitRecommendation(_ input: Operations.decideExitRecommendation.Input) async throws -> Operations.decideExitRecommendation.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let decided = try await creditService(actor: try RequestActor.require())
            .decide(exit: try pathID(input.path.id, "exit recommendation"), confirm: body.confirm, reason: body.reason, endDate: body.endDate)
        try await decided.$company.load(on: app.db)
        return .ok(.init(body: .json(try .init(decided))))
    }

    func getCreditRules(_ input: Operations.getCreditRules.Input) async throws -> Operations.getCreditRules.Output {
        _ = try RequestActor.require()
        let (version, rules) = try await CreditRuleSets.current(on: app.db)
        return .ok(.init(body: .json(.init(version: version, rules: try .init(rules)))))
    }

    func updateCreditRules(_ input: Operations.updateCreditRules.Input) async throws -> Operations.updateCreditRules.Output {
        guard case .json(let body) = input.body else { throw DomainError.unsupportedMediaType }
        let rules = try CreditRules(wire: body.rules)
        let (version, saved) = try await creditService(actor: try RequestActor.require()).updateRules(rules, note: body.note)
        return .ok(.init(body: .json(.init(version: version, note: body.note, rules: try .init(saved)))))
    }

    func listPublicCredit(_ input: Operations.listPublicCredit.Input) async throws -> Operations.listPublicCredit.Output {
        let rows = try await creditService(actor: nil).publicList()
        return .ok(.init(body: .json(try rows.map { company, statement, blacklist in
            .init(companyId: try company.requireID().uuidString, name: company.name, score: statement.score.points,
                  grade: .init(rawValue: statement.grade.rawValue)!, blacklisted: blacklist != nil,
                  blacklistedSince: blacklist?.since, blacklistReason: blacklist?.reason)
        })))
    }
}

extension Tenths {
    var points: Double { Double(self) / 10 }

    /// From the API's points, which must not have more than one decimal.
    static func fromPoints(_ value: Double, field: String) throws -> Tenths {
        let tenths = (value * 10).rounded()
        guard abs(value * 10 - tenths) < 1e-6, abs(tenths) < 1_000_000 else {
            throw DomainError.validation([FieldError(field: field, reason: "must be a number of points with at most one decimal")])
        }
        return Int(tenths)
    }
}

extension Components.Schemas.CreditStatement {
    init(_ credit: CreditService.CompanyCredit) throws {
        let s = credit.statement
        var refusal: String?
        if case .ineligible(let reason) = credit.eligibility { refusal = reason }
        self.init(companyId: try credit.company.requireID().uuidString, companyName: credit.company.name, day: s.day, base: s.base.points,
                  score: s.score.points, grade: .init(rawValue: s.grade.rawValue)!, deductions: s.deductions.points, bonuses: s.bonuses.points,
                  blacklisted: credit.blacklist != nil, blacklistReason: credit.blacklist?.reason, blacklistedSince: credit.blacklist?.since,
                  mayBid: credit.eligibility == .eligible, bidRefusal: refusal, ruleVersion: credit.ruleVersion,
                  lines: s.lines.map { line in
                      .init(id: line.entry.id.uuidString, kind: .init(rawValue: line.entry.kind.rawValue)!, points: line.entry.points.points,
                            effective: line.entry.effective, expires: line.entry.expires, source: line.entry.source,
                            status: .init(rawValue: line.status.rawValue)!)
                  })
    }
}

extension Components.Schemas.CreditRules {
    init(_ rules: CreditRules) throws {
        self.init(base: rules.base.points, expiryMonths: rules.expiryMonths,
                  points: .init(additionalProperties: Dictionary(uniqueKeysWithValues: rules.points.map { ($0.key.rawValue, $0.value.points) })),
                  maxInspectionWeight: rules.maxInspectionWeight,
                  grades: rules.grades.map { .init(grade: .init(rawValue: $0.grade.rawValue)!, minimum: $0.minimum?.points) },
                  biddingGrades: rules.biddingGrades.sorted { $0 > $1 }.map { .init(rawValue: $0.rawValue)! },
                  blacklistGrade: .init(rawValue: rules.blacklistGrade.rawValue)!, exitThreshold: rules.exitThreshold.points,
                  exitHalfYears: rules.exitHalfYears, satisfactionBonusRate: rules.satisfactionBonusRate)
    }
}

extension CreditRules {
    /// From the API; an unknown event kind is named. The whole set is checked by `problems()`.
    init(wire: Components.Schemas.CreditRules) throws {
        var points: [CreditEventKind: Tenths] = [:]
        var errors: [FieldError] = []
        for (key, value) in wire.points.additionalProperties {
            guard let kind = CreditEventKind(rawValue: key) else {
                errors.append(FieldError(field: "rules.points.\(key)", reason: "is not an event kind"))
                continue
            }
            points[kind] = try Tenths.fromPoints(value, field: "rules.points.\(key)")
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        self.init(base: try .fromPoints(wire.base, field: "rules.base"), expiryMonths: wire.expiryMonths, points: points,
                  maxInspectionWeight: wire.maxInspectionWeight,
                  grades: try wire.grades.enumerated().map { i, band in
                      GradeBand(grade: CreditGrade(rawValue: band.grade.rawValue)!,
                                minimum: try band.minimum.map { try Tenths.fromPoints($0, field: "rules.grades[\(i)].minimum") })
                  },
                  biddingGrades: Set(wire.biddingGrades.map { CreditGrade(rawValue: $0.rawValue)! }),
                  blacklistGrade: CreditGrade(rawValue: wire.blacklistGrade.rawValue)!,
                  exitThreshold: try .fromPoints(wire.exitThreshold, field: "rules.exitThreshold"), exitHalfYears: wire.exitHalfYears,
                  satisfactionBonusRate: wire.satisfactionBonusRate)
    }
}

extension Components.Schemas.ExitRecommendation {
    init(_ r: ExitRecommendation, emergency: [Contract] = []) throws {
        self.init(id: try r.requireID().uuidString, companyId: r.$company.id.uuidString, companyName: r.$company.value?.name ?? "", halfYearEnd: r.halfYearEnd,
                  basis: r.basis, status: .init(rawValue: r.status.rawValue)!, reason: r.reason, decidedBy: r.decidedBy, decidedAt: r.decidedAt,
                  endDate: r.endDate, emergencyContracts: try emergency.map(Components.Schemas.Contract.init))
    }
}
