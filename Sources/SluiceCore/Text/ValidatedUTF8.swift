import Foundation

extension String {
    /// The text of `bytes` if they are valid UTF-8, else nil — like
    /// `String(validating:as:)`, which is generic and looks up its metadata at run time on
    /// every call: that cost more than decoding a short value. All-ASCII input (most cells
    /// and JSON strings) is taken as it is; other input is decoded with the specialised
    /// repairing decoder, and it was valid exactly when nothing was repaired, that is
    /// when the result's bytes are the input's.
    public init?(validatingUTF8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        var text = String(decoding: bytes, as: UTF8.self)
        if high >= 0x80 {
            // memcmp, not `elementsEqual`, which stepped through the bytes one by one (a
            // profile of the gateway put the comparison at a third of this initialiser).
            let unchanged = text.withUTF8 { decoded in
                decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            guard unchanged else { return nil }
        }
        self = text
    }
}
