// Numbers as text on paths that run for every request or case. `String(format:)` goes
// through C's printf with a locale and showed up in intake's profile; these do not.

extension BinaryInteger {
    /// The decimal digits, with leading zeros up to `width`: 7.zeroPadded(4) == "0007".
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(self)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits a byte (a SHA-256 as 64 characters).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
