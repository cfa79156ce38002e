import Foundation
import YijuCore

/// A project's five disclosures (五公开) in the console: each kind with its documents, the
/// withdrawn ones struck through with their reason, and the form that publishes one.
struct DocumentsPage: Encodable {
    struct Document: Encodable {
        var title: String, link: String, type: String, size: String, published: String
        var withdrawn: String?
        /// Where the document is withdrawn, for whoever may publish.
        var withdrawAction: String?
    }
    struct Disclosure: Encodable {
        var kind: String, name: String, what: String
        var documents: [Document]
    }
    struct Option: Encodable { var value: String, label: String, selected: Bool }

    var head: ProjectHead
    var disclosures: [Disclosure]
    var publicPage: String?
    /// The publication form, for the project's street officer and the bureau.
    var action: String?
    var kinds: [Option]
    var title: String
    var fileHint: String
    var errors: [FieldError]

    init(_ project: RenovationProject, _ documents: [RenovationDocument], mayPublish: Bool, form: [String: String]?,
         errors: [FieldError], _ t: [String: String]) throws {
        let id = try project.requireID()
        head = try ProjectHead(project, t)
        disclosures = try DisclosureKind.allCases.map { kind in
            Disclosure(kind: kind.rawValue, name: t["disclosure." + kind.rawValue]!, what: t["disclosureWhat." + kind.rawValue]!,
                       documents: try documents.filter { $0.kind == kind }.map { d in
                let documentID = try d.requireID()
                return Document(title: d.title, link: ConsolePath.renovationDocument(.value(id), document: .value(documentID)).path,
                                type: d.typeName, size: Self.size(d.size),
                                published: "\(d.createdAt.map(Format.dateTime) ?? "") · \(d.recordedBy)",
                                withdrawn: d.withdrawnAt.map { "\(t["withdrawnOn"]!) \(Format.dateTime($0)) · \(d.withdrawnBy ?? "") · \(d.withdrawReason ?? "")" },
                                withdrawAction: mayPublish && d.withdrawnAt == nil
                                    ? ConsolePath.renovationDocumentWithdrawal(.value(id), document: .value(documentID)).path : nil)
            })
        }
        publicPage = PublicRenovation.publicStatuses.contains(project.status) ? PublicPath.renovationProject(.value(id)).path : nil
        action = mayPublish ? ConsolePath.renovationProject(.value(id), .documents).path : nil
        kinds = DisclosureKind.allCases.map { Option(value: $0.rawValue, label: t["disclosure." + $0.rawValue]!, selected: form?["kind"] == $0.rawValue) }
        title = form?["title"] ?? ""
        fileHint = t["documentFileHint"]!.replacingOccurrences(of: "%d", with: String(RenovationService.maxDocumentBytes / 1024 / 1024))
        self.errors = errors
    }

    /// A size as people read it: 312 KB, 2.4 MB.
    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? "\(max(1, (bytes + 512) / 1024)) KB" : String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}
