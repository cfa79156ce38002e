import Crypto
import Foundation
import YijuCore

/// What a resident sends when objecting to something under public notice (a zoning plan, a
/// renovation plan), from a page anyone may open: checked the same way for both, and limited
/// per sender's address so a form cannot be flooded.
struct PublicObjection: Sendable {
    static let perHour = 5

    var name: String
    var phone: String
    var body: String

    /// The objection with its name and text trimmed and its phone's spaces and dashes
    /// dropped, or the fields that are wrong with it (added to `errors`).
    static func checked(name: String, phone: String, body: String, errors: inout [FieldError]) -> PublicObjection {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let phone = phone.filter { !$0.isWhitespace && $0 != "-" }
        let body = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...40).contains(name.count) { errors.append(FieldError(field: "name", reason: name.isEmpty ? "is required" : "must be at most 40 characters")) }
        if !(7...20).contains(phone.count) || !phone.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+") }) {
            errors.append(FieldError(field: "phone", reason: "must be a phone number of 7 to 20 digits"))
        }
        if !(5...2000).contains(body.count) { errors.append(FieldError(field: "body", reason: "must be 5 to 2000 characters")) }
        return PublicObjection(name: name, phone: phone, body: body)
    }

    /// The sender's address as stored: a hash, never shown, only counted.
    static func sourceHash(_ source: String) -> String {
        SHA256.hash(data: Data(source.utf8)).hexString
    }

    /// Refuses a sender who has filed `recent` objections within the hour.
    static func requireUnderLimit(_ recent: Int) throws {
        guard recent < perHour else {
            throw DomainError(.throttled, code: "too_many_objections", message: "at most \(perHour) objections an hour may be filed from one address; please try again later")
        }
    }
}
