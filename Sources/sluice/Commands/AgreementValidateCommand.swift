import ArgumentParser
import Foundation
import SluiceCore

/// `sluice agreement validate [PATH…]`: every problem in every file, each on one line
/// with file, line and column; exit 0 when all are valid, 2 otherwise.
struct AgreementValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check agreement files and report every problem with its file and line."
    )

    @Argument(help: "Agreement files or folders.")
    var paths: [String] = [AgreementCatalog.defaultFolder]

    @Option(name: .customLong("agencies"), help: "Agency registry (default: agencies.yaml beside the first path).")
    var registry: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Report: Encodable {
        var valid: Bool
        var agreements: [String]
        var problems: [Diagnostic]
    }

    func run() throws {
        let catalog = AgreementCatalog.load(paths: paths, registryPath: registry)
        let problems = catalog.diagnostics
        if json {
            try JSONOutput.print(
                Report(valid: problems.isEmpty, agreements: catalog.agreements.map(\.agreement.id), problems: problems))
        } else {
            var sources = SourceExcerpts()
            for problem in problems {
                StandardError.print(problem.description)
                if let excerpt = sources.excerpt(at: problem.location) { StandardError.print(excerpt) }
            }
            let count = catalog.agreements.count
            if problems.isEmpty {
                print(
                    "\(count) agreement\(count == 1 ? "" : "s") valid"
                        + (catalog.registry.map { ", \($0.agencies.count) agencies in \($0.file)" } ?? ""))
            } else {
                let files = Set(problems.map(\.location.file)).count
                StandardError.print(
                    "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
            }
        }
        if !problems.isEmpty { throw CommandFailure(message: "", exitCode: 2) }
    }
}

/// The offending line of a file with a caret under the column, as compilers show it.
struct SourceExcerpts {
    private var lines: [String: [Substring]] = [:]

    mutating func excerpt(at location: SourceLocation) -> String? {
        if lines[location.file] == nil {
            let data = FileManager.default.contents(atPath: location.file) ?? Data()
            lines[location.file] = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        }
        guard let fileLines = lines[location.file], location.line >= 1, location.line <= fileLines.count else { return nil }
        let text = fileLines[location.line - 1]
        guard !text.allSatisfy(\.isWhitespace) else { return nil }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let lead = text.unicodeScalars.prefix(max(0, location.column - 1)).map { String($0) }.joined()
        let pad = String(repeating: " ", count: TextTable.displayWidth(of: lead))
        return " \(number) | \(text)\n \(gutter) | \(pad)^"
    }
}
