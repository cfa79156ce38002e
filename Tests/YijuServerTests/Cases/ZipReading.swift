import CCompressZlib
import CompressNIO
import Foundation
import NIOCore

/// Reads a ZIP archive as an unzip program does — from the central directory at its end —
/// and inflates each entry, checking its CRC and sizes, so a test sees what Excel would open.
struct ZipReading {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Each entry's name and content, in the central directory's order.
    static func entries(_ bytes: [UInt8]) throws -> [(name: String, content: [UInt8])] {
        func le16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func le32(_ at: Int) -> Int { le16(at) | le16(at + 2) << 16 }
        guard bytes.count >= 22, let end = (0...(bytes.count - 22)).reversed().first(where: { le32($0) == 0x0605_4B50 }) else {
            throw Failure(description: "no end of central directory")
        }
        var at = le32(end + 16)
        var out: [(String, [UInt8])] = []
        for _ in 0..<le16(end + 10) {
            guard le32(at) == 0x0201_4B50 else { throw Failure(description: "bad central directory entry at \(at)") }
            let method = le16(at + 10), crc = le32(at + 16), compressed = le32(at + 20), size = le32(at + 24)
            let nameLength = le16(at + 28), extra = le16(at + 30), comment = le16(at + 32), offset = le32(at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard le32(offset) == 0x0403_4B50 else { throw Failure(description: "\(name): no local header at \(offset)") }
            let start = offset + 30 + le16(offset + 26) + le16(offset + 28)
            var data = ByteBuffer(bytes: bytes[start..<(start + compressed)])
            var content: [UInt8]
            if method == 8 {
                var inflated = ByteBufferAllocator().buffer(capacity: size + 64)
                try CompressionAlgorithm.deflate().decompressor.inflate(from: &data, to: &inflated)
                content = Array(inflated.readableBytesView)
            } else {
                content = Array(data.readableBytesView)
            }
            let check = content.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, uInt($0.count))) }
            guard content.count == size, check == crc else { throw Failure(description: "\(name): size or CRC does not match its directory entry") }
            out.append((name, content))
            at += 46 + nameLength + extra + comment
        }
        return out
    }
}
