import Foundation
import Vapor
import YijuCore

/// The one-page printable notice (公示): title, dates, map, zones and lots, how to object.
enum ZoningNotice {
    struct Context: Encodable {
        var t: [String: String]
        var lang: String
        var officeName: String
        var version: Int
        var status: String
        var statusLabel: String
        var noticeStart: String?
        var noticeEnd: String?
        var adoptedOn: String?
        var svg: String
        var summary: PlanSummary
        var zones: [ZoneRow]
        var lots: [LotRow]
        var publicURL: String
    }

    static func context(_ loaded: ZoningPlanService.Loaded, language: Language, publicURL: String?) throws -> Context {
        let record = loaded.record
        let name = record.$streetOffice.value?.name ?? loaded.problem.compounds.first?.street ?? ""
        let publicURL = try publicURL ?? PublicPath.zoningPlan(.value(record.requireID())).path
        return Context(t: language.strings, lang: language.rawValue, officeName: name, version: record.version,
                       status: record.status.rawValue, statusLabel: language.status(record.status),
                       noticeStart: record.noticeStart, noticeEnd: record.noticeEnd, adoptedOn: record.adoptedOn,
                       svg: loaded.map(title: "\(name) v\(record.version)", width: 700),
                       summary: PlanSummary(loaded), zones: ZoneRow.rows(loaded), lots: LotRow.rows(loaded),
                       publicURL: publicURL)
    }

    static func render(_ loaded: ZoningPlanService.Loaded, language: Language, publicURL: String?, on app: Application) async throws -> String {
        let view = try await app.view.render("zoning-notice", try context(loaded, language: language, publicURL: publicURL)).get()
        return String(buffer: view.data)
    }
}
