import Fluent
import Foundation
import Vapor
import YijuCore

/// A project's five disclosures (五公开) in the console: the documents of each, the form that
/// publishes one (a PDF or a photo of a paper notice), withdrawal with a reason, and the files.
struct ConsoleDocumentsController: RenovationRoutes {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(ConsolePath.renovationProject(.key, .documents).routeComponents, use: show)
        // One 10 MB document a post, with room for the form's encoding.
        routes.on(.POST, ConsolePath.renovationProject(.key, .documents).routeComponents, body: .collect(maxSize: "11mb"), use: publish)
        routes.get(ConsolePath.renovationDocument(.key, document: .key).routeComponents, use: document)
        routes.post(ConsolePath.renovationDocumentWithdrawal(.key, document: .key).routeComponents, use: withdraw)
    }

    func show(req: Request) async throws -> View {
        try await render(req, form: nil, errors: [])
    }

    private func render(_ req: Request, form: [String: String]?, errors: [FieldError]) async throws -> View {
        let service = try service(req)
        let t = req.language.strings
        let id = try idParameter(req)
        let file = try await service.load(id)
        let documents = try await RenovationService.documents(of: id, on: req.db)
        let content = try DocumentsPage(file.project, documents, mayPublish: Policy.allows(service.actor, .update, file.resource),
                                        form: form, errors: errors, t)
        return try await req.renderPage("renovation-documents", title: "\(file.project.code) · \(t["disclosures"]!)",
                                        nav: .renovationProjects, content: content)
    }

    func publish(req: Request) async throws -> Response {
        struct Upload: Content { var kind: String?, title: String?, file: File? }
        let id = try idParameter(req)
        let upload = try req.content.decode(Upload.self)
        let form = ["kind": upload.kind ?? "", "title": upload.title ?? ""]
        return try await saving(req, back: ConsolePath.renovationProject(.value(id), .documents).path, render: { req, errors in
            try await render(req, form: form, errors: errors)
        }) {
            guard let kind = upload.kind.flatMap(DisclosureKind.init(rawValue:)) else {
                throw DomainError.validation([FieldError(field: "kind", reason: "choose one of the five disclosures")])
            }
            guard let file = upload.file, file.data.readableBytes > 0 else {
                throw DomainError.validation([FieldError(field: "file", reason: "choose a PDF or an image")])
            }
            let data = Data(buffer: file.data)
            do {
                // The browser's declared type is not trusted; the bytes say what the file is.
                _ = try await service(req).publishDocument(id, .init(kind: kind, title: upload.title ?? "",
                                                                     declaredType: RenovationService.sniffDocument(data) ?? "application/pdf", data: data))
            } catch let error as DomainError where error.kind == .tooLarge {
                // On a form the size is one more thing to correct, shown beside the others.
                throw DomainError(.invalid, code: error.code, message: error.message, fields: [FieldError(field: "file", reason: error.message)])
            }
        }
    }

    func document(req: Request) async throws -> Response {
        guard let documentID = req.parameters.get("document", as: UUID.self) else { throw DomainError.notFound("document") }
        let document = try await service(req).document(try idParameter(req), documentID)
        return documentResponse(document, cache: "private, max-age=3600")
    }

    func withdraw(req: Request) async throws -> Response {
        struct Form: Content { var reason: String? }
        let id = try idParameter(req)
        guard let documentID = req.parameters.get("document", as: UUID.self) else { throw DomainError.notFound("document") }
        let form = try req.content.decode(Form.self)
        return try await saving(req, back: ConsolePath.renovationProject(.value(id), .documents).path, render: { req, errors in
            try await render(req, form: nil, errors: errors)
        }) {
            _ = try await service(req).withdrawDocument(id, documentID, reason: form.reason ?? "")
        }
    }
}

/// A document's bytes, shown in the browser (a PDF viewer, an image) under its title.
func documentResponse(_ document: RenovationDocument, cache: String) -> Response {
    let response = Response(status: .ok, body: .init(data: document.data))
    response.headers.replaceOrAdd(name: .contentType, value: document.contentType)
    response.headers.replaceOrAdd(name: .cacheControl, value: cache)
    // RFC 6266 with RFC 5987's encoding, so a Chinese title survives as the file's name.
    let file = document.title + "." + document.fileExtension
    let name = file.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document." + document.fileExtension
    response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename*=UTF-8''\(name)")
    return response
}
