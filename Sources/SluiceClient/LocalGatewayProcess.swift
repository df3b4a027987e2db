import Foundation

/// A `sluice serve` started as a child process on a free loopback port, for the demo and
/// the load benchmark: started, its URL read from the line it prints once it accepts
/// connections, and stopped with SIGTERM (it then signs its final checkpoint).
public final class LocalGatewayProcess {
    public let url: String
    private let process: Process

    /// The gateway's process id, for reading what it used (a benchmark reads its CPU time).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Starts `executable serve` in `folder` (after `sluice init` there) and waits for its
    /// URL; its log (standard error) goes to `logFile` when one is given. A `launcher`
    /// (a command that ends by running its arguments, such as `unshare`) runs it.
    public init(executable: String, folder: String, extraArguments: [String] = [], logFile: String? = nil, launcher: [String] = []) throws {
        process = Process()
        let command = launcher + [executable, "serve", "--listen", "127.0.0.1:0"] + extraArguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        if let logFile {
            FileManager.default.createFile(atPath: logFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: logFile) ?? FileHandle.nullDevice
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        var seen = Data()
        while true {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.terminate()
                throw GatewayClientError(status: nil, problemType: nil, detail: "the gateway did not start in \(folder)")
            }
            seen += chunk
            if let line = String(decoding: seen, as: UTF8.self).split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                url = String(line.dropFirst("listening on ".count))
                return
            }
        }
    }

    /// SIGTERM, then waits; the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Runs another command of the same program in `folder` to its end: its exit status and
    /// what it printed (standard output and error together).
    public static func run(_ executable: String, _ arguments: [String], in folder: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
