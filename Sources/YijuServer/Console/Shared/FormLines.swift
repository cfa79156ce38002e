import YijuCore

/// A textarea that holds one record a line (a committee's members, a grid's roster), as an
/// officer copies them from a notice. The rules name a record by its index (`members[2].phone`);
/// the officer sees the line it came from.
enum FormLines {
    /// A text field's non-empty lines, trimmed, with their 1-based numbers as the officer sees them.
    static func lines(_ text: String?) -> [(number: Int, text: String)] {
        (text ?? "").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { ($0 + 1, $1.trimmingCharacters(in: .whitespaces)) }.filter { !$0.1.isEmpty }
    }

    /// The rules' errors on the form's terms: an error on `prefix` + index + `]` becomes an
    /// error on the textarea `key` at the line that holds that record; others pass unchanged.
    static func errors(_ errors: [FieldError], _ fields: [(prefix: String, key: String, text: String?)]) -> [FieldError] {
        let numbers = fields.map { lines($0.text).map(\.number) }
        return errors.map { e in
            for (field, lineNumbers) in zip(fields, numbers) {
                guard e.field.hasPrefix(field.prefix), let close = e.field.firstIndex(of: "]"),
                      let index = Int(e.field[e.field.index(e.field.startIndex, offsetBy: field.prefix.count)..<close]),
                      index < lineNumbers.count else { continue }
                let part = e.field[e.field.index(after: close)...].drop { $0 == "." }
                return FieldError(field: field.key, reason: "\(part): \(e.reason)", line: lineNumbers[index])
            }
            return e
        }
    }
}
