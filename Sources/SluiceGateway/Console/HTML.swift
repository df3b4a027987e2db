/// A piece of HTML whose every interpolated string is escaped: markup comes only from
/// literals in this module's source, so nothing an entry, a filter or a caller holds can
/// open a tag, end an attribute or start a script.
struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral markup: String) {
        text = markup
    }

    init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
    }

    var description: String { text }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate(set) var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ markup: String) { text += markup }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: Substring) { text += HTML.escape(String(value)) }
        mutating func appendInterpolation(_ value: HTML) { text += value.text }
        mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
        mutating func appendInterpolation<Number: BinaryInteger>(_ value: Number) { text += String(value) }
        mutating func appendInterpolation(_ value: Double) { text += String(value) }
    }

    /// Text for an element's content or a quoted attribute value. Controls other than tab
    /// and newline become U+FFFD; so do the bidirectional overrides and isolates, which
    /// could make an identifier read as another one on screen.
    static func escape(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                out.unicodeScalars.append("\u{FFFD}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
