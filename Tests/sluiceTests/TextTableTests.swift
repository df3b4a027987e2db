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
