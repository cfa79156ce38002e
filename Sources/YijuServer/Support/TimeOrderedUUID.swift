import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
    /// rest random. Rows inserted one after another then land side by side in every index on
    /// their id (and on ids that refer to them, such as a case event's case), where random
    /// version 4 ids put each insert on a page of its own: as the cases table outgrew SQLite's
    /// page cache, intake read index pages back from the file for nearly every case.
    ///
    /// The random bits come from the system's generator (getrandom), not from `UUID()`, which
    /// on Linux opens, reads and closes /dev/urandom for every id: three system calls of the
    /// intake writer's own thread for each case and each of its events.
    static func timeOrdered(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var random = SystemRandomNumberGenerator()
        var bytes = UUID.bytes(high: random.next(), low: random.next())
        bytes.0 = UInt8(truncatingIfNeeded: milliseconds >> 40)
        bytes.1 = UInt8(truncatingIfNeeded: milliseconds >> 32)
        bytes.2 = UInt8(truncatingIfNeeded: milliseconds >> 24)
        bytes.3 = UInt8(truncatingIfNeeded: milliseconds >> 16)
        bytes.4 = UInt8(truncatingIfNeeded: milliseconds >> 8)
        bytes.5 = UInt8(truncatingIfNeeded: milliseconds)
        bytes.6 = (bytes.6 & 0x0F) | 0x70
        bytes.8 = (bytes.8 & 0x3F) | 0x80
        return UUID(uuid: bytes)
    }

    /// The bytes of 128 random bits, most significant first.
    private static func bytes(high: UInt64, low: UInt64) -> uuid_t {
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            buffer.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return bytes
    }
}
