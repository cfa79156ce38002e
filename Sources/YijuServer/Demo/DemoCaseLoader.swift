import Fluent
import SQLKit
import Foundation
import YijuCore
import Vapor

/// Writes the demo district's two years of cases (YijuCore's DemoCaseHistory) as the
/// pipeline would have left them: routed by the default table, with due times, events,
/// supervision orders, repeats and credit events, and today's cases still open.
enum DemoCaseLoader {
    static func load(into app: Application, seed: UInt64, now: Date, handovers: [String: DemoCaseHistory.Handover] = [:]) async throws -> Int {
        let district = DemoDistrict.generate(seed: seed)
        let db = app.db
        let compounds = try await Compound.query(on: db).with(\.$streetOffice).with(\.$company).all()
        let byCode = Dictionary(compounds.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let indexOfCode = Dictionary(district.compounds.enumerated().map { ($1.record.code, $0) }, uniquingKeysWith: { a, _ in a })
        // Zoned: the compounds in management areas, since their plan was adopted.
        let open = try await AreaAssignment.query(on: db).filter(\.$endDate == nil).with(\.$compound).all()
        let zoned = Set(open.compactMap { indexOfCode[$0.compound.code] })
        let zonedSince = open.map(\.startDate).min().flatMap { Calendar.shanghai.start(of: $0) } ?? now
        let handoverByIndex = Dictionary(uniqueKeysWithValues: handovers.compactMap { code, h in indexOfCode[code].map { ($0, h) } })
        let history = DemoCaseHistory.generate(district, zoned: zoned, zonedSince: zonedSince, now: now, handovers: handoverByIndex, seed: seed)
        // Before a handover a compound was run as the district first had it.
        let companyByNumber = Dictionary(uniqueKeysWithValues: try await Company.query(on: db).all().map { ($0.registrationNumber, $0) })
        func manager(_ index: Int, _ compound: Compound, at day: Date) -> (ManagementMode, Company?) {
            guard let handover = handoverByIndex[index], day < handover.from else { return (compound.management, compound.loadedCompany) }
            let original = district.compounds[index]
            return (original.record.management, original.companyIndex.flatMap { companyByNumber[district.companies[$0].registrationNumber] })
        }

        var departments: [DepartmentKind: Department] = [:]
        for d in try await Department.query(on: db).all() where departments[d.kind] == nil { departments[d.kind] = d }
        let rules = CaseRules.default
        let calendar = WorkingCalendar()
        var counters: [String: Int] = [:]
        var records: [HistoricCase] = []
        var events: [NewCase.Event] = []
        var orders: [HistoricOrder] = []
        var credits: [CreditEvents.Emission] = []
        records.reserveCapacity(history.count)

        for h in history {
            guard let compound = byCode[district.compounds[h.compoundIndex].record.code] else { continue }
            let day = Calendar.shanghai.day(h.receivedAt)
            counters[day, default: 0] += 1
            var r = HistoricCase(channel: h.channel, externalNumber: h.externalNumber, receivedAt: h.receivedAt,
                                 reporterName: h.reporterName, reporterPhone: h.reporterPhone,
                                 compoundID: try compound.requireID(), streetOfficeID: compound.$streetOffice.id,
                                 domain: h.domain, description: description(h.domain), colour: h.colour, createdAt: now)
            r.number = CaseNumbers.prefix(day: day) + counters[day, default: 1].zeroPadded(4)
            r.reopenCount = h.reopened ? 1 : 0
            r.repeatCount = h.repeatCount
            r.repeatOfID = h.repeatOf.flatMap { records.indices.contains($0) ? records[$0].id : nil }
            var log: [(Date, String, String)] = [(h.receivedAt, "received", r.description)]
            if h.solvedOnTheSpot {
                r.state = .closed
                r.resolution = "当场协调解决"
                r.closedAt = h.receivedAt
                r.routing = "受理时当场解决（绿色），即时办结"
                log.append((h.receivedAt, "closed", "当场协调解决"))
            } else {
                let (management, company) = manager(h.compoundIndex, compound, at: h.receivedAt)
                let route = CaseRouter.route(h.domain, RoutingFacts(
                    compoundCode: compound.code, compoundName: compound.name, streetOfficeName: compound.streetOffice.name,
                    management: management, companyName: company?.name, areaCode: nil), table: .default)
                r.routing = route.explanation.joined(separator: "\n")
                r.handlerKind = route.handler
                if route.handler == .company { r.handlerCompanyID = company?.id }
                if let kind = route.department {
                    if let d = departments[kind] { r.handlerDepartmentID = d.id } else { r.handlerKind = .streetOffice }
                }
                let dispatched = h.receivedAt.addingTimeInterval(60)
                r.state = .dispatched
                r.dispatchedAt = dispatched
                let due = calendar.deadline(from: dispatched, workingDays: rules.workingDays(for: h.colour))
                r.dueAt = due
                log.append((dispatched, "dispatched", route.explanation.joined(separator: "; ")))
                if h.repeatCount > 1 { log.append((dispatched, "repeat", "\(h.repeatCount) in 30 days")) }
                if h.repeatCount >= rules.repeatEscalation {
                    r.escalatedAt = dispatched
                    log.append((dispatched, "escalated", "third repeat within the window"))
                    if let company = r.handlerCompanyID {
                        credits.append(.init(kind: .thirdRepeat, company: company, caseID: r.id, key: "thirdRepeat:\(r.id)", at: dispatched))
                    }
                }
                var acceptedAt: Date?
                if let hours = h.acceptedAfterHours {
                    let accepted = dispatched.addingTimeInterval(hours * 3600)
                    acceptedAt = accepted
                    let acceptBy = calendar.deadline(from: dispatched, workingDays: rules.acceptWorkingDays)
                    if accepted > acceptBy {
                        r.unansweredAt = acceptBy
                        log.append((acceptBy, "unanswered", "not accepted within 1 working day"))
                    }
                    r.state = .accepted
                    log.append((accepted, "accepted", "accepted (签收)"))
                }
                var order: HistoricOrder?
                if h.overdue {
                    r.overdueAt = due
                    var issued = HistoricOrder(caseID: r.id, handlerKind: r.handlerKind ?? .streetOffice, handlerCompanyID: r.handlerCompanyID,
                                               handlerDepartmentID: r.handlerDepartmentID, issuedAt: due,
                                               dueAt: calendar.deadline(from: due, workingDays: rules.orderWorkingDays))
                    log.append((due, "overdue", "not replied to by the due time"))
                    log.append((due, "orderIssued", "supervision order (督办单)"))
                    if let company = r.handlerCompanyID {
                        credits.append(.init(kind: .overdueCase, company: company, caseID: r.id, key: "overdue:\(r.id)", at: due))
                        credits.append(.init(kind: .orderIssued, company: company, caseID: r.id, key: "orderIssued:\(issued.id)", at: due))
                    }
                    if h.escalated {
                        issued.escalatedAt = issued.dueAt
                        r.escalatedAt = r.escalatedAt ?? issued.dueAt
                        log.append((issued.dueAt, "orderEscalated", "supervision order not met: escalated to the bureau"))
                        if let company = r.handlerCompanyID {
                            credits.append(.init(kind: .orderNotMet, company: company, caseID: r.id, key: "orderNotMet:\(issued.id)", at: issued.dueAt))
                        }
                    }
                    order = issued
                }
                if let days = h.repliedAfterDays {
                    let replied = dispatched.addingTimeInterval(days * 86_400)
                    if h.reopened {
                        // The first reply and the resident's dissatisfaction fall between the
                        // acceptance and the final reply, so the timeline reads in order.
                        let start = min(acceptedAt ?? dispatched, replied)
                        let third = replied.timeIntervalSince(start) / 3
                        log.append((start.addingTimeInterval(third), "replied", "已处理"))
                        log.append((start.addingTimeInterval(2 * third), "reopened", "居民不满意，重新办理"))
                    }
                    r.state = .replied
                    r.repliedAt = replied
                    if order?.escalatedAt == nil { order?.metAt = replied }
                    log.append((replied, "replied", "已处理完毕"))
                    if let s = h.satisfaction {
                        r.state = .followedUp
                        r.satisfaction = s
                        log.append((replied.addingTimeInterval(86_400), "followedUp", ""))
                    }
                    if h.closed, r.satisfaction != nil {
                        let closed = replied.addingTimeInterval(2 * 86_400)
                        r.state = .closed
                        r.closedAt = closed
                        log.append((closed, "closed", "销号"))
                    }
                }
                if let order { orders.append(order) }
            }
            records.append(r)
            for (sequence, entry) in log.sorted(by: { $0.0 < $1.0 }).enumerated() {
                events.append(NewCase.Event(caseID: r.id, sequence: sequence + 1, kind: entry.1, note: entry.2, actorName: actor(of: entry.1), at: entry.0))
            }
        }

        let counterRows = counters.map { HistoricCounter(day: $0.key, nextValue: $0.value) }
        let (allRecords, allEvents, allOrders, allCredits) = (records, events, orders, credits)
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw DomainError.internalError }
            try await CaseFigureRollUp.bulkInsert(on: sql) {
                try await RowInserts.insert(into: CaseRecord.schema, HistoricCase.columns, allRecords, on: sql)
            }
            try await RowInserts.insert(into: CaseEvent.schema, NewCase.Event.columns, allEvents, on: tx)
            try await RowInserts.insert(into: SupervisionOrder.schema, HistoricOrder.columns, allOrders, on: tx)
            try await RowInserts.insert(into: CaseCreditEvent.schema, CreditEvents.Emission.columns, allCredits, on: tx)
            try await RowInserts.insert(into: CaseCounter.schema, HistoricCounter.columns, counterRows, on: tx)
        }
        return records.count
    }

    /// Who an event of the history is by: the hotline took the case, the timers noticed what
    /// was late or repeated, and the demo's people did the rest.
    static func actor(of kind: String) -> String {
        switch kind {
        case "received": "hotline"
        case "unanswered", "overdue", "orderIssued", "orderEscalated", "repeat", "escalated": "system"
        default: "demo"
        }
    }

    static func description(_ domain: CaseDomain) -> String {
        switch domain {
        case .water: "楼道水管漏水，家中停水"
        case .electricity: "单元楼道灯不亮，电表箱冒火花"
        case .gas: "燃气表附近有异味"
        case .heating: "家中暖气不热，室温不到16度"
        case .constructionQuality: "改造后外墙保温层脱落"
        case .propertyRights: "房屋产权证办理遇到问题"
        case .safety: "楼道堆放杂物，存在消防隐患"
        case .maintenanceFund: "维修资金使用需要业主表决，无人组织"
        case .propertyService: "物业服务不到位，楼道无人清扫"
        case .sanitation: "垃圾未及时清运，异味严重"
        case .parking: "小区内乱停车，消防通道被堵"
        case .illegalConstruction: "一楼住户私搭乱建"
        case .other: "其他问题需要街道协调"
        }
    }
}
