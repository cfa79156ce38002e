import Fluent
import Foundation

/// A short list kept in one text column.
enum JSONList {
    static func decode<T: Decodable>(_ text: String?, as: T.Type) -> [T] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([T].self, from: data)) ?? []
    }

    static func encode<T: Encodable>(_ list: [T]) -> String {
        String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
