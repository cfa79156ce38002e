import Fluent
import Foundation
import OpenAPIRuntime
import Vapor
import YijuCore

/// The five disclosures' documents (五公开) through the API: published and withdrawn by the
/// project's street officer or the bureau, read by whoever reads the project and, once it is
/// public, by anyone.
extension YijuAPI {
    private func documentService() throws -> RenovationService {
        RenovationService(db: app.db, actor: try RequestActor.require(), now: app.clock.now())
    }

    func listRenovationDocuments(_ input: Operations.listRenovationDocuments.Input) async throws -> Operations.listRenovationDocuments.Output {
        let documents = try await documentService().documents(try pathID(input.path.id, "renovation project"))
        return .ok(.init(body: .json(try documents.map(Components.Schemas.RenovationDocument.init))))
    }

    func publishRenovationDocument(_ input: Operations.publishRenovationDocument.Input) async throws -> Operations.publishRenovationDocument.Output {
        let (type, body): (String, HTTPBody) = switch input.body {
        case .pdf(let b): ("application/pdf", b)
        case .jpeg(let b): ("image/jpeg", b)
        case .png(let b): ("image/png", b)
        case .image_webp(let b): ("image/webp", b)
        }
        let data = try await Data(collecting: body, upTo: RenovationService.maxDocumentBytes + 1)
        let upload = RenovationService.DocumentUpload(kind: DisclosureKind(rawValue: input.query.kind.rawValue)!, title: input.query.title,
                                                      declaredType: type, data: data)
        let document = try await documentService().publishDocument(try pathID(input.path.id, "renovation project"), upload)
        return .created(.init(body: .json(try .init(document))))
    }

    func getRenovationDocument(_ input: Operations.getRenovationDocument.Input) async throws -> Operations.getRenovationDocument.Output {
        let document = try await documentService().document(try pathID(input.path.id, "renovation project"), try pathID(input.path.documentId, "document"))
        return .ok(.init(body: document.body(pdf: { .pdf($0) }, png: { .png($0) }, webp: { .image_webp($0) }, jpeg: { .jpeg($0) })))
    }

    func withdrawRenovationDocument(_ input: Operations.withdrawRenovationDocument.Input) async throws -> Operations.withdrawRenovationDocument.Output {
        guard case .json(let b) = input.body else { throw DomainError.unsupportedMediaType }
        let document = try await documentService().withdrawDocument(try pathID(input.path.id, "renovation project"),
                                                                    try pathID(input.path.documentId, "document"), reason: b.reason)
        return .ok(.init(body: .json(try .init(document))))
    }

    func getPublicRenovationDocument(_ input: Operations.getPublicRenovationDocument.Input) async throws -> Operations.getPublicRenovationDocument.Output {
        let document = try await PublicRenovation(db: app.db, now: app.clock.now())
            .document(try pathID(input.path.id, "renovation project"), try pathID(input.path.documentId, "document"))
        return .ok(.init(body: document.body(pdf: { .pdf($0) }, png: { .png($0) }, webp: { .image_webp($0) }, jpeg: { .jpeg($0) })))
    }
}

extension RenovationDocument {
    /// The bytes as the generated body case of its type; the two GET operations have a body type
    /// each, so the cases are passed in.
    func body<Body>(pdf: (HTTPBody) -> Body, png: (HTTPBody) -> Body, webp: (HTTPBody) -> Body, jpeg: (HTTPBody) -> Body) -> Body {
        let bytes = HTTPBody(data)
        return switch contentType {
        case "application/pdf": pdf(bytes)
        case "image/png": png(bytes)
        case "image/webp": webp(bytes)
        default: jpeg(bytes)
        }
    }
}

extension Components.Schemas.RenovationDocument {
    init(_ d: RenovationDocument) throws {
        self.init(id: try d.requireID().uuidString, kind: .init(rawValue: d.kind.rawValue)!, title: d.title,
                  contentType: .init(rawValue: d.contentType)!, size: d.size, publishedAt: d.createdAt ?? Date(),
                  publishedBy: d.recordedBy, withdrawnAt: d.withdrawnAt, withdrawReason: d.withdrawReason)
    }
}
