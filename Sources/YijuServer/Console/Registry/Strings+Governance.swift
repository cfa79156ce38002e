/// The words of a compound's governance (居民自治).
extension Strings {
    static let governanceZh: [String: String] = [
        "governance": "居民自治组织", "governanceBody": "业主组织", "noGovernanceBody": "未成立",
        "governanceKind.ownersCommittee": "业主委员会", "governanceKind.managementCommittee": "物业管理委员会",
        "governanceTerm": "任期", "termOver": "已到期", "governanceUpdated": "最近更新", "buildingSuffix": "号楼",
        "position.director": "主任", "position.deputyDirector": "副主任", "position.member": "委员",
        "formWord.director": "主任", "formWord.deputyDirector": "副主任", "formWord.member": "委员",
        "formWord.yardHead": "楼院长", "formWord.buildingHead": "楼栋长", "formWord.residentRepresentative": "居民代表",
        "representative.yardHead": "楼院长", "representative.buildingHead": "楼栋长", "representative.residentRepresentative": "居民代表",
        "phonesMaskedHint": "电话已隐去中间四位；街道和住建局可见完整号码。", "governanceMembers": "组成人员", "governancePosition": "职务",
        "personName": "姓名", "governanceBuilding": "楼号", "representatives": "楼院长、楼栋长和居民代表", "representativeRole": "身份",
        "noRepresentatives": "尚未登记。", "editGovernance": "编辑居民自治组织", "termStart": "任期开始", "termEnd": "任期结束",
        "membersHint": "每行一人：职务 姓名 电话 楼号，如 主任 张建国 13804510001 3号楼",
        "representativesHint": "每行一人：身份 姓名 电话 楼号，如 楼栋长 王强 13604513333 2号楼",
        "governanceRulesHint": "业主委员会 5–11 人、物业管理委员会 3–11 人，均为单数，设主任一名；任期不超过五年。楼栋长须写明楼号，每栋一名。",
    ]
    static let governanceEn: [String: String] = [
        "governance": "Residents' bodies", "governanceBody": "Committee", "noGovernanceBody": "None",
        "governanceKind.ownersCommittee": "Owners' committee", "governanceKind.managementCommittee": "Property management committee",
        "governanceTerm": "Term", "termOver": "ended", "governanceUpdated": "Last updated", "buildingSuffix": "",
        "position.director": "Director", "position.deputyDirector": "Deputy director", "position.member": "Member",
        // The words a form's line starts with: one word each, as GovernancePage reads them.
        "formWord.director": "director", "formWord.deputyDirector": "deputy", "formWord.member": "member",
        "formWord.yardHead": "yardhead", "formWord.buildingHead": "buildinghead", "formWord.residentRepresentative": "representative",
        "representative.yardHead": "Yard head", "representative.buildingHead": "Building head", "representative.residentRepresentative": "Residents' representative",
        "phonesMaskedHint": "Phones are masked; the street office and the bureau see them whole.", "governanceMembers": "Members",
        "governancePosition": "Position", "personName": "Name", "governanceBuilding": "Building",
        "representatives": "Yard heads, building heads and representatives", "representativeRole": "Role",
        "noRepresentatives": "None recorded.", "editGovernance": "Edit the residents' bodies", "termStart": "Term starts", "termEnd": "Term ends",
        "membersHint": "One per line: position, name, phone, building, e.g. director 张建国 13804510001 3",
        "representativesHint": "One per line: role, name, phone, building, e.g. buildinghead 王强 13604513333 2",
        "governanceRulesHint": "An owners' committee has 5–11 members, a management committee 3–11, an odd number with one director; a term lasts at most five years. A building head names the building, one per building.",
    ]
}
