import Foundation

/// `--json` output: stable key order and human-readable layout, one document on stdout.
enum JSONOutput {
    enum Stream { case standardOutput, standardError }

    static func print(_ value: some Encodable, to stream: Stream = .standardOutput) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = TerminalText.jsonSafe(String(decoding: try encoder.encode(value), as: UTF8.self))
        switch stream {
        case .standardOutput: Swift.print(text)
        case .standardError: StandardError.print(text)
        }
    }
}
