/// A link within the gateway: a fixed path and query parameters, each percent-encoded
/// (everything but the unreserved characters), so a value can never end the parameter,
/// start another, or change the path.
struct ConsoleLink: Sendable, CustomStringConvertible {
    var path: String
    var query: [(name: String, value: String)]

    init(_ path: String, _ query: [(name: String, value: String)] = []) {
        self.path = path
        self.query = query
    }

    /// A link within the console, keeping the page's language (Chinese needs no parameter).
    init(_ path: String, _ query: [(name: String, value: String)] = [], in language: ConsoleLanguage) {
        self.init(path, query + (language == .en ? [("lang", "en")] : []))
    }

    /// The same link with `name` set to `value` (or removed when nil).
    func setting(_ name: String, _ value: String?) -> ConsoleLink {
        var copy = self
        copy.query.removeAll { $0.name == name }
        if let value { copy.query.append((name, value)) }
        return copy
    }

    var description: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { Self.encoded($0.name) + "=" + Self.encoded($0.value) }.joined(separator: "&")
    }

    static func encoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension HTML.StringInterpolation {
    mutating func appendInterpolation(_ link: ConsoleLink) { appendInterpolation(link.description) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
