import Crypto
import Fluent
import Foundation
import Vapor
import YijuCore

/// The public side of cases: a resident files a case from the web form without logging in,
/// and looks it up by its number and the last four digits of the phone it was filed with.
struct PublicCases {
    let db: any Database
    let now: Date
    /// The application's intake queue: its registry and settings are already in memory.
    let intakeQueue: CaseIntakeQueue?
    static let perHour = 5

    init(app: Application) {
        db = app.db
        now = app.clock.now()
        intakeQueue = app.caseIntakeQueue
    }

    struct Filing {
        var reporterName: String
        var reporterPhone: String
        var compoundCode: String?
        var address: String?
        var building: String?
        var unit: String?
        var domain: CaseDomain
        var description: String
    }

    func file(_ filing: Filing, source: String) async throws -> CaseRecord {
        let hash = SHA256.hash(data: Data(("case:" + source).utf8)).hexString
        let recent = try await PublicSubmission.query(on: db).filter(\.$sourceHash == hash).filter(\.$at > now.addingTimeInterval(-3600)).count()
        guard recent < Self.perHour else {
            throw DomainError(.throttled, code: "too_many_cases", message: "at most \(Self.perHour) cases an hour may be filed from one address; please call 12345 instead")
        }
        let input = CaseIntake(channel: .webForm, reporterName: filing.reporterName, reporterPhone: filing.reporterPhone,
                                       compoundCode: filing.compoundCode, address: filing.address, building: filing.building, unit: filing.unit,
                                       domain: filing.domain, description: filing.description)
        let (record, _) = try await CaseService(db: db, actor: nil, now: now, intakeQueue: intakeQueue).intake(input)
        let submission = PublicSubmission()
        submission.sourceHash = hash
        submission.at = now
        try await submission.create(on: db)
        return record
    }

    /// The case if the phone's last four digits match; otherwise "not found", so numbers cannot be probed.
    func lookup(number: String, phoneLast4: String) async throws -> (CaseRecord, [CaseEvent]) {
        let digits = phoneLast4.filter(\.isNumber)
        guard digits.count == 4,
              let record = try await CaseRecord.query(on: db).filter(\.$number == number.trimmingCharacters(in: .whitespaces))
                .with(\.$compound).with(\.$streetOffice).with(\.$handlerCompany).with(\.$handlerDepartment).first(),
              record.reporterPhone.hasSuffix(digits) else {
            throw DomainError(.notFound, code: "not_found", message: "no case has this number and phone; check both")
        }
        // What the resident may read: the steps and the replies, not who inside did them.
        let shown: Set<String> = ["received", "dispatched", "accepted", "replied", "followedUp", "reopened", "closed", "whistle", "orderIssued"]
        let events = try await CaseEvent.query(on: db).filter(\.$caseRecord.$id == record.requireID()).sort(\.$sequence).all()
            .filter { shown.contains($0.kind) }
        return (record, events)
    }
}
