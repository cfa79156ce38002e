import Foundation

/// Who speaks for a compound's residents (居民自治): its owners' committee (业委会) or, where
/// the owners have not elected one, the property management committee (物管会) the street
/// office forms; and its yard heads, building heads and residents' representatives
/// (楼院长、楼栋长、居民代表), whom renovation asks first and acceptance has sign.
public struct CompoundGovernance: Codable, Sendable, Equatable {
    public var body: GovernanceBody?
    public var representatives: [Representative]

    public init(body: GovernanceBody?, representatives: [Representative]) {
        self.body = body
        self.representatives = representatives
    }

    public static let empty = CompoundGovernance(body: nil, representatives: [])

    /// The representatives in one role, in the order recorded.
    public func representatives(_ role: RepresentativeRole) -> [Representative] {
        representatives.filter { $0.role == role }
    }

    /// The same people with their phones masked (138****1234), for those who may not call them.
    public var withMaskedPhones: CompoundGovernance {
        var out = self
        if var body = out.body {
            for i in body.members.indices { body.members[i].phone = CasePolicy.mask(body.members[i].phone) }
            out.body = body
        }
        for i in out.representatives.indices { out.representatives[i].phone = CasePolicy.mask(out.representatives[i].phone) }
        return out
    }
}

public enum GovernanceBodyKind: String, Codable, Sendable, CaseIterable {
    /// 业主委员会: elected by the owners' assembly.
    case ownersCommittee
    /// 物业管理委员会: formed by the street office where no owners' committee is elected.
    case managementCommittee
}

public enum GovernancePosition: String, Codable, Sendable, CaseIterable {
    /// 主任
    case director
    /// 副主任
    case deputyDirector
    /// 委员
    case member
}

public enum RepresentativeRole: String, Codable, Sendable, CaseIterable {
    /// 楼院长: the head of a yard (a group of buildings).
    case yardHead
    /// 楼栋长: the head of one building.
    case buildingHead
    /// 居民代表
    case residentRepresentative
}

public struct GovernanceBody: Codable, Sendable, Equatable {
    public var kind: GovernanceBodyKind
    /// The term, `yyyy-MM-dd` both ends.
    public var termStart: String
    public var termEnd: String
    public var members: [Member]

    public init(kind: GovernanceBodyKind, termStart: String, termEnd: String, members: [Member]) {
        self.kind = kind
        self.termStart = termStart
        self.termEnd = termEnd
        self.members = members
    }

    public struct Member: Codable, Sendable, Equatable {
        public var position: GovernancePosition
        public var name: String
        public var phone: String
        /// The building the member lives in, when given.
        public var building: Int?

        public init(position: GovernancePosition, name: String, phone: String, building: Int? = nil) {
            self.position = position
            self.name = name
            self.phone = phone
            self.building = building
        }
    }

    public var director: Member? { members.first { $0.position == .director } }

    /// Whether the term covers `day` (`yyyy-MM-dd`).
    public func inTerm(on day: String) -> Bool { termStart <= day && day <= termEnd }
}

public struct Representative: Codable, Sendable, Equatable {
    public var role: RepresentativeRole
    public var name: String
    public var phone: String
    /// A building head's building; optional for the others.
    public var building: Int?

    public init(role: RepresentativeRole, name: String, phone: String, building: Int? = nil) {
        self.role = role
        self.name = name
        self.phone = phone
        self.building = building
    }
}

/// The rules a compound's governance is checked by.
public enum GovernanceRules {
    /// 业主大会和业主委员会指导规则 (住建部, 2009) art. 31: five to eleven members, an odd number.
    public static let ownersCommitteeSize = 5...11
    /// A management committee is smaller where the compound is small, and odd so a vote decides.
    public static let managementCommitteeSize = 3...11
    /// The guidance caps a term at five years.
    public static let maxTermYears = 5
    public static let maxRepresentatives = 200
    public static let maxNameLength = 20

