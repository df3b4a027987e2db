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
}
