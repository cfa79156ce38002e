import YijuCore

/// The words of inspections (考评) and rectification.
extension Strings {
    static let inspectionsZh: [String: String] = [
        "inspections": "考评", "inspection": "考评记录", "newInspection": "开始考评", "inspectionTemplate": "考评细则", "inspectionTemplates": "考评细则管理",
        "inspectionTarget": "对象", "inspectionDay": "考评日", "inspector": "考评人", "inspectionScore": "得分", "failedItems": "不合格项",
        "inspectionKind.routine": "日常考评", "inspectionKind.lookBack": "回头看", "inspectionKind": "类型", "inspectionNote": "备注",
        "checkItem": "考评项目", "weight": "权重", "passed": "合格", "failed": "不合格", "finding": "问题描述", "rectifyBy": "整改期限",
        "photoOfFinding": "现场照片", "recordInspection": "提交考评", "noCreditConsequence": "该小区无专业物业，考评结果不计入企业信用",
        "rectificationOrders": "整改通知", "rectification.open": "待整改", "rectification.reported": "已报整改，待复查",
        "rectification.rectified": "复查合格", "rectification.notRectified": "逾期未整改", "overdueOrder": "已逾期",
        "reportRectification": "报告整改情况", "rectificationReport": "整改情况", "verify": "复查", "verifyRectified": "复查合格",
        "verifyNotRectified": "未整改（扣信用分）", "verificationNote": "复查意见", "noOpenOrders": "没有待办的整改通知",
        "lookBacks": "回头看：案件集中的小区", "lookBackWindow": "近 %d 天案件不少于 %d 件", "casesInWindow": "案件数", "perHundredHouseholds": "每百户",
        "lastInspection": "上次考评", "lookBackDue": "待回头看", "lookBackDone": "已复查", "inspectNow": "去考评", "noLookBacks": "没有案件集中的小区",
        "recentInspections": "近期考评", "templateItems": "考评项目（每行：权重 | 项目）", "templateCode": "细则编号", "category": "类别",
        "active": "启用", "retired": "已停用", "saveTemplate": "保存为新版本", "templateVersion": "版本", "chooseCompound": "小区编号或名称",
        "category.cleaning": "清洁卫生", "category.security": "秩序维护", "category.greening": "绿化养护", "category.facilities": "设施设备",
        "category.snowClearing": "冬季除雪", "category.disclosure": "收费与服务公示", "category.other": "其他",
        "companyCases": "近 12 个月案件", "casesTotal": "案件", "sameTimeLastYear": "上年同期", "perThousandHouseholds": "每千户",
        "managementAreas": "所在物业管理区域",
    ]
    static let inspectionsEn: [String: String] = [
        "inspections": "Inspections", "inspection": "Inspection", "newInspection": "Start an inspection", "inspectionTemplate": "Checklist",
        "inspectionTemplates": "Checklists", "inspectionTarget": "Inspected", "inspectionDay": "Day", "inspector": "Inspector",
        "inspectionScore": "Score", "failedItems": "Failed items",
        "inspectionKind.routine": "Routine", "inspectionKind.lookBack": "Look-back", "inspectionKind": "Kind", "inspectionNote": "Note",
        "checkItem": "Item", "weight": "Weight", "passed": "Pass", "failed": "Fail", "finding": "Finding", "rectifyBy": "Rectify by",
        "photoOfFinding": "Photo", "recordInspection": "Record the inspection",
        "noCreditConsequence": "No professional company manages this compound: the result does not touch anyone's credit",
        "rectificationOrders": "Rectification orders", "rectification.open": "Open", "rectification.reported": "Reported, awaiting verification",
        "rectification.rectified": "Verified rectified", "rectification.notRectified": "Not rectified", "overdueOrder": "Overdue",
        "reportRectification": "Report what was done", "rectificationReport": "Company's report", "verify": "Verify", "verifyRectified": "Rectified",
        "verifyNotRectified": "Not rectified (credit deduction)", "verificationNote": "What you found", "noOpenOrders": "No open rectification orders",
        "lookBacks": "Look-backs: compounds with concentrated cases", "lookBackWindow": "at least %2$d cases in the last %1$d days",
        "casesInWindow": "Cases", "perHundredHouseholds": "Per 100 households", "lastInspection": "Last inspection", "lookBackDue": "Due",
        "lookBackDone": "Re-inspected", "inspectNow": "Inspect", "noLookBacks": "No compound has concentrated cases",
        "recentInspections": "Recent inspections", "templateItems": "Items (one per line: weight | item)", "templateCode": "Code", "category": "Category",
        "active": "In use", "retired": "Retired", "saveTemplate": "Save as a new version", "templateVersion": "Version", "chooseCompound": "Compound code or name",
        "category.cleaning": "Cleaning", "category.security": "Security", "category.greening": "Greening", "category.facilities": "Facilities",
        "category.snowClearing": "Snow clearing", "category.disclosure": "Fee and service disclosure", "category.other": "Other",
        "companyCases": "Cases over the last 12 months", "casesTotal": "Cases", "sameTimeLastYear": "the 12 months before",
        "perThousandHouseholds": "per 1,000 households", "managementAreas": "Management areas",
    ]
}
