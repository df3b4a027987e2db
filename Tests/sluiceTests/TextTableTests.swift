import Foundation
import Testing

@testable import sluice

@Suite struct TextTableTests {
    @Test func chineseTakesTwoColumns() {
        #expect(TextTable.displayWidth(of: "abc") == 3)
        #expect(TextTable.displayWidth(of: "户籍信息核查") == 12)
        #expect(TextTable.displayWidth(of: "《刑事诉讼法》") == 14)
    }

    @Test func columnsLineUpWithMixedScripts() {
        var table = TextTable("ID", "TITLE", "N")
        table.append("a", "户籍", "1")
        table.append("bbbb", "x", "22")
        let lines = table.render().split(separator: "\n").map(String.init)
        let positions = lines.map { line in TextTable.displayWidth(of: String(line.dropLast(line.hasSuffix("22") ? 2 : 1))) }
        #expect(Set(positions).count == 1)
    }
}

/// Untrusted text reaches the terminal with what could drive it made visible.
@Suite struct TerminalTextTests {
    @Test func controlsEscapesAndDirectionOverridesAreShownNotObeyed() {
        let hostile = "a\u{1B}[2Jb\u{9B}c\u{202E}d\u{2066}e\u{7F}f\u{200F}g"
        let shown = TerminalText.neutralised(hostile)
        #expect(!shown.unicodeScalars.contains(where: TerminalText.acts))
        #expect(shown == #"a\u{1B}[2Jb\u{9B}c\u{202E}d\u{2066}e\u{7F}f\u{200F}g"#)
        #expect(TerminalText.neutralised("两行\n文字") == "两行\n文字")
        #expect(TerminalText.neutralised("两行\n文字", keepingLineBreaks: false) == #"两行\u{A}文字"#)
        #expect(TerminalText.neutralised("江东区人民检察院 ok") == "江东区人民检察院 ok")
        var table = TextTable("NAME")
        table.append("x\u{1B}]0;title\u{7}\ny")
        let lines = table.render().split(separator: "\n")
        #expect(lines.count == 2, "a cell's line break does not start a row")
        #expect(!lines.contains { $0.unicodeScalars.contains(where: TerminalText.acts) })
    }

    @Test func jsonStaysTheSameValue() throws {
        let json = #"{"reason":"a\#u{9B}b\#u{202E}c"}"#
        let safe = TerminalText.jsonSafe(json)
        #expect(!safe.unicodeScalars.contains(where: TerminalText.acts))
        let before = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        let after = try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: String]
        #expect(before == after)
    }
}
