/// The words of renovation grids (改造网格).
extension Strings {
    static let gridsZh: [String: String] = [
        "renovationGrids": "改造网格", "newRenovationGrid": "划分网格", "noGrids": "尚未划分网格。",
        "gridsHint": "每个网格包含若干小区（其上的改造项目都归本网格）或单独的项目，由街道、社区、企业、业委会和居民代表组成；有账号的成员可查看本网格的项目并登记走访、议事和意见。",
        "gridMembers": "网格成员", "gridSide": "方面", "gridAccount": "账号", "gridCompounds": "包含小区", "noGridCompounds": "不按小区划分。",
        "gridProjects": "单独纳入的项目", "gridWork": "网格内的改造项目", "editGrid": "编辑网格", "gridUpdated": "最近更新",
        "gridPhonesMaskedHint": "电话已隐去中间四位；本街道和住建局可见完整号码。",
        "gridMembersHint": "每行一人：方面 姓名 电话 @账号（可省），如 街道 李明 13804510001 @qizheng；方面为 街道、社区、企业、业委会、居民代表。居民代表和业委会成员不设账号。",
        "gridSide.streetOffice": "街道", "gridSide.community": "社区", "gridSide.company": "企业",
        "gridSide.ownersCommittee": "业委会 / 物管会", "gridSide.residents": "居民代表",
        "gridWord.streetOffice": "街道", "gridWord.community": "社区", "gridWord.company": "企业",
        "gridWord.ownersCommittee": "业委会", "gridWord.residents": "居民代表",
    ]
    static let gridsEn: [String: String] = [
        "renovationGrids": "Renovation grids", "newRenovationGrid": "Draw a grid", "noGrids": "No grids drawn yet.",
        "gridsHint": "A grid takes compounds (every renovation project over them is its work) or single projects; its members come from the street office, the community, the companies, the owners' committee and the residents. Members with an account see the grid's projects and record visits, meetings and opinions.",
        "gridMembers": "Members", "gridSide": "Side", "gridAccount": "Account", "gridCompounds": "Compounds", "noGridCompounds": "Not drawn by compound.",
        "gridProjects": "Projects taken by themselves", "gridWork": "The grid's projects", "editGrid": "Edit the grid", "gridUpdated": "Last updated",
        "gridPhonesMaskedHint": "Phones are masked; the street office and the bureau see them whole.",
        "gridMembersHint": "One member a line: side, name, phone and an optional @account, like streetoffice LiMing 13804510001 @qizheng; sides are streetoffice, community, company, committee, residents. Residents and committee members sit without an account.",
        "gridSide.streetOffice": "Street office", "gridSide.community": "Community", "gridSide.company": "Company",
        "gridSide.ownersCommittee": "Owners' committee", "gridSide.residents": "Residents' representatives",
        // The words a roster line starts with: one word each, as GridPage reads them.
        "gridWord.streetOffice": "streetoffice", "gridWord.community": "community", "gridWord.company": "company",
        "gridWord.ownersCommittee": "committee", "gridWord.residents": "residents",
    ]
}
