import Foundation
import YijuCore

/// Renovation's figures as the console's 旧改 page shows them (and its CSV download): the
/// totals, each year batch, the money by source, the items built, the survey's pass rate and
/// the consultation's reach.
struct FiguresPanel: Encodable {
    struct Line: Encodable { var label: String, value: String }

    var totals: [Line]
    var statuses: [Line]
    var years: [Line]
    var funding: [Line]
    var built: [Line]
    var csvLink: String
    var xlsxLink: String

    init(_ f: RenovationFigures, catalogue: WorkItemCatalogue, year: String, _ t: [String: String]) {
        func percent(_ share: Double?) -> String { share.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        totals = [
            Line(label: t["figureProjects"]!, value: String(f.projects)),
            Line(label: t["households"]!, value: String(f.households)),
            Line(label: t["buildings"]!, value: String(f.buildings)),
            Line(label: t["budget"]!, value: Format.yuan(fen: f.budgetFen)),
            Line(label: t["figurePassRate"]!, value: "\(percent(f.passRate))（\(f.surveysPassed) / \(f.surveysClosed)）"),
            Line(label: t["figureReach"]!, value: "\(percent(f.participation))（\(f.householdsVisited) / \(f.householdsConsulted)）"),
            Line(label: t["figureWorksCases"]!, value: "\(f.worksCases.received) · \(t["figureWorksOnTime"]!) \(percent(f.worksOnTimeRate))（\(f.worksCases.onTime) / \(f.worksCases.replied)）"),
        ]
        statuses = ProjectStatus.allCases.compactMap { s in f.byStatus[s].map { Line(label: t["projectStatus." + s.rawValue]!, value: String($0)) } }
        years = f.years.map { Line(label: String($0.year), value: "\($0.projects) · \($0.households) \(t["households"]!) · \(Format.yuan(fen: $0.budgetFen))") }
        funding = FundingSource.allCases.compactMap { s in
            f.fundingFen[s].map { fen in
                Line(label: t["fundingSource." + s.rawValue]!, value: Format.yuan(fen: fen) + (f.budgetFen > 0 ? "（\(percent(Double(fen) / Double(f.budgetFen)))）" : ""))
            }
        }
        built = RenovationFigureLines.built(f, catalogue).map { Line(label: $0.name, value: Format.quantity($0.quantity) + " " + $0.unit) }
        csvLink = ConsolePath.renovationFiguresCSV.with(["year": year])
        xlsxLink = ConsolePath.renovationFiguresXLSX.with(["year": year])
        sectionNames = ["total": t["renovationFigures"]!, "status": t["figureByStatus"]!, "year": t["figureByYear"]!,
                        "funding": t["funding"]!, "built": t["figureBuilt"]!]
    }

    /// The sections' headings in the spreadsheet, in the page's language.
    private var sectionNames: [String: String]

    private var sections: [(key: String, rows: [Line])] {
        [("total", totals), ("status", statuses), ("year", years), ("funding", funding), ("built", built)]
    }

    /// The same figures as a workbook: a heading row per section, then its lines.
    var xlsx: Data {
        var sheet = XLSXSheet(name: sectionNames["total"] ?? "figures")
        for (key, rows) in sections {
            sheet.append([sectionNames[key] ?? key, ""], fill: .header)
            for row in rows { sheet.append([row.label, row.value]) }
        }
        return sheet.data()
    }

    /// The same figures as CSV, one section per table, for a spreadsheet.
    var csv: String {
        var lines = ["section,label,value"]
        for (section, rows) in sections {
            lines += rows.map { "\(section),\(Self.field($0.label)),\(Self.field($0.value))" }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
