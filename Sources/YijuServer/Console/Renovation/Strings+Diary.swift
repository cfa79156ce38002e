/// The words of a project's site diary (施工日志, 文明施工).
extension Strings {
    static let diaryZh: [String: String] = [
        "siteDiary": "施工日志", "diaryLink": "施工日志与现场检查（文明施工）", "builder": "施工单位", "worksStarted": "开工日期",
        "diaryDays": "已记天数", "daysWithFindings": "未达标天数", "siteRules": "文明施工标准", "noDiaryYet": "尚无施工日志。",
        "writeDiary": "填写施工日志", "weather": "天气", "workDone": "当日施工内容", "workers": "作业人数", "siteMachines": "机械设备",
        "siteMachinesHint": "用逗号或顿号分隔，如：挖掘机、混凝土泵车", "noiseReadings": "噪声监测", "noiseHint": "每行一次：时间 分贝 位置，如 09:30 62 3号楼东侧",
        "dustSuppressed": "已落实扬尘防治（洒水、苫盖）", "wasteCleared": "建筑垃圾当日清运", "incidents": "突发情况", "incidentsHint": "每行一件，无则不填",
        "diaryFindings": "未达标", "diaryPassed": "文明施工达标", "noiseOver": "噪声超标", "dustFinding": "未落实扬尘防治", "wasteFinding": "建筑垃圾未当日清运",
        "limitDay": "昼间限值", "limitNight": "夜间限值", "limitOf": "限值", "nightHours": "夜间", "quietPeriods": "特殊时段",
        "diaryClosedHint": "当日日志当天内可修改，之后不可更改；漏记的日期可以补记。", "diaryReadOnly": "施工日志由施工单位填写。",
        "diaryNotOpen": "项目施工期间由施工单位填写施工日志。", "rewriteToday": "修改今日日志",
        "contractorRecord": "施工记录（不计入物业信用）", "recordInspections": "现场检查次数", "recordFailedItems": "不合格项",
        "recordOpenOrders": "待整改通知", "recordOverdueOrders": "逾期未整改", "recordAwaiting": "已报整改待复查", "recordNotRectified": "复查未整改",
        "recordDiary": "施工日志未达标天数 / 已记天数", "recordCases": "施工期间受理诉求", "recordOpenCases": "办理中", "recordOverdueCases": "超期",
    ]
    static let diaryEn: [String: String] = [
        "siteDiary": "Site diary", "diaryLink": "Site diary and inspections (civilised construction)", "builder": "Builder", "worksStarted": "Works started",
        "diaryDays": "Days recorded", "daysWithFindings": "Days with findings", "siteRules": "Site rules", "noDiaryYet": "No diary days yet.",
        "writeDiary": "Write the diary", "weather": "Weather", "workDone": "Work done", "workers": "Workers", "siteMachines": "Machines",
        "siteMachinesHint": "Separated by commas, e.g. excavator, concrete pump", "noiseReadings": "Noise readings",
        "noiseHint": "One per line: time, dB, place, e.g. 09:30 62 east of building 3",
        "dustSuppressed": "Dust suppressed (wetting, covers)", "wasteCleared": "Construction waste cleared today", "incidents": "Incidents",
        "incidentsHint": "One per line; leave empty if none",
        "diaryFindings": "Findings", "diaryPassed": "All checks passed", "noiseOver": "Noise over the limit", "dustFinding": "Dust not suppressed",
        "wasteFinding": "Construction waste not cleared today",
        "limitDay": "Day limit", "limitNight": "Night limit", "limitOf": "limit", "nightHours": "Night", "quietPeriods": "Quiet periods",
        "diaryClosedHint": "Today's day may be rewritten until midnight, not after; a missed day may still be filled in.",
        "diaryReadOnly": "The builder keeps the site diary.", "diaryNotOpen": "The builder keeps the site diary while the works are on.",
        "rewriteToday": "Rewrite today's day",
        "contractorRecord": "Site record (apart from property credit)", "recordInspections": "Site inspections", "recordFailedItems": "Failed items",
        "recordOpenOrders": "Open orders", "recordOverdueOrders": "Overdue orders", "recordAwaiting": "Reported, awaiting verification",
        "recordNotRectified": "Verified not rectified", "recordDiary": "Diary days with findings / days recorded",
        "recordCases": "Cases routed during works", "recordOpenCases": "Open", "recordOverdueCases": "Overdue",
    ]
}
