import Foundation
import Testing
@testable import YijuCore

@Suite("CSV and compound files")
struct InterchangeTests {
    static let header = "id,name,street,community,kind,address,lon,lat,floorArea,households,buildings,yearBuilt,renovation,management,company"

    @Test("CSV: BOM, CRLF, quoted commas, doubled quotes and newlines inside quotes")
    func csvQuoting() throws {
        let text = "\u{FEFF}a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\"two\nlines\",z\r\n"
        let records = try CSV.parse(text)
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "he said \"hi\""], ["two\nlines", "z"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("CSV: an unterminated quote names its line")
    func csvUnterminated() {
        #expect(throws: DomainError.self) { try CSV.parse("a,b\n1,\"open\n2,3\n") }
        do {
            _ = try CSV.parse("a,b\n1,\"open\n2,3\n")
        } catch {
            #expect(error.fields.first?.line == 2)
        }
    }

    @Test("CSV writing neutralises spreadsheet formulas and round-trips")
    func csvWriting() throws {
        let line = CSV.line(["=SUM(A1)", "a,b", "-5", "-x"])
        #expect(line == "'=SUM(A1),\"a,b\",-5,'-x\r\n")
    }

    @Test("A good file parses every row with its line")
    func goodFile() throws {
        let text = """
        \(Self.header)
        QZ-001,宣化街1号院,七政街道,七政社区,estate,南岗区宣化街1号,126.65,45.74,12000,170,3,1985,completed,abandoned,
        QZ-002,宣化街2号楼,七政街道,,singleBuilding,,126.651,45.741,3200,48,,,none,governmentFallback,
        """
        let parsed = try CompoundFile.readCSV(text, currentYear: 2026)
        #expect(parsed.rows.count == 2)
        #expect(parsed.rows[1].line == 3)
        #expect(parsed.rows[1].record.buildings == 1)
        #expect(parsed.rows[0].record.management == .abandoned)
    }

    @Test("A bad file reports every bad row with line, column and reason")
    func badRows() throws {
        let text = """
        \(Self.header)
        QZ-001,ok,七政街道,,estate,,126.65,45.74,12000,170,3,1985,completed,abandoned,
        QZ-002,,七政街道,,villa,,226.65,45.74,-5,ten,3,1985,completed,abandoned,
        QZ-001,dup,七政街道,,estate,,126.65,45.74,12000,170,3,2999,completed,professional,
        QZ-004,short row
        """
        let parsed = try CompoundFile.readCSV(text, currentYear: 2026)
        #expect(parsed.rows.map(\.line) == [2])
        #expect(throws: DomainError.self) { try parsed.requireValid() }
        do {
            let error = try #require(parsed.errors.isEmpty ? nil : DomainError.importFailed(parsed.errors))
            let byLine = Dictionary(grouping: error.fields, by: { $0.line ?? 0 })
            #expect(Set(byLine[3]?.map(\.field) ?? []) == ["name", "kind", "lon", "floorArea", "households"])
            #expect(Set(byLine[4]?.map(\.field) ?? []) == ["yearBuilt", "company", "id"])
            #expect(byLine[5]?.first?.field == "row")
            #expect(byLine[2] == nil)
            #expect(error.code == "import_failed")
        }
    }

    @Test("Header problems are reported before any row")
    func headerProblems() {
        do {
            _ = try CompoundFile.readCSV("id,name,colour\nA,b,c\n", currentYear: 2026)
            Issue.record("must fail")
        } catch {
            let fields = Set(error.fields.map(\.field))
            #expect(fields.isSuperset(of: ["colour", "street", "kind", "lon", "lat", "floorArea", "households"]))
        }
    }

    @Test("GeoJSON: typed values, barriers skipped, wrong types named with the feature")
    func geoJSON() throws {
        let good = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[126.65,45.74]},
           "properties":{"id":"A-1","name":"甲","street":"七政街道","kind":"estate","floorArea":12000,"households":170}},
          {"type":"Feature","geometry":{"type":"LineString","coordinates":[[126.6,45.7],[126.7,45.8]]},"properties":{"barrier":"river"}}
        ]}
        """
        let parsed = try CompoundFile.readGeoJSON(Data(good.utf8), currentYear: 2026)
        #expect(parsed.rows.count == 1)
        #expect(parsed.skippedFeatures == 1)

        let bad = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[126.65,95.74]},
           "properties":{"id":"A-1","name":"甲","street":"七政街道","kind":"estate","floorArea":"big","households":true}}
        ]}
        """
        do {
            let error = DomainError.importFailed(try CompoundFile.readGeoJSON(Data(bad.utf8), currentYear: 2026).errors)
            let fields = Set(error.fields.map(\.field))
            #expect(fields == ["features[0].geometry.coordinates", "features[0].properties.floorArea", "features[0].properties.households"])
            #expect(error.fields.allSatisfy { $0.line == 1 })
        }
    }

    @Test("Malformed JSON and non-collections are refused clearly")
    func notGeoJSON() {
        #expect(throws: DomainError.self) { try CompoundFile.readGeoJSON(Data("{".utf8), currentYear: 2026) }
        #expect(throws: DomainError.self) { try CompoundFile.readGeoJSON(Data("[]".utf8), currentYear: 2026) }
        #expect(throws: DomainError.self) { try CompoundFile.readGeoJSON(Data(#"{"type":"FeatureCollection","features":[]}"#.utf8), currentYear: 2026) }
    }

    @Test("Export then import gives back the same records, in both formats")
    func roundTrip() throws {
        let district = DemoDistrict.generate()
        let records = district.compounds.prefix(50).map(\.record)
        let fromCSV = try CompoundFile.readCSV(CompoundFile.csv(Array(records)), currentYear: 2026).rows.map(\.record)
        #expect(fromCSV == Array(records))
        let barriers = district.barriers.map { CompoundFile.BarrierLine(name: $0.name, kind: $0.kind, path: $0.path) }
        let fromGeoJSON = try CompoundFile.readGeoJSON(CompoundFile.geoJSON(Array(records), barriers: barriers), currentYear: 2026)
        #expect(fromGeoJSON.rows.map(\.record) == Array(records))
        #expect(fromGeoJSON.skippedFeatures == barriers.count)
    }
}

@Suite("XLSX writer")
struct XLSXTests {
    @Test("CRC-32, column names, and a well-formed stored ZIP with the six parts")
    func workbook() throws {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect([0, 25, 26, 27, 701, 702].map(XLSXSheet.column) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
        var sheet = XLSXSheet(name: "三色台账")
        sheet.append(["number", "colour"], fill: .header)
        sheet.append(["YJ-1", "红 <&> \u{1}"], fill: .red)
        let data = sheet.data()
        let bytes = [UInt8](data)
        #expect(bytes.prefix(4) == [0x50, 0x4B, 0x03, 0x04])
        // End of central directory: signature, then entry counts.
        let end = bytes.count - 22
        #expect(bytes[end..<end + 4] == [0x50, 0x4B, 0x05, 0x06] && bytes[end + 8] == 6 && bytes[end + 10] == 6)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<t xml:space=\"preserve\">红 &lt;&amp;&gt; </t>") && text.contains("s=\"3\""))
        #expect(text.contains("<sheet name=\"三色台账\""))
    }
}
