import Fluent
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
        var records: [CaseRecord] = []
        var events: [CaseEvent] = []
        var orders: [SupervisionOrder] = []
        var credits: [CaseCreditEvent] = []
        records.reserveCapacity(history.count)

        for h in history {
            guard let compound = byCode[district.compounds[h.compoundIndex].record.code] else { continue }
            let r = CaseRecord()
            r.id = UUID()
            let day = Calendar.shanghai.day(h.receivedAt)
            counters[day, default: 0] += 1
            r.number = "YJ" + day.replacingOccurrences(of: "-", with: "") + "-" + String(format: "%04d", counters[day]!)
            r.channel = h.channel
            r.externalNumber = h.externalNumber
            r.receivedAt = h.receivedAt
            r.reporterName = h.reporterName
            r.reporterPhone = h.reporterPhone
            r.$compound.id = try compound.requireID()
            r.$streetOffice.id = compound.$streetOffice.id
            r.domain = h.domain
            r.description = description(h.domain)
            r.urgency = .normal
            r.colour = h.colour
            r.designated = false
            r.extensions = 0
            r.reopenCount = h.reopened ? 1 : 0
            r.repeatCount = h.repeatCount
            r.repeatOfID = try h.repeatOf.flatMap { records.indices.contains($0) ? try records[$0].requireID() : nil }
            var log: [(Date, String, String)] = [(h.receivedAt, "received", r.description)]
            if h.solvedOnTheSpot {
                r.state = .closed
                r.resolution = "当场协调解决"
                r.closedAt = h.receivedAt
                r.routing = "受理时当场解决（绿色），即时办结"
                log.append((h.receivedAt, "closed", r.resolution!))
            } else {
                let (management, company) = manager(h.compoundIndex, compound, at: h.receivedAt)
                let route = CaseRouter.route(h.domain, RoutingFacts(
                    compoundCode: compound.code, compoundName: compound.name, streetOfficeName: compound.streetOffice.name,
                    management: management, companyName: company?.name, areaCode: nil), table: .default)
                r.routing = route.explanation.joined(separator: "\n")
                r.handlerKind = route.handler
                if route.handler == .company { r.$handlerCompany.id = company?.id }
                if let kind = route.department {
                    if let d = departments[kind] { r.$handlerDepartment.id = d.id } else { r.handlerKind = .streetOffice }
                }
                let dispatched = h.receivedAt.addingTimeInterval(60)
                r.state = .dispatched
                r.dispatchedAt = dispatched
                r.dueAt = calendar.deadline(from: dispatched, workingDays: rules.workingDays(for: h.colour))
                log.append((dispatched, "dispatched", route.explanation.joined(separator: "; ")))
                if h.repeatCount > 1 { log.append((dispatched, "repeat", "\(h.repeatCount) in 30 days")) }
                if h.repeatCount >= rules.repeatEscalation {
                    r.escalatedAt = dispatched
                    log.append((dispatched, "escalated", "third repeat within the window"))
                    if let company = r.$handlerCompany.id {
                        credits.append(credit(.thirdRepeat, company, try r.requireID(), "thirdRepeat:\(try r.requireID())", dispatched))
                    }
                }
                if let hours = h.acceptedAfterHours {
                    let accepted = dispatched.addingTimeInterval(hours * 3600)
                    let acceptBy = calendar.deadline(from: dispatched, workingDays: rules.acceptWorkingDays)
                    if accepted > acceptBy {
                        r.unansweredAt = acceptBy
                        log.append((acceptBy, "unanswered", "not accepted within 1 working day"))
                    }
                    r.state = .accepted
                    log.append((accepted, "accepted", "accepted (签收)"))
                }
                if h.overdue, let due = r.dueAt {
                    r.overdueAt = due
                    let order = SupervisionOrder()
                    order.id = UUID()
                    order.$caseRecord.id = try r.requireID()
                    order.handlerKind = r.handlerKind ?? .streetOffice
                    order.$handlerCompany.id = r.$handlerCompany.id
                    order.$handlerDepartment.id = r.$handlerDepartment.id
                    order.issuedAt = due
                    order.dueAt = calendar.deadline(from: due, workingDays: rules.orderWorkingDays)
                    log.append((due, "overdue", "not replied to by the due time"))
                    log.append((due, "orderIssued", "supervision order (督办单)"))
                    if let company = r.$handlerCompany.id {
                        credits.append(credit(.overdueCase, company, try r.requireID(), "overdue:\(try r.requireID())", due))
                        credits.append(credit(.orderIssued, company, try r.requireID(), "orderIssued:\(try order.requireID())", due))
                    }
                    if h.escalated {
                        order.escalatedAt = order.dueAt
                        r.escalatedAt = r.escalatedAt ?? order.dueAt
                        log.append((order.dueAt, "orderEscalated", "supervision order not met: escalated to the bureau"))
                        if let company = r.$handlerCompany.id {
                            credits.append(credit(.orderNotMet, company, try r.requireID(), "orderNotMet:\(try order.requireID())", order.dueAt))
                        }
                    }
                    orders.append(order)
                }
                if let days = h.repliedAfterDays {
                    let replied = dispatched.addingTimeInterval(days * 86_400)
                    if h.reopened {
                        let first = replied.addingTimeInterval(-1.5 * 86_400)
                        log.append((first, "replied", "已处理"))
                        log.append((first.addingTimeInterval(0.5 * 86_400), "reopened", "居民不满意，重新办理"))
                    }
                    r.state = .replied
                    r.repliedAt = replied
                    if let met = orders.last, met.$caseRecord.id == r.id, met.escalatedAt == nil { met.metAt = replied }
                    log.append((replied, "replied", "已处理完毕"))
                    if let s = h.satisfaction {
                        r.state = .followedUp
                        r.satisfaction = s
                        log.append((replied.addingTimeInterval(86_400), "followedUp", ""))
                    }
                    if h.closed, r.satisfaction != nil {
                        r.state = .closed
                        r.closedAt = replied.addingTimeInterval(2 * 86_400)
                        log.append((r.closedAt!, "closed", "销号"))
                    }
                }
            }
            records.append(r)
            for (sequence, entry) in log.sorted(by: { $0.0 < $1.0 }).enumerated() {
                let e = CaseEvent()
                e.$caseRecord.id = try r.requireID()
                e.sequence = sequence + 1
                e.at = entry.0
                e.actorName = entry.1 == "received" ? "hotline" : (entry.1 == "unanswered" || entry.1 == "overdue" || entry.1 == "orderIssued"
                    || entry.1 == "orderEscalated" || entry.1 == "repeat" || entry.1 == "escalated" ? "system" : "demo")
                e.kind = entry.1
                e.note = entry.2
                e.data = "{}"
                events.append(e)
            }
        }

        let (allRecords, allEvents, allOrders, allCredits, allCounters) = (records, events, orders, credits, counters)
        try await db.transaction { tx in
            // Batches keep each INSERT under SQLite's bound-parameter limit.
            for batch in stride(from: 0, to: allRecords.count, by: 200) { try await Array(allRecords[batch..<min(batch + 200, allRecords.count)]).create(on: tx) }
            for batch in stride(from: 0, to: allEvents.count, by: 1000) { try await Array(allEvents[batch..<min(batch + 1000, allEvents.count)]).create(on: tx) }
            for batch in stride(from: 0, to: allOrders.count, by: 500) { try await Array(allOrders[batch..<min(batch + 500, allOrders.count)]).create(on: tx) }
            for batch in stride(from: 0, to: allCredits.count, by: 1000) { try await Array(allCredits[batch..<min(batch + 1000, allCredits.count)]).create(on: tx) }
            for (day, next) in allCounters {
                let counter = CaseCounter()
                counter.id = day
                counter.nextValue = next
                try await counter.create(on: tx)
            }
        }
        return records.count
    }

    static func credit(_ kind: CaseCreditEvent.Kind, _ company: UUID, _ caseID: UUID, _ key: String, _ at: Date) -> CaseCreditEvent {
        let c = CaseCreditEvent()
        c.$company.id = company
        c.$caseRecord.id = caseID
        c.kind = kind
        c.sourceKey = key
        c.at = at
        return c
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
