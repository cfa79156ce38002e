/// The words of a project's acceptance (验收) and its satisfaction survey (满意度测评).
extension Strings {
    static let acceptanceZh: [String: String] = [
        "acceptanceSurvey": "验收与满意度测评", "acceptanceLink": "验收与满意度测评", "acceptanceRound": "验收第", "openedOn": "申请验收",
        "surveyAnswered": "参与测评户数", "surveyNeeded": "尚需参与户数", "verdict.satisfied": "满意", "verdict.basicallySatisfied": "基本满意",
        "verdict.dissatisfied": "不满意", "verdict": "评价", "surveyComment": "意见", "saveAnswer": "保存，下一户",
        "acceptanceCheck": "竣工验收", "recordAcceptanceCheck": "记录竣工验收（参加并签字的单位和人员、整改清单）",
        "checkParticipants": "参加并签字（每行一位）", "punchListLabel": "整改清单（每行一项）", "closeSurvey": "结束测评并计算结果",
        "surveyResponses": "测评记录", "noOpenSurvey": "项目申请验收后开始测评。", "earlierRounds": "历次验收", "closedOn": "结束",
        "surveyResultLabel": "结果", "surveyResult.passed": "通过", "surveyResult.failed": "未通过，退回整改", "surveyResult.withdrawn": "撤回（重新施工）",
        "awaitingManagement": "待竣工交接：无物业企业，纳入大区划片",
        "publicRenovation": "老旧小区改造公开", "noPublicProjects": "暂无公开的改造项目", "publicOpinions": "收集的意见（条）",
        "publicPublications": "公示记录", "publicAcceptance": "验收与满意度测评结果", "publicPageLink": "公开页面",
        "renovationFigures": "改造统计", "figureProjects": "项目数（不含已取消）", "figurePassRate": "验收测评通过率", "figureReach": "入户走访覆盖率",
        "figureByStatus": "按状态", "figureByYear": "按年度批次", "figureBuilt": "已建成内容", "downloadCSV": "下载 CSV",
    ]
    static let acceptanceEn: [String: String] = [
        "acceptanceSurvey": "Acceptance and survey", "acceptanceLink": "Acceptance and satisfaction survey", "acceptanceRound": "Acceptance round",
        "openedOn": "Requested", "surveyAnswered": "Households answered", "surveyNeeded": "Answers still needed", "verdict.satisfied": "Satisfied",
        "verdict.basicallySatisfied": "Basically satisfied", "verdict.dissatisfied": "Dissatisfied", "verdict": "Verdict", "surveyComment": "Comment",
        "saveAnswer": "Save, next household", "acceptanceCheck": "Completion check",
        "recordAcceptanceCheck": "Record the completion check (who took part and signed, the punch list)",
        "checkParticipants": "Took part and signed (one per line)", "punchListLabel": "Punch list (one per line)", "closeSurvey": "Close the survey",
        "surveyResponses": "Answers", "noOpenSurvey": "The survey starts once acceptance is requested.", "earlierRounds": "Earlier rounds", "closedOn": "Closed",
        "surveyResultLabel": "Result", "surveyResult.passed": "Passed", "surveyResult.failed": "Failed: back to rectification",
        "surveyResult.withdrawn": "Withdrawn (works reopened)", "awaitingManagement": "Awaiting management: no company, handed to zoning",
        "publicRenovation": "Renovation projects", "noPublicProjects": "No public renovation projects yet", "publicOpinions": "Opinions collected",
        "publicPublications": "Publications", "publicAcceptance": "Acceptance survey results", "publicPageLink": "Public page",
        "renovationFigures": "Renovation figures", "figureProjects": "Projects (not cancelled)", "figurePassRate": "Survey pass rate",
        "figureReach": "Households visited", "figureByStatus": "By status", "figureByYear": "By year batch", "figureBuilt": "Built",
        "downloadCSV": "Download CSV",
    ]
}
