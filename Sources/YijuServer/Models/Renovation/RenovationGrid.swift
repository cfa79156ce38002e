import Fluent
import Foundation
import YijuCore

/// A renovation grid (改造网格) of one street office. Its members, compounds and projects are
/// rows of their own, because access asks the reverse questions: which grids a user sits on,
/// which grids a project falls in.
final class RenovationGrid: Model, @unchecked Sendable {
    static let schema = "renovation_grids"

    @ID(key: .id) var id: UUID?
    @Field(key: .code) var code: String
    @Field(key: .name) var name: String
    @Parent(key: .streetOfficeID) var streetOffice: StreetOffice
    @Field(key: .updatedBy) var updatedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @Timestamp(key: .updatedAt, on: .update) var updatedAt: Date?

    init() {}
}

/// One seat on a grid, in the roster's order; `user` is set when the member has an account.
final class RenovationGridMember: Model, @unchecked Sendable {
    static let schema = "renovation_grid_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: .gridID) var grid: RenovationGrid
    @Field(key: .position) var position: Int
    @Field(key: .side) var side: GridSide
    @Field(key: .name) var name: String
    @Field(key: .phone) var phone: String
    @OptionalParent(key: .userID) var user: User?

    init() {}
}

/// A compound a grid takes: every project over it is the grid's work. A compound is in one grid.
final class RenovationGridCompound: Model, @unchecked Sendable {
    static let schema = "renovation_grid_compounds"

    @ID(key: .id) var id: UUID?
    @Parent(key: .gridID) var grid: RenovationGrid
    @Parent(key: .compoundID) var compound: Compound

    init() {}
}

/// A project a grid takes by itself (one over compounds of other grids). A project is named by one grid.
final class RenovationGridProject: Model, @unchecked Sendable {
    static let schema = "renovation_grid_projects"

    @ID(key: .id) var id: UUID?
    @Parent(key: .gridID) var grid: RenovationGrid
    @Parent(key: .projectID) var project: RenovationProject

    init() {}
}
