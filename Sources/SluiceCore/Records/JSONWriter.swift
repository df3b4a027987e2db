/// Writes ``RecordValue``s as compact JSON into a byte buffer, members in their order.
public enum JSONWriter {
    /// - Parameter sortingKeys: write every object's members in code-point order of their
    ///   keys, for canonical JSON (signed payloads); otherwise in their own order.
    public static func append(_ value: RecordValue, to out: inout [UInt8], sortingKeys: Bool = false) {
        var orders = KeyOrders()
        append(value, to: &out, sortingKeys: sortingKeys, orders: &orders)
    }

    public static func append(_ object: RecordObject, to out: inout [UInt8], sortingKeys: Bool = false) {
        var orders = KeyOrders()
        append(object, to: &out, sortingKeys: sortingKeys, orders: &orders)
    }

    private static func append(_ value: RecordValue, to out: inout [UInt8], sortingKeys: Bool, orders: inout KeyOrders) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): appendString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out, sortingKeys: sortingKeys, orders: &orders)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object): append(object, to: &out, sortingKeys: sortingKeys, orders: &orders)
        }
    }

    private static func append(_ object: RecordObject, to out: inout [UInt8], sortingKeys: Bool, orders: inout KeyOrders) {
        out.append(UInt8(ascii: "{"))
        let order = sortingKeys ? orders.sorted(object.keys) : Array(object.keys.indices)
        for (written, position) in order.enumerated() {
            if written > 0 { out.append(UInt8(ascii: ",")) }
            appendString(object.keys[position], to: &out)
            out.append(UInt8(ascii: ":"))
            append(object.values[position], to: &out, sortingKeys: sortingKeys, orders: &orders)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The code-point order of an object's keys, remembered for the last object of each
    /// size within one write: a package's records mostly share their keys, and sorting
    /// them once instead of once per record showed in the gateway's profile.
    private struct KeyOrders {
        private var bySize: [Int: (keys: [String], order: [Int])] = [:]

        mutating func sorted(_ keys: [String]) -> [Int] {
            if let known = bySize[keys.count], known.keys == keys { return known.order }
            let order = keys.indices.sorted { keys[$0].utf8.lexicographicallyPrecedes(keys[$1].utf8) }
            bySize[keys.count] = (keys, order)
            return order
        }
    }

    /// An integer of up to 64 bits in decimal, written without building a `String` first.
    public static func appendInteger(_ number: some BinaryInteger, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var rest = UInt64(number.magnitude)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { bytes in
            var index = bytes.count
            repeat {
                index -= 1
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index...]))
        }
    }

    /// RFC 8259 string escaping; non-ASCII text stays as UTF-8, readable in any editor.
    /// Looks for the bytes to escape eight at a time: most strings have none.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var runStart = 0
            var index = 0
            while index < count {
                if index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    let marks = ByteWord.matches(word, 0x22) | ByteWord.matches(word, 0x5C) | ByteWord.below(word, 0x20)
                    guard marks != 0 else {
                        index += 8
                        continue
                    }
                    index += ByteWord.firstMarked(marks)
                } else if !needsEscape(bytes[index]) {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscaped(bytes[index], to: &out)
                index += 1
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)]])
        }
    }
}
