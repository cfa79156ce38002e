import Fluent
import Foundation
import NIOCore
import YijuCore

/// The colour ledger for spreadsheets: one row per case the actor may see, phones masked.
/// As CSV (with a BOM, so Excel reads the Chinese as UTF-8) or as a compressed .xlsx with
/// each row in its colour.
///
/// Either is written as it is read: `stream` is a sequence of chunks that reads the next
/// page of cases only when the client has taken the last chunk, so the first bytes leave
/// at once, memory stays at a page whatever the ledger's size, and a client that goes away
/// stops the reading.
struct CaseLedgerExport: Sendable {
    enum FileType: Sendable { case csv, xlsx }

    let service: CaseService
    let filter: CaseService.Filter
    let language: Language
    let format: FileType
    /// Cases read at a time: a page's rows are what the export holds.
    var pageSize = 1000
    static let header = ["number", "colour", "channel", "externalNumber", "received", "street", "compound", "building", "unit",
                         "domain", "description", "handler", "state", "due", "replied", "satisfaction", "closed",
                         "repeatCount", "reopenCount", "overdue", "escalated", "reporter", "phone"]

    /// Refuses before the first byte what the format cannot hold (a sheet has at most
    /// 1,048,576 rows, the header among them), and puts the export on the audit log: it
    /// carries residents' names.
    func checked() async throws -> Self {
        let count = try await service.ledgerCount(filter)
        if format == .xlsx, count >= XLSXSheet.maxRows {
            throw DomainError.validation([FieldError(field: "format", reason: "\(count) cases are more than a worksheet's \(XLSXSheet.maxRows - 1) rows; narrow the filter or export CSV")])
        }
        try await AuditLog.record(on: service.db, actor: service.actor, action: .export, entityType: "caseLedger", entityID: nil, after: [
            "format": format == .xlsx ? "xlsx" : "csv", "cases": String(count), "filter": Self.describe(filter),
        ], at: service.now)
        return self
    }

    /// The filter as the audit log shows it: the conditions set, in a fixed order.
    static func describe(_ f: CaseService.Filter) -> String {
        var parts: [String] = []
        if let v = f.colour { parts.append("colour=\(v.rawValue)") }
        if let v = f.state { parts.append("state=\(v.rawValue)") }
        if let v = f.domain { parts.append("domain=\(v.rawValue)") }
        if let v = f.open { parts.append("open=\(v)") }
        if let v = f.from { parts.append("from=\(CaseService.iso(v))") }
        if let v = f.to { parts.append("to=\(CaseService.iso(v))") }
        return parts.isEmpty ? "all" : parts.joined(separator: " ")
    }

    /// A row. The phone is always masked; the reporter's name is shown to those who may
    /// reveal the case's number (CasePolicy) and masked for everyone else who sees the case.
    static func cells(_ c: CaseLedgerRow, language: Language, actor: Actor?) -> [String] {
        let named = actor.map { CasePolicy.mayRevealPhone($0, c.scope) } ?? false
        let reporter = named ? c.reporterName : CasePolicy.maskName(c.reporterName)
        return [
            c.number, language.label(c.colour), language.label(c.channel), c.externalNumber ?? "", Format.dateTime(c.receivedAt),
            c.streetOfficeName, "\(c.compoundCode) \(c.compoundName)", c.building ?? "", c.unit ?? "", language.label(c.domain),
            c.description, c.handlerCompanyName ?? c.handlerDepartmentName ?? (c.handlerKind == .streetOffice ? c.streetOfficeName : ""),
            language.label(c.state), c.dueAt.map(Format.dateTime) ?? "", c.repliedAt.map(Format.dateTime) ?? "",
            c.satisfaction.map { language.label($0) } ?? "", c.closedAt.map(Format.dateTime) ?? "", "\(c.repeatCount)", "\(c.reopenCount)",
            c.overdueAt == nil ? "" : "yes", c.escalatedAt == nil ? "" : "yes", reporter, CasePolicy.mask(c.reporterPhone),
        ]
    }

    static func fill(_ colour: CaseColour) -> XLSXSheet.Fill {
        colour == .green ? .green : colour == .yellow ? .yellow : .red
    }

    /// The whole export at once, for tests and small callers.
    func data() async throws -> Data {
        var out = Data()
        for try await chunk in stream { out.append(contentsOf: chunk) }
        return out
    }

