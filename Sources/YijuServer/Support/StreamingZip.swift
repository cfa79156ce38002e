import CCompressZlib
import CompressNIO
import NIOCore
import YijuCore

/// A ZIP archive written front to back as its entries' content arrives: each entry is
/// deflated as it is written and followed by a data descriptor (general purpose bit 3,
/// APPNOTE 4.3.9), so nothing is held but the compressor's window and the central
/// directory, and the first bytes can go out before the last rows are read.
///
/// Written here rather than with ZIPFoundation: its `Archive` seeks back to put each
/// entry's sizes in its local header, which a response already on its way cannot do. The
/// container is a few fixed headers; the deflate is compress-nio's and the CRC zlib's.
/// Without ZIP64, an entry or the archive is limited to 4 GiB (refused, not truncated).
final class StreamingZip {
    private struct Entry {
        let name: [UInt8]
        let offset: UInt64
        var crc: UInt = 0
        var size: UInt64 = 0
        var compressed: UInt64 = 0
        let compressor: any NIOCompressor
    }

    private var written: UInt64 = 0
    private var directory = ByteBuffer()
    private var count = 0
    private var entry: Entry?
    private let allocator = ByteBufferAllocator()

    static let tooLarge = DomainError(.tooLarge, code: "export_too_large", message: "the export is larger than 4 GiB; narrow the filter")

    /// Starts an entry; returns its local header.
    func begin(_ name: String) throws -> ByteBuffer {
        let compressor = CompressionAlgorithm.deflate().compressor
        try compressor.startStream()
        entry = Entry(name: Array(name.utf8), offset: written, compressor: compressor)
        var header = allocator.buffer(capacity: 30 + name.utf8.count)
        // Version 2.0, data descriptor and UTF-8 name, deflate, 1980-01-01 00:00; CRC and sizes follow the data.
        header.writeInteger(UInt32(0x0403_4B50), endianness: .little)
        header.writeIntegers(20, 0x0808, 8, 0, 0x21, as: UInt16.self)
        header.writeIntegers(0, 0, 0, as: UInt32.self)
        header.writeIntegers(UInt16(name.utf8.count), 0, as: UInt16.self)
        header.writeBytes(name.utf8)
        return emit(header)
    }

    /// Deflates part of the current entry's content; returns what the compressor let out.
    func write(_ content: inout ByteBuffer) throws -> ByteBuffer {
        guard var current = entry else { throw DomainError.internalError }
        current.size += UInt64(content.readableBytes)
        current.crc = content.withUnsafeReadableBytes { bytes in
            crc32(current.crc, bytes.bindMemory(to: Bytef.self).baseAddress, uInt(bytes.count))
        }
        var out = allocator.buffer(capacity: current.compressor.maxSize(from: content))
        // zlib may let out more than this input's bound (what it held back before): room is
        // added until the input is all taken in.
        while content.readableBytes > 0 {
            do {
                try current.compressor.streamDeflate(from: &content, to: &out, flush: .no)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                out.reserveCapacity(minimumWritableBytes: 64 * 1024)
            }
        }
        current.compressed += UInt64(out.readableBytes)
        entry = current
        return emit(out)
    }

    /// Ends the current entry: the compressor's rest, then the data descriptor.
    func end() throws -> ByteBuffer {
        guard var current = entry else { throw DomainError.internalError }
        var out = allocator.buffer(capacity: 64 * 1024)
        while true {
            do {
                try current.compressor.finishDeflate(to: &out)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                out.reserveCapacity(minimumWritableBytes: 64 * 1024)
            }
        }
        try current.compressor.finishStream()
        current.compressed += UInt64(out.readableBytes)
        guard current.size <= UInt32.max, current.compressed <= UInt32.max, current.offset <= UInt32.max else { throw Self.tooLarge }
        out.writeInteger(UInt32(0x0807_4B50), endianness: .little)
        out.writeIntegers(UInt32(current.crc), UInt32(current.compressed), UInt32(current.size), as: UInt32.self)

        directory.writeInteger(UInt32(0x0201_4B50), endianness: .little)
        directory.writeIntegers(20, 20, 0x0808, 8, 0, 0x21, as: UInt16.self)
        directory.writeIntegers(UInt32(current.crc), UInt32(current.compressed), UInt32(current.size), as: UInt32.self)
        directory.writeIntegers(UInt16(current.name.count), 0, 0, 0, 0, as: UInt16.self)
        directory.writeIntegers(0, UInt32(current.offset), as: UInt32.self)
        directory.writeBytes(current.name)
        count += 1
        entry = nil
        return emit(out)
    }

    /// A whole entry at once (the workbook's small parts).
    func add(_ name: String, _ text: String) throws -> ByteBuffer {
        var out = try begin(name)
        var content = allocator.buffer(string: text)
        var compressed = try write(&content)
        out.writeBuffer(&compressed)
        var rest = try end()
        out.writeBuffer(&rest)
        return out
    }

    /// The central directory and its end record: the archive's last bytes.
    func finish() throws -> ByteBuffer {
        let start = written
        var out = directory
        guard start <= UInt32.max, count <= UInt16.max else { throw Self.tooLarge }
        out.writeInteger(UInt32(0x0605_4B50), endianness: .little)
        out.writeIntegers(0, 0, UInt16(count), UInt16(count), as: UInt16.self)
        out.writeIntegers(UInt32(directory.readableBytes), UInt32(start), as: UInt32.self)
        out.writeInteger(UInt16(0), endianness: .little)
        return emit(out)
    }

    private func emit(_ bytes: ByteBuffer) -> ByteBuffer {
        written += UInt64(bytes.readableBytes)
        return bytes
    }
}

private extension ByteBuffer {
    mutating func writeIntegers<T: FixedWidthInteger>(_ values: T..., as: T.Type) {
        for value in values { writeInteger(value, endianness: .little) }
    }
}
