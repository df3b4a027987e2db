import Foundation

/// The bytes ``JSONWriter`` is writing: a buffer it owns and grows by doubling, written
/// through a pointer. An array's `append` checks uniqueness and capacity on every call,
/// and a record's JSON is a few dozen short appends: in the gateway's profile those
/// checks, not the copying, took most of the time spent writing a package's payload.
struct JSONWriteBuffer: JSONSink, ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// Makes room for `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.initialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = larger
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (start + count).initialize(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Writes `text` between quotes, as is, when the caller knows it needs no escaping.
    @inline(__always)
    mutating func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count + 2)
        start[count] = 0x22
        if let base = bytes.baseAddress { (start + count + 1).initialize(from: base, count: bytes.count) }
        start[count + 1 + bytes.count] = 0x22
        count += bytes.count + 2
    }

    /// The bytes as `Data`, without copying them: the buffer moves into it.
    consuming func data() -> Data {
        let data = Data(bytesNoCopy: start, count: count, deallocator: .custom { pointer, _ in pointer.deallocate() })
        discard self
        return data
    }
}

/// Where ``JSONWriter`` writes: its own ``JSONWriteBuffer`` for a large value, or the caller's
/// byte array for the many small ones (audit entries, headers) written into a larger one.
protocol JSONSink: ~Copyable {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>)
    /// `bytes` between quotes, for text that needs no escaping.
    mutating func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>)
}

extension JSONSink where Self: ~Copyable {
    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

extension Array: JSONSink where Element == UInt8 {
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: bytes)
    }

    mutating func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>) {
        // No reserveCapacity: it grows to exactly what is asked, and called once per
        // string it would copy the whole array again and again.
        append(0x22)
        append(contentsOf: bytes)
        append(0x22)
    }
}
