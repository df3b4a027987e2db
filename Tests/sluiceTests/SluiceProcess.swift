import Foundation

/// Runs the built `sluice` executable (or another program) and captures what it printed,
/// so tests check exit codes and output exactly as a user sees them.
struct SluiceProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The `sluice` binary built beside this test bundle, or the one `SLUICE_EXECUTABLE`
    /// names (to run these tests against another build, an older one say).
    static var executable: String {
        if let other = ProcessInfo.processInfo.environment["SLUICE_EXECUTABLE"], !other.isEmpty { return other }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("sluice").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return repositoryRoot + "/.build/debug/sluice"
    }

    static func sluice(_ arguments: String..., in directory: String = repositoryRoot) throws -> Result {
        try run(executable, arguments, in: directory)
    }

    static func run(
        _ program: String, _ arguments: [String], in directory: String = repositoryRoot, environment extra: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SLUICE_DATA_DIR")
        environment.removeValue(forKey: "SLUICE_PROFILE")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a chatty child never blocks on a full pipe.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "sluice-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The first of the usual places that holds `name`, for tools such as openssl.
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
