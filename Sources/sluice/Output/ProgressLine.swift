import Foundation
import Synchronization

/// A one-line progress indicator on standard error, drawn only when it is a terminal.
final class ProgressLine: Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private let drawn = Mutex(false)

    init(label: String) {
        self.label = label
    }

    func update(done: UInt64, total: UInt64) {
        guard enabled, total > 0 else { return }
        let percent = min(100, done * 100 / total)
        let width: UInt64 = 30
        let filled = Int(percent * width / 100)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: Int(width) - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)%  \(done)/\(total)".utf8))
        drawn.withLock { $0 = true }
    }

    func finish() {
        guard drawn.withLock({ $0 }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn.withLock { $0 = false }
    }
}
