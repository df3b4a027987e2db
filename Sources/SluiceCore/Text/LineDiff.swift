/// The difference between two texts, line by line, as a unified diff: what an admin
/// reads before applying a new version of an agreement. Agreements are a few hundred
/// lines at most, so the longest common subsequence is found directly (quadratic).
public struct LineDiff: Sendable, Hashable {
    public enum Line: Sendable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    public let lines: [Line]

    public init(from old: String, to new: String) {
        let a = Self.split(old)
        let b = Self.split(new)
        // suffix[i][j]: length of the longest common subsequence of a[i...] and b[j...].
        var suffix = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                suffix[i][j] = a[i] == b[j] ? suffix[i + 1][j + 1] + 1 : max(suffix[i + 1][j], suffix[i][j + 1])
            }
        }
        var lines: [Line] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                lines.append(.same(a[i]))
                i += 1
                j += 1
            } else if i < a.count, j == b.count || suffix[i + 1][j] >= suffix[i][j + 1] {
                // Removals first, as diff tools show a replaced line.
                lines.append(.removed(a[i]))
                i += 1
            } else {
                lines.append(.added(b[j]))
                j += 1
            }
        }
        self.lines = lines
    }

    public var isEmpty: Bool {
        lines.allSatisfy { if case .same = $0 { return true } else { return false } }
    }

    /// Unified format with `context` unchanged lines around each change, headed by the
    /// two names; empty when the texts are the same.
    public func unified(oldName: String, newName: String, context: Int = 3) -> String {
        guard !isEmpty else { return "" }
        var output = ["--- \(oldName)", "+++ \(newName)"]
        let changed = lines.indices.filter { if case .same = lines[$0] { return false } else { return true } }
        // Group changes whose context windows touch into hunks.
        var hunks: [ClosedRange<Int>] = []
        for index in changed {
            let window = max(0, index - context)...min(lines.count - 1, index + context)
            if let last = hunks.last, window.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...window.upperBound
            } else {
                hunks.append(window)
            }
        }
        for hunk in hunks {
            var oldStart = 1
            var newStart = 1
            for line in lines[..<hunk.lowerBound] {
                switch line {
                case .same: oldStart += 1; newStart += 1
                case .removed: oldStart += 1
                case .added: newStart += 1
                }
            }
            let body = lines[hunk]
            let oldCount = body.filter { if case .added = $0 { return false } else { return true } }.count
            let newCount = body.filter { if case .removed = $0 { return false } else { return true } }.count
            output.append("@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@")
            for line in body {
                switch line {
                case .same(let text): output.append(" " + text)
                case .removed(let text): output.append("-" + text)
                case .added(let text): output.append("+" + text)
                }
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    private static func split(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
