import Fluent
import Foundation
import YijuCore

/// A contractor's own record (施工记录), kept apart from property companies' credit: the cases
/// routed to it during works and how many ran overdue, its site inspections and the items
/// they failed, the rectification orders they raised and how they stand, and its diary days
/// with the checks they failed. Shown on its company file to whoever may read that file.
struct ContractorRecord: Sendable {
    var cases = 0
    var openCases = 0
    var overdueCases = 0
    var inspections = 0
    var failedItems = 0
    var openOrders = 0
    var overdueOrders = 0
    var awaitingVerification = 0
    var notRectified = 0
    var diaryDays = 0
    var daysWithFindings = 0

    static func load(_ companyID: UUID, db: any Database, today: String) async throws -> ContractorRecord {
        var record = ContractorRecord()
        record.cases = try await CaseRecord.query(on: db).filter(\.$handlerCompany.$id == companyID).count()
        record.openCases = try await CaseRecord.query(on: db).filter(\.$handlerCompany.$id == companyID).filter(\.$state != .closed).count()
        // The cases pipeline records each overdue case once, on the company that had it.
        record.overdueCases = try await CaseCreditEvent.query(on: db).filter(\.$company.$id == companyID).filter(\.$kind == .overdueCase).count()
        let inspections = try await InspectionRecord.query(on: db).filter(\.$company.$id == companyID).filter(\.$project.$id != nil)
            .field(\.$id).all().compactMap(\.id)
        record.inspections = inspections.count
        if !inspections.isEmpty {
            record.failedItems = try await InspectionItemResult.query(on: db).filter(\.$inspection.$id ~~ inspections).filter(\.$passed == false).count()
            let orders = try await RectificationOrder.query(on: db).filter(\.$inspection.$id ~~ inspections).field(\.$id).field(\.$status).field(\.$deadline).all()
            record.openOrders = orders.filter { $0.status == .open }.count
            record.overdueOrders = orders.filter { $0.status == .open && $0.deadline < today }.count
            record.awaitingVerification = orders.filter { $0.status == .reported }.count
            record.notRectified = orders.filter { $0.status == .notRectified }.count
        }
        let days = try await SiteDiaryRecord.query(on: db).filter(\.$company.$id == companyID).field(\.$id).field(\.$findings).all()
        record.diaryDays = days.count
        record.daysWithFindings = days.filter { $0.findings != "[]" }.count
        return record
    }
}
