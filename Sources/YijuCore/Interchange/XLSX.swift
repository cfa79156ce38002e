import Foundation

/// A one-sheet .xlsx workbook (Office Open XML) written without dependencies: the parts
/// are stored uncompressed in a ZIP archive, strings are inline, and rows can carry a fill
/// colour — enough for the colour ledger to open in Excel or WPS with its colours.
public struct XLSXSheet: Sendable {
    public enum Fill: Int, Sendable {
        case none = 0, green, yellow, red, header

        var argb: String? {
            switch self {
            case .none: nil
            case .green: "FFC8E6C9"
            case .yellow: "FFFFF59D"
            case .red: "FFFFCDD2"
            case .header: "FFE0E0E0"
            }
        }
    }

    public var name: String
    public var rows: [(fill: Fill, cells: [String])] = []

    public init(name: String) { self.name = name }

    public mutating func append(_ cells: [String], fill: Fill = .none) { rows.append((fill, cells)) }

    public func data() -> Data {
        var zip = StoredZip()
        for (name, text) in Self.parts(sheetName: name) { zip.add(name, text) }
        var sheet = Self.sheetStart
        for (r, row) in rows.enumerated() { sheet += Self.row(r + 1, row.cells, fill: row.fill) }
        zip.add(Self.sheetPart, sheet + Self.sheetEnd)
        return zip.finish()
    }

    /// The workbook's parts but its one sheet, `sheetPart`, which a writer that streams
    /// writes itself: `sheetStart`, then `row` after row, then `sheetEnd`.
    public static func parts(sheetName name: String) -> [(name: String, text: String)] {
        [("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """),
         ("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """),
         ("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(escape(String(name.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """),
         ("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """),
         ("xl/styles.xml", styles())]
    }

    public static let sheetPart = "xl/worksheets/sheet1.xml"
    public static let sheetStart = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
        """
    public static let sheetEnd = "</sheetData></worksheet>"
    /// The most rows a sheet may have in Excel and WPS.
    public static let maxRows = 1_048_576

    /// Row `number` (from 1) of the sheet.
    public static func row(_ number: Int, _ cells: [String], fill: Fill) -> String {
        var xml = "<row r=\"\(number)\">"
        let style = fill == .none ? "" : " s=\"\(fill.rawValue)\""
        for (c, value) in cells.enumerated() {
            xml += "<c r=\"\(column(c))\(number)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(value))</t></is></c>"
        }
        return xml + "</row>"
    }

    /// Fill 0 and 1 are the two the format reserves; ours follow, one cell format per fill.
    private static func styles() -> String {
        let fills = [Fill.green, .yellow, .red, .header]
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="\(2 + fills.count)"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
            """
        for fill in fills { xml += "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"\(fill.argb!)\"/><bgColor indexed=\"64\"/></patternFill></fill>" }
        xml += "</fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"\(1 + fills.count)\"><xf/>"
        for (i, fill) in fills.enumerated() {
            xml += "<xf fillId=\"\(2 + i)\" fontId=\"\(fill == .header ? 1 : 0)\" applyFill=\"1\"\(fill == .header ? " applyFont=\"1\"" : "")/>"
        }
        return xml + "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>"
    }

    /// A, B, … Z, AA, AB …
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(65 + r)!) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// XML text: the five escapes, and control characters XML 1.0 cannot carry dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// A ZIP archive of stored (uncompressed) entries with UTF-8 names.
struct StoredZip {
    private var body = Data()
    private var directory = Data()
    private var count = 0

    mutating func add(_ name: String, _ text: String) {
        let content = Data(text.utf8), nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(content)
        let offset = UInt32(body.count)
        // Local header: version 2.0, UTF-8 names, stored, 1980-01-01 00:00.
        body.append(le32: 0x0403_4B50); body.append(le16: 20); body.append(le16: 0x0800); body.append(le16: 0)
        body.append(le16: 0); body.append(le16: 0x21); body.append(le32: crc)
        body.append(le32: UInt32(content.count)); body.append(le32: UInt32(content.count))
        body.append(le16: UInt16(nameBytes.count)); body.append(le16: 0)
        body.append(nameBytes); body.append(content)
        directory.append(le32: 0x0201_4B50); directory.append(le16: 20); directory.append(le16: 20); directory.append(le16: 0x0800)
        directory.append(le16: 0); directory.append(le16: 0); directory.append(le16: 0x21); directory.append(le32: crc)
        directory.append(le32: UInt32(content.count)); directory.append(le32: UInt32(content.count))
        directory.append(le16: UInt16(nameBytes.count)); directory.append(le16: 0); directory.append(le16: 0)
        directory.append(le16: 0); directory.append(le16: 0); directory.append(le32: 0); directory.append(le32: offset)
        directory.append(nameBytes)
        count += 1
    }

    func finish() -> Data {
        var out = body
        out.append(directory)
        out.append(le32: 0x0605_4B50); out.append(le16: 0); out.append(le16: 0)
        out.append(le16: UInt16(count)); out.append(le16: UInt16(count))
        out.append(le32: UInt32(directory.count)); out.append(le32: UInt32(body.count)); out.append(le16: 0)
        return out
    }
}

enum CRC32 {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    mutating func append(le16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(le32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}
