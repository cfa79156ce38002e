import Fluent
import Foundation
import YijuCore

/// A document of one of a project's five disclosures (五公开): a PDF or an image, its bytes
/// checked, published on the project's public page from the consultation on. Never changed;
/// a wrong one is withdrawn (with a reason, kept) and another published.
final class RenovationDocument: Model, @unchecked Sendable {
    static let schema = "renovation_documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: .projectID) var project: RenovationProject
    @Field(key: .kind) var kind: DisclosureKind
    @Field(key: .title) var title: String
    @Field(key: .contentType) var contentType: String
    @Field(key: .size) var size: Int
    @Field(key: .data) var data: Data
    @Field(key: .recordedBy) var recordedBy: String
    @Timestamp(key: .createdAt, on: .create) var createdAt: Date?
    @OptionalField(key: .withdrawnAt) var withdrawnAt: Date?
    @OptionalField(key: .withdrawnBy) var withdrawnBy: String?
    @OptionalField(key: .reason) var withdrawReason: String?

    init() {}
}

extension RenovationDocument {
    /// What each accepted type is called and the extension its file is saved with.
    static let kinds: [String: (name: String, fileExtension: String)] = [
        "application/pdf": ("PDF", "pdf"), "image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png"), "image/webp": ("WebP", "webp"),
    ]

    var typeName: String { Self.kinds[contentType]?.name ?? contentType }
    var fileExtension: String { Self.kinds[contentType]?.fileExtension ?? "bin" }
}
