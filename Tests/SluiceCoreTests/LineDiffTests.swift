import SluiceCore
import Testing

@Suite("Line diff") struct LineDiffTests {
    @Test func unifiedDiffShowsChangedLinesWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n").replacingOccurrences(of: "line 10\n", with: "") + "line 11\n"
        let diff = LineDiff(from: old, to: new).unified(oldName: "a", newName: "b", context: 1)
        #expect(
            diff == """
                --- a
                +++ b
                @@ -4,3 +4,3 @@
                 line 4
                -line 5
                +line five
                 line 6
                @@ -9,2 +9,2 @@
                 line 9
                -line 10
                +line 11

                """)
        #expect(LineDiff(from: old, to: old).isEmpty)
        #expect(LineDiff(from: old, to: old).unified(oldName: "a", newName: "b") == "")
        let fromNothing = LineDiff(from: "", to: "x\n").unified(oldName: "/dev/null", newName: "b")
        #expect(fromNothing.contains("@@ -0,0 +1,1 @@\n+x"))
    }

    /// Every diff, applied to the old text, gives the new one: random edits of random texts.
    @Test func theDiffTakesTheOldTextToTheNew() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let old = (0..<Int.random(in: 0...30, using: &generator)).map { _ in "l\(Int.random(in: 0...6, using: &generator))" }
            var new = old
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                if !new.isEmpty, Bool.random(using: &generator) {
                    new.remove(at: Int.random(in: 0..<new.count, using: &generator))
                } else {
                    new.insert("n\(Int.random(in: 0...3, using: &generator))", at: Int.random(in: 0...new.count, using: &generator))
                }
            }
            let diff = LineDiff(from: old.map { $0 + "\n" }.joined(), to: new.map { $0 + "\n" }.joined())
            let kept = diff.lines.compactMap { line -> String? in
                switch line {
                case .same(let text), .added(let text): return text
                case .removed: return nil
                }
            }
            let before = diff.lines.compactMap { line -> String? in
                switch line {
                case .same(let text), .removed(let text): return text
                case .added: return nil
                }
            }
            #expect(kept == new && before == old)
        }
    }

    /// Two unrelated texts of 1 MiB (the most the admin API takes) differ in bounded time
    /// and memory: past the line limit they are shown as replaced whole.
    @Test func hugeTextsAreShownAsReplacedWhole() {
        let old = (0..<15_000).map { "old line \($0)\n" }.joined()
        let new = (0..<15_000).map { "new line \($0)\n" }.joined()
        let diff = LineDiff(from: old, to: new)
        #expect(diff.lines.count == 30_000)
        #expect(diff.lines.first == .removed("old line 0") && diff.lines.last == .added("new line 14999"))
    }
}
