import CZlib
import Foundation

/// Raw DEFLATE (RFC 1951), as JWE's `zip: DEF` uses it (RFC 7516 §4.1.3), through the
/// system zlib. Inflating stops at a hard limit, so a small envelope cannot expand into
/// gigabytes (a "zip bomb").
enum Deflate {
    static func compress(_ input: Data) throws -> Data {
        var stream = z_stream()
        // windowBits -15: raw deflate, no zlib header or checksum.
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw JOSEError.malformed("compression could not start") }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(input.count))))
        let produced: Int = try input.withUnsafeBytes { source in
            try output.withUnsafeMutableBytes { target in
                stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { throw JOSEError.malformed("compression failed") }
                return target.count - Int(stream.avail_out)
            }
        }
        output.count = produced
        return output
    }

    /// Inflates `input`, refusing output beyond `limit` bytes.
    static func decompress(_ input: Data, limit: Int) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw JOSEError.malformed("decompression could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try input.withUnsafeBytes { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else { throw JOSEError.tooLarge(limit: limit) }
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END { return }
                guard status == Z_OK, produced > 0 || stream.avail_in > 0 else {
                    throw JOSEError.malformed("the compressed content is corrupt")
                }
            }
        }
        return output
    }
}
