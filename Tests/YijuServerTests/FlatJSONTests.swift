import Foundation
import Testing
@testable import YijuServer

@Suite("Case event data as JSON")
struct FlatJSONTests {
    @Test("Keys sorted, every character that JSON must escape escaped, and it reads back as written")
    func roundTrip() throws {
        let values = ["repeatOf": "A1", "note": "他说：\"水管\\漏了\"\n第二行\t\u{01}/", "channel": "hotline", "": ""]
        let json = FlatJSON.object(values)
        #expect(json == #"{"":"","channel":"hotline","note":"他说：\"水管\\漏了\"\n第二行\t\u0001/","repeatOf":"A1"}"#)
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        #expect(decoded == values)
        #expect(FlatJSON.object([:]) == "{}")
    }
}
