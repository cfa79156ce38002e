/// A JSON object of string values, keys sorted — what a case event's `data` holds.
///
/// Written by hand because intake writes three or four events per case on the writer's one
/// thread, and JSONEncoder's generic machinery cost a twentieth of that thread's time.
enum FlatJSON {
    static func object(_ values: [String: String]) -> String {
        var json = "{"
        for (index, key) in values.keys.sorted().enumerated() {
            if index > 0 { json += "," }
            appendString(key, to: &json)
            json += ":"
            appendString(values[key]!, to: &json)
        }
        return json + "}"
    }

    private static func appendString(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}
