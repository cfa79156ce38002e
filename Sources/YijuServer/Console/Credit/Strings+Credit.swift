import YijuCore

/// The words of companies' credit (信用评价): the company file's credit section.
extension Strings {
    static let creditZh: [String: String] = [
        "creditFile": "信用档案", "creditScore": "信用分", "creditGrade": "信用等级", "creditAsOf": "截至", "creditBase": "基础分",
        "creditDeductions": "扣分", "creditBonuses": "加分", "blacklisted": "已列入黑名单", "notBlacklisted": "未列入黑名单",
        "mayBid": "可参加选聘", "mayNotBid": "不可参加选聘", "creditLines": "加减分明细", "creditKind": "事项", "creditPoints": "分值",
        "creditEffective": "生效日", "creditExpires": "到期日", "creditSource": "来源", "creditStatus": "状态", "creditNone": "暂无加减分记录",
        "creditRuleVersion": "评分规则版本", "creditTrend": "较半年前",
        "tenders": "物业选聘", "tender": "选聘", "tender.open": "报名投标中", "tender.awarded": "已定标", "tender.cancelled": "已取消",
        "openTender": "发布选聘公告", "lot": "标段", "bidDeadline": "投标截止", "startDate": "合同开始日", "termYears": "服务期（年）",
        "weights": "评分权重", "weightPrice": "报价", "weightPlan": "服务方案", "weightCredit": "信用", "weightResources": "服务资源",
        "noticeDay": "公告日", "eligibility": "投标资格", "eligible": "可投标", "ineligible": "不可投标", "bids": "投标",
        "sealedBids": "投标截止前标书密封，仅显示数量", "submitBid": "提交投标", "pricePerM2": "报价（分/m²·月）", "servicePlan": "服务方案",
        "stations": "服务站", "ranking": "评标排名", "panelScores": "评委打分", "scorePlan": "为服务方案打分（0–100）", "total": "总分",
        "award": "定标并生成合同", "contract": "合同", "contractPending": "待开始", "startsOnCompletion": "合同自改造竣工之日起生效（竣工与承接同步）", "contractStarted": "已接管小区",
        "contracts": "服务合同（现有与既往）", "contractCurrent": "履行中", "contractEnded": "已到期", "contractEnd": "结束日", "feeRate": "收费标准（元/m²·月）",
    ]
    static let creditEn: [String: String] = [
        "creditFile": "Credit file", "creditScore": "Score", "creditGrade": "Grade", "creditAsOf": "As of", "creditBase": "Base",
        "creditDeductions": "Deductions", "creditBonuses": "Bonuses", "blacklisted": "On the blacklist", "notBlacklisted": "Not on the blacklist",
        "mayBid": "May bid", "mayNotBid": "May not bid", "creditLines": "Points line by line", "creditKind": "Event", "creditPoints": "Points",
        "creditEffective": "Effective", "creditExpires": "Expires", "creditSource": "Source", "creditStatus": "Status", "creditNone": "No entries yet",
        "creditRuleVersion": "Rule set version", "creditTrend": "Since half a year ago",
        "tenders": "Selection", "tender": "Tender", "tender.open": "Open for bids", "tender.awarded": "Awarded", "tender.cancelled": "Cancelled",
        "openTender": "Publish a tender notice", "lot": "Lot", "bidDeadline": "Bid deadline", "startDate": "Contract start", "termYears": "Term (years)",
        "weights": "Weights", "weightPrice": "Price", "weightPlan": "Service plan", "weightCredit": "Credit", "weightResources": "Resources",
        "noticeDay": "Notice day", "eligibility": "Eligibility", "eligible": "May bid", "ineligible": "May not bid", "bids": "Bids",
        "sealedBids": "Bids are sealed until the deadline; only their number shows", "submitBid": "Submit a bid", "pricePerM2": "Price (fen per m² a month)",
        "servicePlan": "Service plan", "stations": "Service stations", "ranking": "Ranking", "panelScores": "Panel scores",
        "scorePlan": "Score the service plan (0–100)", "total": "Total", "award": "Award and make the contract", "contract": "Contract",
        "contractPending": "not started yet", "startsOnCompletion": "Contract starts on the day the renovation completes", "contractStarted": "has taken over its compounds",
        "contracts": "Contracts, current and past", "contractCurrent": "Current", "contractEnded": "Ended", "contractEnd": "End", "feeRate": "Fee (yuan per m² a month)",
    ]
}

extension Language {
    /// Why a company may not bid, in the page's language (the API keeps the rule's words).
    func refusal(_ eligibility: BidEligibility, grade: CreditGrade) -> String {
        guard case .ineligible(let reason) = eligibility else { return "" }
        guard self == .zh else { return reason }
        return reason == BidEligibility.blacklistReason ? "已列入黑名单" : "信用等级 \(grade.rawValue)，不在可投标等级之内"
    }

    func label(_ kind: CreditEventKind) -> String {
        let (zh, en): (String, String) = switch kind {
        case .verifiedComplaint: ("有效投诉", "Verified complaint")
        case .overdueCase: ("诉求超期", "Case overdue")
        case .orderIssued: ("被下发督办单", "Supervision order issued")
        case .orderNotMet: ("督办单逾期未办结", "Supervision order not met")
        case .thirdRepeat: ("30日内第三次重复诉求", "Third repeat within 30 days")
        case .inspectionFailure: ("考评不合格项", "Failed inspection item")
        case .blacklistReport: ("行业黑榜通报", "Industry blacklist report")
        case .refusedRectification: ("拒不整改或拒不交接", "Refused rectification or handover")
        case .commendation: ("通报表扬", "Commendation")
        case .redProperty: ("红色物业", "Party-led property service")
        case .halfYearSatisfaction: ("半年回访满意率达标", "Half-year satisfaction")
        }
        return self == .zh ? zh : en
    }

    func label(_ status: CreditStatement.Status) -> String {
        switch status {
        case .counts: self == .zh ? "计入" : "Counts"
        case .notYetEffective: self == .zh ? "未生效" : "Not yet effective"
        case .expired: self == .zh ? "已过期" : "Expired"
        }
    }
}
