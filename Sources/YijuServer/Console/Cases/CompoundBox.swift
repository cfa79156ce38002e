import Fluent
import Foundation

/// The compound box of the intake forms (the console's and the public one).
enum CompoundBox {
    /// The compound box holds "CODE name" from the suggestions, or just a code, or an address.
    static func read(_ typed: String?, on db: any Database) async throws -> (code: String?, address: String?) {
        let text = (typed ?? "").trimmingCharacters(in: .whitespaces)
        let code = text.split(separator: " ").first.map(String.init) ?? ""
        let isCode = try await Compound.query(on: db).filter(\.$code == code).count() == 1
        return isCode ? (code, nil) : (nil, text)
    }
}
