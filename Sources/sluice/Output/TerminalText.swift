import Foundation

/// Text from the trail, the registry or a partner, made safe to show in a terminal.
///
/// Such text can hold anything its author typed: an escape sequence that clears the
/// screen or rewrites earlier lines, a C1 control some terminals obey, a bidirectional
/// override that makes `revoked` read as something else. Each of those is shown as a
/// visible escape instead (`\u{1B}`), so the reader sees that it was there.
enum TerminalText {
    /// Whether the scalar could act on a terminal rather than be shown: C0 and C1 controls,
    /// DEL, and the bidirectional formatting characters (embeddings, overrides, isolates
    /// and the implicit marks).
    static func acts(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// `text` with every such scalar written as `\u{…}`; line breaks (and tabs) kept when
    /// `keepingLineBreaks`, as a message of several lines needs them.
    static func neutralised(_ text: String, keepingLineBreaks: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: acts) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if acts(scalar), !(keepingLineBreaks && (scalar == "\n" || scalar == "\t")) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// JSON text with the same scalars written as JSON escapes (`\u001b`): the same value
    /// for a program, nothing a terminal acts on. Control characters below U+0020 are
    /// escaped by every JSON writer already; DEL, C1 and the bidi controls are not.
    static func jsonSafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: acts) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if acts(scalar), scalar != "\n" {
                out.append(contentsOf: String(format: "\\u%04x", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether standard output is a terminal: data written there whole (records, exact
    /// entries) is made `jsonSafe` only then; to a file or a pipe it goes byte for byte.
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}

/// Every line this command-line tool prints for people goes through here, so no command
/// can forget: text from the trail, the registry or a partner reaches the terminal with
/// what could drive it made visible (``TerminalText``).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.neutralised(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
