import Foundation

/// Messages for people that are not the command's result: problems, progress, summaries.
enum StandardError {
    static func print(_ line: String, terminator: String = "\n") {
        FileHandle.standardError.write(Data((TerminalText.neutralised(line) + terminator).utf8))
    }
}
