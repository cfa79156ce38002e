import Fluent
import Foundation
import YijuCore

/// Photos on a case: only real JPEG, PNG or WebP images (the bytes are checked, not the
/// declared type), at most 5 MB each and 9 per case; added by anyone who may read the case
/// and is not a hotline operator reading the whole district.
struct CasePhotos {
    let service: CaseService
    static let maxBytes = 5 * 1024 * 1024
    static let maxPerCase = 9

    /// The image type the bytes say they are.
    static func sniff(_ data: Data) -> String? {
        let b = [UInt8](data.prefix(12))
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { return "image/jpeg" }
        if b.count >= 8, b[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return "image/png" }
        if b.count >= 12, b[0..<4] == [0x52, 0x49, 0x46, 0x46], b[8..<12] == [0x57, 0x45, 0x42, 0x50] { return "image/webp" }
        return nil
    }

    /// The checked image type of an upload, or the error that names what is wrong with it.
    /// Inspection findings take photos under the same limits.
    static func checkedType(_ data: Data, declaredType: String) throws -> String {
        guard data.count <= Self.maxBytes else {
            throw DomainError(.tooLarge, code: "photo_too_large", message: "a photo may be at most \(Self.maxBytes / 1024 / 1024) MB",
                              fields: [FieldError(field: "body", reason: "is \(data.count) bytes")])
        }
        guard let type = Self.sniff(data) else {
            throw DomainError(.invalid, code: "not_an_image", message: "the file is not a JPEG, PNG or WebP image",
                              fields: [FieldError(field: "body", reason: "is not an image")])
        }
        guard type == declaredType else {
            throw DomainError(.invalid, code: "wrong_type", message: "the file is \(type), not \(declaredType)",
                              fields: [FieldError(field: "Content-Type", reason: "says \(declaredType); the bytes are \(type)")])
        }
        return type
    }

    func add(to caseID: UUID, declaredType: String, data: Data) async throws -> CasePhoto {
        let loaded = try await service.load(caseID)
        let type = try Self.checkedType(data, declaredType: declaredType)
        let count = try await CasePhoto.query(on: service.db).filter(\.$caseRecord.$id == caseID).count()
        guard count < Self.maxPerCase else {
            throw DomainError(.conflict, code: "too_many_photos", message: "a case may have at most \(Self.maxPerCase) photos")
        }
        let photo = CasePhoto()
        photo.$caseRecord.id = caseID
        photo.contentType = type
        photo.size = data.count
        photo.data = data
        try await service.db.transaction { tx in
            try await photo.create(on: tx)
            try await service.event(loaded.record, "photo", note: "", data: ["photo": try photo.requireID().uuidString, "type": type], on: tx)
        }
        return photo
    }

    func photo(_ caseID: UUID, _ photoID: UUID) async throws -> CasePhoto {
        _ = try await service.load(caseID)
        guard let photo = try await CasePhoto.query(on: service.db).filter(\.$id == photoID).filter(\.$caseRecord.$id == caseID).first() else {
            throw DomainError.notFound("photo")
        }
        return photo
    }
}
