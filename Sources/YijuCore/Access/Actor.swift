import Foundation

/// Who is acting: the logged-in user reduced to what authorisation needs.
public struct Actor: Sendable, Hashable {
    public var userID: UUID
    public var username: String
    public var role: Role
    public var streetOfficeID: UUID?
    public var departmentID: UUID?
    public var companyID: UUID?

    public init(userID: UUID, username: String, role: Role,
                streetOfficeID: UUID? = nil, departmentID: UUID? = nil, companyID: UUID? = nil) {
        self.userID = userID
        self.username = username
        self.role = role
        self.streetOfficeID = streetOfficeID
        self.departmentID = departmentID
        self.companyID = companyID
    }
}
