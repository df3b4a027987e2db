import CZlib
import Foundation

/// Raw DEFLATE (RFC 1951), as JWE's `zip: DEF` uses it (RFC 7516 §4.1.3), through the
/// system zlib. Inflating stops at a hard limit, so a small envelope cannot expand into
/// gigabytes (a "zip bomb").
enum Deflate {
    /// zlib's fastest level: the gateway deflates every large package it seals, and on
    /// package JSON (measured on generated records) it runs about three times as fast as
    /// the default level for envelopes about 30 % larger.
    static let level = Z_BEST_SPEED

    static func compress(_ input: Data) throws -> Data {
        let stream = try DeflateStream(expectedInput: input.count)
        try input.withUnsafeBytes { try stream.append($0) }
        return try stream.finish()
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

/// Raw DEFLATE fed piece by piece, so content that is produced in pieces (a JWS being
/// encoded) is compressed without first being held whole.
final class DeflateStream {
    // zlib's state points back at its stream, which therefore must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    // Output in one malloc'd block grown with realloc: for large blocks the C library
    // remaps pages instead of copying, and pages not yet written take no memory.
    private var output: UnsafeMutableRawPointer
    private var capacity: Int
    private var produced = 0
    private var taken = false

    /// - Parameter expectedInput: sizes the first output block (a third of it, more than
    ///   package JSON deflates to); it grows when the content compresses worse.
    init(expectedInput: Int) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits -15: raw deflate, no zlib header or checksum.
        guard deflateInit2_(stream, Deflate.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            stream.deallocate()
            throw JOSEError.malformed("compression could not start")
        }
        capacity = max(1 << 12, expectedInput / 3)
        guard let block = malloc(capacity) else {
            deflateEnd(stream)
            stream.deallocate()
            throw JOSEError.tooLarge(limit: capacity)
        }
        output = block
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        if !taken { free(output) }
    }

    func append(_ input: UnsafeRawBufferPointer) throws {
        guard !input.isEmpty else { return }
        try run(input, flush: Z_NO_FLUSH)
    }

    func append(_ bytes: some Collection<UInt8>) throws {
        try Array(bytes).withUnsafeBytes { try append($0) }
    }

    /// Ends the stream and hands over everything it produced, without copying it.
    func finish() throws -> Data {
        precondition(!taken, "a deflate stream is finished once")
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        taken = true
        return Data(bytesNoCopy: output, count: produced, deallocator: .free)
    }

    private func run(_ input: UnsafeRawBufferPointer, flush: Int32) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {
            if produced == capacity {
                let grown = capacity + capacity / 2
                guard let block = realloc(output, grown) else { throw JOSEError.tooLarge(limit: grown) }
                output = block
                capacity = grown
            }
            stream.pointee.next_out = output.assumingMemoryBound(to: Bytef.self) + produced
            stream.pointee.avail_out = uInt(capacity - produced)
            let status = deflate(stream, flush)
            produced = capacity - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END: return
            case Z_OK, Z_BUF_ERROR:
                // Done with this piece once zlib took all of it and still had room to spare.
                if flush != Z_FINISH, stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 { return }
            default: throw JOSEError.malformed("compression failed")
            }
        }
    }
}
