/// The difference between two texts, line by line, as a unified diff: what an admin
/// reads before applying a new version of an agreement. The standard library's
/// `difference(from:)` finds it (Myers: time and memory grow with the lines changed, not
/// with the square of the lengths); past ``maximumLines`` lines in all, a replacement of
/// the whole text is shown instead, so no document an admin sends can make the diff
/// itself the cost.
public struct LineDiff: Sendable, Hashable {
    public enum Line: Sendable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    public let lines: [Line]
    /// Old and new lines together beyond which the texts are shown as replaced whole.
    public static let maximumLines = 20_000

    public init(from old: String, to new: String) {
        let a = Self.split(old)
        let b = Self.split(new)
        guard a.count + b.count <= Self.maximumLines else {
            lines = a.map(Line.removed) + b.map(Line.added)
            return
        }
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var lines: [Line] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            // Removals first, as diff tools show a replaced line.
            if i < a.count, removed.contains(i) {
                lines.append(.removed(a[i]))
                i += 1
            } else if j < b.count, inserted.contains(j) {
                lines.append(.added(b[j]))
                j += 1
            } else {
                lines.append(.same(b[j]))
                i += 1
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
                case .same:
                    oldStart += 1
                    newStart += 1
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
