import Foundation

/// Messages for people that are not the command's result: problems, progress, summaries.
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
