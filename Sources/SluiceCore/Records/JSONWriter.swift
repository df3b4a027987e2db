import Foundation

/// Writes ``RecordValue``s as compact JSON into a byte buffer, members in their order.
public enum JSONWriter {
    /// - Parameter sortingKeys: write every object's members in code-point order of their
    ///   keys, for canonical JSON (signed payloads); otherwise in their own order.
    public static func append(_ value: RecordValue, to out: inout [UInt8], sortingKeys: Bool = false) {
        var orders = KeyOrders()
        write(value, to: &out, sortingKeys: sortingKeys, orders: &orders)
    }

    public static func append(_ object: RecordObject, to out: inout [UInt8], sortingKeys: Bool = false) {
        append(.object(object), to: &out, sortingKeys: sortingKeys)
    }

    /// The value as JSON in `Data`, written in place: for a large value (a package's
    /// payload) whose bytes go on to be signed and encrypted.
    /// - Parameter expectedBytes: about how long the JSON will be, so the buffer is not
    ///   regrown and copied on the way.
    public static func data(_ value: RecordValue, sortingKeys: Bool = false, expectedBytes: Int = 0) -> Data {
        var output = JSONWriteBuffer(capacity: expectedBytes)
        var orders = KeyOrders()
        write(value, to: &output, sortingKeys: sortingKeys, orders: &orders)
        return output.data()
    }

    private static func write<Sink: JSONSink & ~Copyable>(_ value: RecordValue, to out: inout Sink, sortingKeys: Bool, orders: inout KeyOrders) {
        switch value {
        case .null: out.append("null")
        case .bool(let flag): out.append(flag ? "true" : "false")
        case .number(let text):
            var text = text
            text.withUTF8 { out.append($0) }
        case .string(let text): writeString(text, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(item, to: &out, sortingKeys: sortingKeys, orders: &orders)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object): write(object, to: &out, sortingKeys: sortingKeys, orders: &orders)
        }
    }

    private static func write<Sink: JSONSink & ~Copyable>(_ object: RecordObject, to out: inout Sink, sortingKeys: Bool, orders: inout KeyOrders) {
        out.append(UInt8(ascii: "{"))
        let order = sortingKeys ? orders.sorted(object.keys) : Array(object.keys.indices)
        for (written, position) in order.enumerated() {
            if written > 0 { out.append(UInt8(ascii: ",")) }
            writeString(object.keys[position], to: &out)
            out.append(UInt8(ascii: ":"))
            write(object.values[position], to: &out, sortingKeys: sortingKeys, orders: &orders)
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
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        writeString(text, to: &out)
    }

    /// Looks for the bytes to escape eight at a time: most strings have none, and are
    /// written quotes and all in one step.
    private static func writeString<Sink: JSONSink & ~Copyable>(_ text: String, to out: inout Sink) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                out.append("\"\"")
                return
            }
            let count = bytes.count
            var index = 0
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if ByteWord.matches(word, 0x22) | ByteWord.matches(word, 0x5C) | ByteWord.below(word, 0x20) != 0 { break }
                index += 8
            }
            while index < count, !needsEscape(bytes[index]) { index += 1 }
            if index == count {
                out.appendQuoted(bytes)
                return
            }
            out.append(UInt8(ascii: "\""))
            var runStart = 0
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
                out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscaped(bytes[index], to: &out)
                index += 1
                runStart = index
            }
            out.append(UnsafeBufferPointer(rebasing: bytes[runStart..<count]))
            out.append(UInt8(ascii: "\""))
        }
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    private static func writeEscaped<Sink: JSONSink & ~Copyable>(_ byte: UInt8, to out: inout Sink) {
        switch byte {
        case 0x22: out.append("\\\"")
        case 0x5C: out.append("\\\\")
        case 0x0A: out.append("\\n")
        case 0x0D: out.append("\\r")
        case 0x09: out.append("\\t")
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append("\\u00")
            out.append(hex.utf8Start[Int(byte >> 4)])
            out.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}