    var stream: Chunks { Chunks(export: self) }

    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ArraySlice<UInt8>
        let export: CaseLedgerExport

        func makeAsyncIterator() -> Iterator { Iterator(export: export) }
    }

    /// Reads a page of cases each time the last one's bytes were taken.
    final class Iterator: AsyncIteratorProtocol {
        private enum Stage { case start, rows, finish, done }
        private let export: CaseLedgerExport
        private let encoder: any LedgerEncoder
        private var stage = Stage.start
        /// The last case read.
        private var cursor: UUID?

        init(export: CaseLedgerExport) {
            self.export = export
            encoder = export.format == .csv ? CSVLedgerEncoder() : XLSXLedgerEncoder(sheetName: export.language == .zh ? "三色台账" : "Colour ledger")
        }

        func next() async throws -> ArraySlice<UInt8>? {
            while true {
                try Task.checkCancellation()
                let bytes: [UInt8]
                switch stage {
                case .start:
                    stage = .rows
                    bytes = try encoder.start(header: CaseLedgerExport.header)
                case .rows:
                    let page = try await export.service.ledgerPage(export.filter, after: cursor, limit: export.pageSize)
                    if page.count < export.pageSize { stage = .finish }
                    if let last = page.last { cursor = last.id }
                    bytes = try encoder.rows(page.map { (CaseLedgerExport.fill($0.colour), CaseLedgerExport.cells($0, language: export.language, actor: export.service.actor)) })
                case .finish:
                    stage = .done
                    bytes = try encoder.finish()
                case .done:
                    return nil
                }
                // The compressor may keep a page's bytes back; ask for the next page then.
                if !bytes.isEmpty { return bytes[...] }
            }
        }
    }
}

/// How the export's rows become bytes, chunk by chunk.
protocol LedgerEncoder: AnyObject {
    func start(header: [String]) throws -> [UInt8]
    func rows(_ rows: [(fill: XLSXSheet.Fill, cells: [String])]) throws -> [UInt8]
    func finish() throws -> [UInt8]
}

final class CSVLedgerEncoder: LedgerEncoder {
    func start(header: [String]) throws -> [UInt8] { Array(("\u{FEFF}" + CSV.line(header)).utf8) }

    func rows(_ rows: [(fill: XLSXSheet.Fill, cells: [String])]) throws -> [UInt8] {
        var text = ""
        for row in rows { text += CSV.line(row.cells) }
        return Array(text.utf8)
    }

    func finish() throws -> [UInt8] { [] }
}

/// A one-sheet workbook: the fixed parts, then the sheet deflated row by row.
final class XLSXLedgerEncoder: LedgerEncoder {
    private let zip = StreamingZip()
    private let sheetName: String
    private var rowNumber = 0

    init(sheetName: String) { self.sheetName = sheetName }

    func start(header: [String]) throws -> [UInt8] {
        var out = ByteBuffer()
        for part in XLSXSheet.parts(sheetName: sheetName) {
            var bytes = try zip.add(part.name, part.text)
            out.writeBuffer(&bytes)
        }
        var begun = try zip.begin(XLSXSheet.sheetPart)
        out.writeBuffer(&begun)
        var written = try deflate(XLSXSheet.sheetStart + XLSXSheet.row(next(), header, fill: .header))
        out.writeBuffer(&written)
        return Array(out.readableBytesView)
    }

    func rows(_ rows: [(fill: XLSXSheet.Fill, cells: [String])]) throws -> [UInt8] {
        var xml = ""
        for row in rows { xml += XLSXSheet.row(next(), row.cells, fill: row.fill) }
        return Array(try deflate(xml).readableBytesView)
    }

    func finish() throws -> [UInt8] {
        var out = try deflate(XLSXSheet.sheetEnd)
        var ended = try zip.end()
        out.writeBuffer(&ended)
        var directory = try zip.finish()
        out.writeBuffer(&directory)
        return Array(out.readableBytesView)
    }

    private func next() -> Int {
        rowNumber += 1
        return rowNumber
    }

    private func deflate(_ xml: String) throws -> ByteBuffer {
        var content = ByteBuffer(string: xml)
        return try zip.write(&content)
    }
}
