/// A plain-text table whose columns line up in a terminal even with Chinese text,
/// which takes two columns per character.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    /// Cells hold text from the trail, the registry or a partner: one line each, with
    /// nothing a terminal would act on (``TerminalText``).
    mutating func append(_ row: String...) {
        rows.append(row.map { TerminalText.neutralised($0, keepingLineBreaks: false) })
    }

    func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in
            all.map { Self.displayWidth(of: column < $0.count ? $0[column] : "") }.max() ?? 0
        }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[column] - Self.displayWidth(of: cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Terminal columns a string occupies: East Asian wide and full-width characters take
    /// two, combining marks none.
    static func displayWidth(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            if scalar.properties.generalCategory == .nonspacingMark { return width }
            return width + (isWide(scalar.value) ? 2 : 1)
        }
    }

    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
            0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
