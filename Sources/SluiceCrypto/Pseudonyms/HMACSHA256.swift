import CLibCrypto

/// HMAC-SHA-256 (RFC 2104) under one key, for MACs of many short messages.
///
/// The key's inner and outer pad blocks are hashed once; each MAC starts from copies of
/// those two SHA-256 states, so a message under 56 bytes costs two compressions and no
/// allocation; swift-crypto's `HMAC` copies its heap-held hash contexts on every use (the
/// end-to-end difference is in BENCHMARKS.md). Tested against swift-crypto.
struct HMACSHA256: @unchecked Sendable {
    // @unchecked: plain C structs of integers, never mutated after `init`.
    private let inner: SHA256_CTX
    private let outer: SHA256_CTX

    static let blockSize = 64
    static let byteCount = 32

    init(key: UnsafeRawBufferPointer) {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        if key.count > Self.blockSize {
            block.withUnsafeMutableBufferPointer { _ = CLibCrypto.SHA256(key.baseAddress, key.count, $0.baseAddress) }
        } else if let base = key.baseAddress {
            block.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(start: base, count: key.count)) }
        }
        var inner = SHA256_CTX()
        var outer = SHA256_CTX()
        SHA256_Init(&inner)
        SHA256_Init(&outer)
        var innerPad = block.map { $0 ^ 0x36 }
        var outerPad = block.map { $0 ^ 0x5C }
        SHA256_Update(&inner, innerPad, Self.blockSize)
        SHA256_Update(&outer, outerPad, Self.blockSize)
        // The key and its pads are not left behind in freed memory.
        for index in 0..<Self.blockSize {
            block[index] = 0
            innerPad[index] = 0
            outerPad[index] = 0
        }
        self.inner = inner
        self.outer = outer
    }

    /// Writes the 32-byte MAC of `message` to `code`.
    func authenticate(_ message: UnsafeRawBufferPointer, into code: UnsafeMutablePointer<UInt8>) {
        var context = inner
        SHA256_Update(&context, message.baseAddress, message.count)
        SHA256_Final(code, &context)
        context = outer
        SHA256_Update(&context, code, Self.byteCount)
        SHA256_Final(code, &context)
    }

    /// The 32-byte MAC of `message`.
    func authenticationCode(for message: some Sequence<UInt8>) -> [UInt8] {
        let bytes = Array(message)
        var code = [UInt8](repeating: 0, count: Self.byteCount)
        bytes.withUnsafeBytes { message in code.withUnsafeMutableBufferPointer { authenticate(message, into: $0.baseAddress!) } }
        return code
    }
}
