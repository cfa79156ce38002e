import Fluent
import Foundation
import YijuCore

/// The colour ledger for spreadsheets: one row per case the actor may see, phones masked.
/// As CSV (with a BOM, so Excel reads the Chinese as UTF-8) or as .xlsx with each row in
/// its colour.
struct CaseLedgerExport {
    let service: CaseService
    static let maxRows = 100_000
    static let header = ["number", "colour", "channel", "externalNumber", "received", "street", "compound", "building", "unit",
                         "domain", "description", "handler", "state", "due", "replied", "satisfaction", "closed",
                         "repeatCount", "reopenCount", "overdue", "escalated", "reporter", "phone"]

    func rows(_ filter: CaseService.Filter, language: Language) async throws -> [(CaseColour, [String])] {
        var out: [(CaseColour, [String])] = []
        var page = filter
        page.limit = 500
        page.offset = 0
        while page.offset < Self.maxRows {
            let (items, _) = try await service.ledger(page)
            for c in items {
                out.append((c.colour, [
                    c.number, language.label(c.colour), language.label(c.channel), c.externalNumber ?? "", Format.dateTime(c.receivedAt),
                    c.streetOffice.name, "\(c.compound.code) \(c.compound.name)", c.building ?? "", c.unit ?? "", language.label(c.domain),
                    c.description, c.loadedCompany?.name ?? c.loadedDepartment?.name ?? (c.handlerKind == .streetOffice ? c.streetOffice.name : ""),
                    language.label(c.state), c.dueAt.map(Format.dateTime) ?? "", c.repliedAt.map(Format.dateTime) ?? "",
                    c.satisfaction.map { language.label($0) } ?? "", c.closedAt.map(Format.dateTime) ?? "", "\(c.repeatCount)", "\(c.reopenCount)",
                    c.overdueAt == nil ? "" : "yes", c.escalatedAt == nil ? "" : "yes", c.reporterName, CasePolicy.mask(c.reporterPhone),
                ]))
            }
            if items.count < page.limit { break }
            page.offset += page.limit
        }
        return out
    }

    func csv(_ filter: CaseService.Filter, language: Language) async throws -> String {
        var out = "\u{FEFF}" + CSV.line(Self.header)
        for (_, cells) in try await rows(filter, language: language) { out += CSV.line(cells) }
        return out
    }

    func xlsx(_ filter: CaseService.Filter, language: Language) async throws -> Data {
        var sheet = XLSXSheet(name: language == .zh ? "三色台账" : "Colour ledger")
        sheet.append(Self.header, fill: .header)
        for (colour, cells) in try await rows(filter, language: language) {
            sheet.append(cells, fill: colour == .green ? .green : colour == .yellow ? .yellow : .red)
        }
        return sheet.data()
    }
}