    /// The digits of a phone as people write it (spaces, dashes, a +86 dropped), or nil when
    /// what remains is not a 7- to 12-digit number.
    public static func phone(_ written: String) -> String? {
        var digits = written.filter { !" -()（）".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) }
        guard (7...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    /// A person's name trimmed, or an error on `field` when it is empty or too long: the same
    /// for a committee, a representative and a grid's member.
    public static func checkedName(_ value: String, field: String, _ errors: inout [FieldError]) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...maxNameLength).contains(trimmed.count) {
            errors.append(FieldError(field: field, reason: trimmed.isEmpty ? "is required" : "must be at most \(maxNameLength) characters"))
        }
        return trimmed
    }

    /// A phone's digits, or the value as written and an error on `field` when it is not one.
    public static func checkedPhone(_ value: String, field: String, _ errors: inout [FieldError]) -> String {
        guard let digits = phone(value) else {
            errors.append(FieldError(field: field, reason: "is not a phone number (7 to 12 digits)"))
            return value
        }
        return digits
    }

    /// The governance with its names trimmed and phones reduced to digits, or every field
    /// that is wrong with it. `buildings` is the compound's count, for the building numbers.
    public static func checked(_ g: CompoundGovernance, buildings: Int) throws -> CompoundGovernance {
        var errors: [FieldError] = []
        var out = g
        func name(_ value: String, _ field: String) -> String { checkedName(value, field: field, &errors) }
        func phoneDigits(_ value: String, _ field: String) -> String { checkedPhone(value, field: field, &errors) }
        func building(_ value: Int?, _ field: String) {
            if let value, !(1...max(1, buildings)).contains(value) {
                errors.append(FieldError(field: field, reason: "the compound has buildings 1 to \(buildings)"))
            }
        }
        if let body = g.body {
            let calendar = Calendar.shanghai
            let start = calendar.isDay(body.termStart) ? calendar.start(of: body.termStart) : nil
            let end = calendar.isDay(body.termEnd) ? calendar.start(of: body.termEnd) : nil
            if start == nil { errors.append(FieldError(field: "body.termStart", reason: "must be a date, yyyy-MM-dd")) }
            if end == nil { errors.append(FieldError(field: "body.termEnd", reason: "must be a date, yyyy-MM-dd")) }
            if let start, let end {
                if end <= start {
                    errors.append(FieldError(field: "body.termEnd", reason: "must be after the term's start"))
                } else if let limit = calendar.date(byAdding: .year, value: maxTermYears, to: start), end > limit {
                    errors.append(FieldError(field: "body.termEnd", reason: "a term is at most \(maxTermYears) years"))
                }
            }
            let size = body.kind == .ownersCommittee ? ownersCommitteeSize : managementCommitteeSize
            if !size.contains(body.members.count) || body.members.count % 2 == 0 {
                let what = body.kind == .ownersCommittee ? "an owners' committee" : "a management committee"
                errors.append(FieldError(field: "body.members", reason: "\(what) has \(size.lowerBound) to \(size.upperBound) members, an odd number; \(body.members.count) given"))
            }
            let directors = body.members.filter { $0.position == .director }.count
            if directors != 1 {
                errors.append(FieldError(field: "body.members", reason: "has exactly one director (主任); \(directors) given"))
            }
            for (i, m) in body.members.enumerated() {
                out.body?.members[i].name = name(m.name, "body.members[\(i)].name")
                out.body?.members[i].phone = phoneDigits(m.phone, "body.members[\(i)].phone")
                building(m.building, "body.members[\(i)].building")
            }
        }
        if g.representatives.count > maxRepresentatives {
            errors.append(FieldError(field: "representatives", reason: "at most \(maxRepresentatives)"))
        }
        var heads = Set<Int>()
        for (i, r) in g.representatives.enumerated() {
            out.representatives[i].name = name(r.name, "representatives[\(i)].name")
            out.representatives[i].phone = phoneDigits(r.phone, "representatives[\(i)].phone")
            building(r.building, "representatives[\(i)].building")
            if r.role == .buildingHead {
                if let b = r.building {
                    if !heads.insert(b).inserted {
                        errors.append(FieldError(field: "representatives[\(i)].building", reason: "building \(b) already has a building head"))
                    }
                } else {
                    errors.append(FieldError(field: "representatives[\(i)].building", reason: "a building head names the building"))
                }
            }
        }
        guard errors.isEmpty else { throw DomainError.validation(errors) }
        return out
    }
}
