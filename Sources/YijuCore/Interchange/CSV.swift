import Foundation

/// RFC 4180 CSV, as Excel and WPS write it: optional UTF-8 BOM, CRLF or LF line ends,
/// quoted fields with doubled quotes, newlines inside quotes.
public enum CSV {
    public struct Record: Sendable, Equatable {
        /// 1-based physical line on which the record starts.
        public var line: Int
        public var fields: [String]
    }

    public static func parse(_ text: String) throws(DomainError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var quoteOpenedOnLine = 1
        var chars = Substring(text)
        if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
        var iterator = chars.makeIterator()
        var pending: Character? = nil
        var fieldWasQuoted = false

        func endRecord() {
            fields.append(field)
            // A blank line is not a record (Excel leaves one at the end).
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" || c == "\r" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteOpenedOnLine = line
                } else {
                    throw DomainError(.badRequest, code: "csv_malformed",
                                      message: "line \(line): a quote inside an unquoted field; quote the whole field and double the quote",
                                      fields: [FieldError(field: "file", reason: "stray quote", line: line)])
                }
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(c)
            }
        }
        if inQuotes {
            throw DomainError(.badRequest, code: "csv_malformed",
                              message: "line \(quoteOpenedOnLine): a quoted field is never closed",
                              fields: [FieldError(field: "file", reason: "unterminated quote", line: quoteOpenedOnLine)])
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// One CSV line, quoting only where needed. Leading =, +, -, @ are prefixed with an
    /// apostrophe so a spreadsheet never runs a cell as a formula (CSV injection).
    public static func line(_ values: [String]) -> String {
        values.map(escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+@".contains(first) || (first == "-" && Double(value) == nil) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
