import Fluent
import Foundation
import YijuCore

/// The five disclosures (五公开: 入户资料, 项目手续, 招标资料, 工程材料, 验收清单) as
/// documents: PDFs or images, published by whoever may change the project (its street
/// officer, the bureau), read by whoever reads it and, once the project is public, by anyone.
/// A document never changes; a wrong one is withdrawn with a reason and stays in the file.
extension RenovationService {
    static let maxDocumentBytes = 10 * 1024 * 1024
    static let maxDocumentsPerKind = 30
    static let maxTitleLength = 100

    /// What a publication says about itself; the bytes come separately.
    struct DocumentUpload: Sendable {
        var kind: DisclosureKind
        var title: String
        var declaredType: String
        var data: Data
    }

    /// The type the bytes say they are: a PDF, or an image photos accept.
    static func sniffDocument(_ data: Data) -> String? {
        data.starts(with: Array("%PDF-".utf8)) ? "application/pdf" : CasePhotos.sniff(data)
    }

    /// The checked type of an upload, or the error naming what is wrong with it.
    static func checkedDocumentType(_ data: Data, declaredType: String) throws -> String {
        guard data.count <= maxDocumentBytes else {
            throw DomainError(.tooLarge, code: "document_too_large", message: "a document may be at most \(maxDocumentBytes / 1024 / 1024) MB",
                              fields: [FieldError(field: "body", reason: "is \(data.count) bytes")])
        }
        guard let type = sniffDocument(data) else {
            throw DomainError(.invalid, code: "not_a_document", message: "the file is not a PDF nor a JPEG, PNG or WebP image",
                              fields: [FieldError(field: "body", reason: data.isEmpty ? "is empty" : "is not a PDF or an image")])
        }
        guard type == declaredType else {
            throw DomainError(.invalid, code: "wrong_type", message: "the file is \(type), not \(declaredType)",
                              fields: [FieldError(field: "Content-Type", reason: "says \(declaredType); the bytes are \(type)")])
        }
        return type
    }

    /// A project's documents without their bytes, oldest first; withdrawn ones included.
    static func documents(of projectID: UUID, on db: any Database) async throws -> [RenovationDocument] {
        try await RenovationDocument.query(on: db).filter(\.$project.$id == projectID)
            .field(\.$id).field(\.$project.$id).field(\.$kind).field(\.$title).field(\.$contentType).field(\.$size).field(\.$recordedBy)
            .field(\.$createdAt).field(\.$withdrawnAt).field(\.$withdrawnBy).field(\.$withdrawReason)
            .sort(\.$createdAt).sort(\.$id).all()
    }

    func documents(_ projectID: UUID) async throws -> [RenovationDocument] {
        let file = try await load(projectID)
        try Policy.require(actor, .read, file.resource, notFound: "renovation project")
        return try await Self.documents(of: projectID, on: db)
    }

    func publishDocument(_ projectID: UUID, _ upload: DocumentUpload) async throws -> RenovationDocument {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        let title = upload.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let titleError = (1...Self.maxTitleLength).contains(title.count) ? nil
            : FieldError(field: "title", reason: title.isEmpty ? "is required" : "must be at most \(Self.maxTitleLength) characters")
        let type: String
        do {
            type = try Self.checkedDocumentType(upload.data, declaredType: upload.declaredType)
        } catch let error as DomainError where error.kind == .invalid {
            // A bad title and a bad file are named together; an oversized file stays a 413 of its own.
            throw DomainError(.invalid, code: error.code, message: error.message, fields: [titleError].compactMap { $0 } + error.fields)
        }
        if let titleError { throw DomainError.validation([titleError]) }
        let document = RenovationDocument()
        document.$project.id = projectID
        document.kind = upload.kind
        document.title = title
        document.contentType = type
        document.size = upload.data.count
        document.data = upload.data
        document.recordedBy = actor.username
        try await db.transaction { tx in
            // Held so that two uploads at once cannot both take the last place of a kind.
            guard try await Self.hold(projectID, on: tx) != nil else { throw DomainError.notFound("renovation project") }
            let published = try await RenovationDocument.query(on: tx).filter(\.$project.$id == projectID).filter(\.$kind == upload.kind)
                .filter(\.$withdrawnAt == nil).count()
            guard published < Self.maxDocumentsPerKind else {
                throw DomainError(.conflict, code: "too_many_documents",
                                  message: "a disclosure may have at most \(Self.maxDocumentsPerKind) documents; withdraw one first")
            }
            try await document.create(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .create, entityType: "renovationDocument", entityID: document.id,
                                      after: ["project": file.project.code, "kind": upload.kind.rawValue, "title": title, "type": type,
                                              "size": String(upload.data.count)], at: now)
        }
        return document
    }

    /// Takes a document off the public page; it stays in the project's file with the reason.
    func withdrawDocument(_ projectID: UUID, _ documentID: UUID, reason: String) async throws -> RenovationDocument {
        let file = try await load(projectID)
        try Policy.require(actor, .update, file.resource, notFound: "renovation project")
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else {
            throw DomainError.validation([FieldError(field: "reason", reason: reason.isEmpty ? "is required" : "must be at most 500 characters")])
        }
        return try await db.transaction { tx in
            guard let document = try await RenovationDocument.query(on: tx).filter(\.$id == documentID).filter(\.$project.$id == projectID).first() else {
                throw DomainError.notFound("document")
            }
            guard document.withdrawnAt == nil else {
                throw DomainError(.conflict, code: "already_withdrawn", message: "the document \"\(document.title)\" is already withdrawn")
            }
            document.withdrawnAt = now
            document.withdrawnBy = actor.username
            document.withdrawReason = reason
            try await document.update(on: tx)
            try await AuditLog.record(on: tx, actor: actor, action: .update, entityType: "renovationDocument", entityID: documentID,
                                      before: ["withdrawn": "false"], after: ["withdrawn": "true", "reason": reason], at: now)
            return document
        }
    }

    /// One document with its bytes, for whoever reads the project (withdrawn ones too: the file keeps them).
    func document(_ projectID: UUID, _ documentID: UUID) async throws -> RenovationDocument {
        let file = try await load(projectID)
        try Policy.require(actor, .read, file.resource, notFound: "renovation project")
        guard let document = try await RenovationDocument.query(on: db).filter(\.$id == documentID).filter(\.$project.$id == projectID).first() else {
            throw DomainError.notFound("document")
        }
        return document
    }
}
