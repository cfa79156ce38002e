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

@Suite("Time-ordered ids")
struct TimeOrderedUUIDTests {
    @Test("Version 7, RFC 9562 variant, the millisecond in front, so later ids sort after earlier ones as text too")
    func orderedByTime() {
        let earlier = UUID.timeOrdered(at: Date(timeIntervalSince1970: 1_763_800_000.123))
        let later = UUID.timeOrdered(at: Date(timeIntervalSince1970: 1_763_800_000.124))
        #expect(earlier.uuidString.hasPrefix("019AAAAC"))
        #expect(earlier.uuidString < later.uuidString)
        let text = Array(later.uuidString)
        #expect(text[14] == "7" && "89AB".contains(text[19]))
        #expect(UUID.timeOrdered() != UUID.timeOrdered())
        // Within one millisecond only the random bits tell ids apart.
        let sameMillisecond = Date(timeIntervalSince1970: 1_763_800_000.125)
        #expect(Set((0..<1_000).map { _ in UUID.timeOrdered(at: sameMillisecond) }).count == 1_000)
    }
}
