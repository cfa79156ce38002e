import Fluent
import FluentSQLiteDriver
import Foundation

/// A value of a row written as plain SQL, typed, so that each driver is handed it the way
/// Fluent stores it without going through `Encodable` (SQLKit's encoding and serialising of
/// some 37 columns × a group's cases and events was a fifth of intake's writer thread).
enum RowValue: Sendable, Equatable {
    // Each kind keeps its own nil: PostgreSQL wants a NULL of the column's type.
    case text(String?)
    case integer(Int?)
    case bool(Bool?)
    case uuid(UUID?)
    case date(Date?)

    enum Kind: Sendable, Equatable {
        case text, integer, bool, uuid, date
    }

    var kind: Kind {
        switch self {
        case .text: .text
        case .integer: .integer
        case .bool: .bool
        case .uuid: .uuid
        case .date: .date
        }
    }

    var isNull: Bool {
        switch self {
        case .text(nil), .integer(nil), .bool(nil), .uuid(nil), .date(nil): true
        default: false
        }
    }

    /// As SQLite-kit stores it: UUIDs as their text, dates as seconds since 1970, booleans as 0 or 1.
    var sqlite: SQLiteData {
        switch self {
        case .text(let text): text.map { .text($0) } ?? .null
        case .integer(let integer): integer.map { .integer($0) } ?? .null
        case .bool(let bool): bool.map { .integer($0 ? 1 : 0) } ?? .null
        case .uuid(let uuid): uuid.map { .text($0.uuidString) } ?? .null
        case .date(let date): date.map { .float($0.timeIntervalSince1970) } ?? .null
        }
    }

    /// For the other drivers, through SQLKit, as Fluent hands them the same Swift values.
    var encodable: any Encodable & Sendable {
        switch self {
        case .text(let text): text
        case .integer(let integer): integer
        case .bool(let bool): bool
        case .uuid(let uuid): uuid
        case .date(let date): date
        }
    }
}

/// A Swift type a row column holds: which kind of column, and the value as written.
protocol RowValueConvertible: Sendable {
    static var rowKind: RowValue.Kind { get }
    var rowValue: RowValue { get }
}

extension String: RowValueConvertible {
    static var rowKind: RowValue.Kind { .text }
    var rowValue: RowValue { .text(self) }
}

extension Int: RowValueConvertible {
    static var rowKind: RowValue.Kind { .integer }
    var rowValue: RowValue { .integer(self) }
}

extension Bool: RowValueConvertible {
    static var rowKind: RowValue.Kind { .bool }
    var rowValue: RowValue { .bool(self) }
}

extension UUID: RowValueConvertible {
    static var rowKind: RowValue.Kind { .uuid }
    var rowValue: RowValue { .uuid(self) }
}

extension Date: RowValueConvertible {
    static var rowKind: RowValue.Kind { .date }
    var rowValue: RowValue { .date(self) }
}

extension Optional: RowValueConvertible where Wrapped: RowValueConvertible {
    static var rowKind: RowValue.Kind { Wrapped.rowKind }

    var rowValue: RowValue {
        if let self { return self.rowValue }
        return switch Wrapped.rowKind {
        case .text: .text(nil)
        case .integer: .integer(nil)
        case .bool: .bool(nil)
        case .uuid: .uuid(nil)
        case .date: .date(nil)
        }
    }
}

/// An enum stored as its raw text, as Fluent stores a `Codable` string enum.
protocol RawTextColumn: RowValueConvertible, RawRepresentable where RawValue == String {}

extension RawTextColumn {
    static var rowKind: RowValue.Kind { .text }
    var rowValue: RowValue { .text(rawValue) }
}

/// One column of a table that is written as plain rows (`Row`, values, not a Fluent model)
/// and answered as its `Model`: which of the model's properties it is (and so its key), the
/// kind of its values, how a row gives its value and how the model takes it. A table is a
/// list of these; the writers, their column lists and the answer's model come from it, and
/// `SchemaTests` checks that it holds every field of the model and of the live schema.
struct RowColumn<Row, Model: Fluent.Model>: Sendable {
    let key: FieldKey
    let kind: RowValue.Kind
    let value: @Sendable (Row) -> RowValue
    let assign: @Sendable (Row, Model) -> Void

    var name: String { key.description }

    /// A row's value into the model's property (`\.$name`; a parent's `\.$parent.$id`). The
    /// property, not the wrapped value: setting that reads it first, which Fluent refuses
    /// before a value is there.
    init<P: QueryableProperty & AnyObject & SendableMetatype>(_ row: KeyPath<Row, P.Value> & Sendable, _ property: KeyPath<Model, P> & Sendable)
    where P.Value: RowValueConvertible {
        key = Self.key(property)
        kind = P.Value.rowKind
        value = { $0[keyPath: row].rowValue }
        assign = { $1[keyPath: property].value = $0[keyPath: row] }
    }

    /// A row's value into a property that is optional only to Fluent (a timestamp).
    init<P: QueryableProperty & AnyObject & SendableMetatype, V: RowValueConvertible>(_ row: KeyPath<Row, V> & Sendable, _ property: KeyPath<Model, P> & Sendable)
    where P.Value == V? {
        key = Self.key(property)
        kind = V.rowKind
        value = { $0[keyPath: row].rowValue }
        assign = { $1[keyPath: property].value = .some($0[keyPath: row]) }
    }

    /// A column every new row has the same value in: what a new case does not have yet.
    init<P: QueryableProperty & AnyObject & SendableMetatype>(always constant: P.Value, _ property: KeyPath<Model, P> & Sendable)
    where P.Value: RowValueConvertible {
        key = Self.key(property)
        kind = P.Value.rowKind
        let written = constant.rowValue
        value = { _ in written }
        assign = { $1[keyPath: property].value = constant }
    }

    /// The column a model property is stored in, as the model declares it.
    private static func key<P: QueryableProperty>(_ property: KeyPath<Model, P>) -> FieldKey {
        let path = Model()[keyPath: property].path
        precondition(path.count == 1, "\(Model.self): a row column is one field, not \(path)")
        return path[0]
    }
}

extension Array {
    /// The columns' names, in order.
    func names<Row, Model>() -> [String] where Element == RowColumn<Row, Model> { map(\.name) }

    /// A row's values, in the columns' order.
    func values<Row, Model>(of row: Row) -> [RowValue] where Element == RowColumn<Row, Model> { map { $0.value(row) } }

    /// A model made from a row: every column assigned.
    func model<Row, Model>(of row: Row) -> Model where Element == RowColumn<Row, Model> {
        let model = Model()
        for column in self { column.assign(row, model) }
        return model
    }

    func without<Row, Model>(_ key: FieldKey) -> [RowColumn<Row, Model>] where Element == RowColumn<Row, Model> {
        filter { $0.key != key }
    }
}
