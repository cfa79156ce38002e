import Foundation

/// What an actor's lists are narrowed to. Policy decides an actor's scope for each kind of
/// record; the server only applies it to its queries.
public enum Scope: Sendable, Hashable {
    /// Everything in the district.
    case district
    /// What belongs to one street office (属地).
    case streetOffice(UUID)
    /// What one company manages or handles.
    case company(UUID)
    /// What one department handles.
    case department(UUID)
    /// Nothing: the role has no business with these records.
    case nothing
}
