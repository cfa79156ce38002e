import Fluent
import Foundation
import YijuCore

/// 改造工程竣工与社会化物业承接管理同步落地: a tender whose contract starts on the day the
/// renovation of the lot's compounds completes. One row per project it waits on, named when
/// the tender's notice is published so bidders know the start depends on the works.
final class TenderAwaitedProject: Model, @unchecked Sendable {
    static let schema = "tender_awaited_projects"

    @ID(key: .id) var id: UUID?
    @Parent(key: .tenderID) var tender: Tender
    @Parent(key: .projectID) var project: RenovationProject

    init() {}
}
