/// The words of a project's five disclosures (五公开).
extension Strings {
    static let documentsZh: [String: String] = [
        "disclosures": "五公开", "disclosuresLink": "五公开资料", "disclosuresHint": "入户资料、项目手续、招标资料、工程材料、验收清单，项目征求意见起向居民公开。",
        "disclosure.visits": "入户资料公开", "disclosure.approvals": "项目手续公开", "disclosure.tendering": "招标资料公开",
        "disclosure.materials": "工程材料公开", "disclosure.acceptance": "验收清单公开",
        "disclosureWhat.visits": "入户走访记录与居民诉求汇总", "disclosureWhat.approvals": "立项批复、施工许可与方案审批",
        "disclosureWhat.tendering": "施工、设计、监理招标文件与中标结果", "disclosureWhat.materials": "主要材料清单、合格证与检测报告",
        "disclosureWhat.acceptance": "验收清单与验收结论",
        "notYetDisclosed": "尚未公开", "publishDocument": "发布公开资料", "disclosureKind": "公开类别", "documentTitle": "资料名称",
        "documentFile": "文件（PDF 或图片）", "documentFileHint": "PDF、JPEG、PNG 或 WebP，最大 %d MB；纸质公示可拍照上传。",
        "documentPublished": "发布", "withdrawnOn": "已撤下", "withdrawDocument": "撤下", "withdrawReasonLabel": "撤下理由",
        "viewPublicPage": "查看公开页面",
        // The plan's notice (一公示): residents object from the public page.
        "renovationObjection": "对改造方案提出异议", "objectorName": "姓名",
        "renovationObjectionHelp": "方案公示期内可提出异议；请留下姓名和电话，街道将逐条答复后再立项。电话不会公开。",
        "renovationObjectionReceived": "已收到您的异议，街道将在立项前答复。",
        // The district map coloured by renovation.
        "mapColouring": "着色", "colourByManagement": "按物业管理方式", "colourByRenovation": "按改造项目状态",
        "noRenovationProject": "无改造项目", "renovationOnMap": "在地图上查看",
    ]
    static let documentsEn: [String: String] = [
        "disclosures": "Five disclosures", "disclosuresLink": "Five disclosures",
        "disclosuresHint": "Visit records, approvals, tendering, materials and the acceptance list, public from the consultation on.",
        "disclosure.visits": "Household visits", "disclosure.approvals": "Approvals", "disclosure.tendering": "Tendering",
        "disclosure.materials": "Materials", "disclosure.acceptance": "Acceptance list",
        "disclosureWhat.visits": "Visit records and the residents' requests", "disclosureWhat.approvals": "Project approval, building permit, plan sign-off",
        "disclosureWhat.tendering": "Tenders for works, design and supervision, and their results",
        "disclosureWhat.materials": "Main materials, certificates and test reports", "disclosureWhat.acceptance": "The acceptance list and its result",
        "notYetDisclosed": "Not yet published", "publishDocument": "Publish a document", "disclosureKind": "Disclosure", "documentTitle": "Title",
        "documentFile": "File (PDF or image)", "documentFileHint": "PDF, JPEG, PNG or WebP, at most %d MB; a paper notice may be photographed.",
        "documentPublished": "Published", "withdrawnOn": "Withdrawn", "withdrawDocument": "Withdraw", "withdrawReasonLabel": "Reason for withdrawal",
        "viewPublicPage": "Public page",
        "renovationObjection": "Object to the plan", "objectorName": "Your name",
        "renovationObjectionHelp": "While the plan is on notice you may object; leave your name and phone and the street office answers each objection before the project is approved. Your phone is not published.",
        "renovationObjectionReceived": "Your objection was received; the street office will answer it before the project is approved.",
        "mapColouring": "Colour by", "colourByManagement": "Management mode", "colourByRenovation": "Renovation project status",
        "noRenovationProject": "No renovation project", "renovationOnMap": "On the map",
    ]
}
