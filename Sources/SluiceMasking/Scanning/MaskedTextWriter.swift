/// Masked text as it is written: bytes into memory the caller sized, without the
/// uniqueness and capacity checks of an array append (a masked note is mostly a few
/// dozen short appends, and those checks showed in every profile of free-text masking).
struct MaskedTextWriter {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private(set) var count = 0

    /// Writes into `buffer`, which must hold everything that will be appended.
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    /// The most a text of `count` bytes can grow to when masked. Masks are never longer
    /// than what they replace, except two: an e-mail's mask keeps one character of the
    /// local part and adds three stars (at most 3 bytes more for at least 6 bytes, "a@b.cn"),
    /// and a landline's adds a hyphen after the area code (1 byte more for at least 10).
    static func capacity(forMasking count: Int) -> Int { count + count / 2 + 4 }

    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always) mutating func append(_ byte: UInt8) {
        precondition(count < capacity, "masked text outgrew its bound")
        base[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        precondition(count + bytes.count <= capacity, "masked text outgrew its bound")
        (base + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    @inline(__always) mutating func append(_ byte: UInt8, times: Int) {
        guard times > 0 else { return }
        precondition(count + times <= capacity, "masked text outgrew its bound")
        (base + count).update(repeating: byte, count: times)
        count += times
    }
}
