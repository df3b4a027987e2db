extension String {
    /// The text of `bytes` if they are valid UTF-8, else nil — like
    /// `String(validating:as:)`, with all-ASCII input (most cells and JSON strings) taken
    /// as it is: the generic initialiser looks up its metadata at run time, which cost
    /// more than decoding a short value.
    public init?(validatingUTF8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 {
            self = String(decoding: bytes, as: UTF8.self)
        } else {
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            self = text
        }
    }
}
