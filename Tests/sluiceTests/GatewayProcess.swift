import Foundation
import SluiceClient

/// A real `sluice serve` in a throw-away folder (after `sluice init`), on a free port,
/// reached with curl and the development certificates, as a partner would.
/// Unchecked: every stored property is set in `init` and only read afterwards.
final class GatewayProcess: @unchecked Sendable {
    let folder: String
    let url: String
    private let gateway: LocalGatewayProcess

    /// - Parameters:
    ///   - configuration: the text of a `sluice.yaml` for the gateway, if any.
    ///   - launcher: a command that runs `sluice serve` (its arguments), if not run directly.
    ///   - initArguments: more arguments for `sluice init` (`--gm`).
    init(configuration: String? = nil, launcher: [String] = [], initArguments: [String] = []) throws {
        folder = try SluiceProcess.temporaryFolder()
        try FileManager.default.copyItem(atPath: SluiceProcess.repositoryRoot + "/Agreements", toPath: folder + "/Agreements")
        if let configuration { try configuration.write(toFile: folder + "/sluice.yaml", atomically: true, encoding: .utf8) }
        let initialised = try SluiceProcess.run(SluiceProcess.executable, ["init"] + initArguments, in: folder)
        guard initialised.status == 0 else { throw Failure(message: "init failed: \(initialised.stderr)") }
        gateway = try LocalGatewayProcess(executable: SluiceProcess.executable, folder: folder, logFile: folder + "/serve.log", launcher: launcher)
        url = gateway.url
    }

    struct Failure: Error { var message: String }

    /// What the gateway has logged so far.
    var log: String { (try? String(contentsOfFile: folder + "/serve.log", encoding: .utf8)) ?? "" }

    /// curl as `agency` (its development client certificate), or with no certificate.
    func curl(as agency: String?, _ arguments: [String]) throws -> (status: Int, body: String) {
        var options = ["-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", folder + "/Certs/dev-ca.pem"]
        if let agency {
            options += ["--cert", folder + "/Certs/agencies/\(agency).pem", "--key", folder + "/.sluice/keys/agencies/\(agency).key.pem"]
        }
        return try curl(options + arguments)
    }

    func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let result = try SluiceProcess.run("/usr/bin/curl", arguments, in: folder)
        let text = result.stdout
        guard let split = text.lastIndex(of: "\n") else { return (Int(text) ?? 0, "") }
        return (Int(text[text.index(after: split)...]) ?? 0, String(text[..<split]))
    }

    /// The gateway's process id (the launcher's, which became the gateway).
    var processIdentifier: Int32 { gateway.processIdentifier }

    var port: String { String(url.split(separator: ":").last ?? "") }

    /// The raw-socket helper (Helpers/raw_client.py), for what curl will not do.
    func raw(_ arguments: [String]) throws -> String {
        let helper = SluiceProcess.repositoryRoot + "/Tests/sluiceTests/Helpers/raw_client.py"
        // The python3 on PATH: the one `.ci/run` installs the test packages into.
        let result = try SluiceProcess.run("/usr/bin/env", ["python3", helper] + arguments, in: folder)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + result.stderr
    }

    /// Sends `request` (raw HTTP/1.1 bytes) over TLS as `agency`: the status line, or CLOSED.
    func rawRequest(as agency: String, _ request: String, trickle: Double? = nil, from start: Int = 0) throws -> String {
        let file = folder + "/raw-\(UUID().uuidString).http"
        try request.write(toFile: file, atomically: true, encoding: .utf8)
        return try raw(
            [
                "send", "127.0.0.1", port, folder + "/Certs/dev-ca.pem", folder + "/Certs/agencies/\(agency).pem",
                folder + "/.sluice/keys/agencies/\(agency).key.pem", file,
            ] + (trickle.map { ["--trickle", String($0), "--from", String(start)] } ?? []))
    }

    /// The whole audit trail as exported (JSON lines), read by the host admin's CLI.
    func exportedTrail() throws -> String {
        try SluiceProcess.run(SluiceProcess.executable, ["audit", "export", "--format", "jsonl"], in: folder).stdout
    }

    /// The exported trail, or empty when it cannot be read.
    var exportedTrailText: String { (try? exportedTrail()) ?? "" }

    /// Sends SIGTERM and waits: the gateway's exit status.
    func stop() -> Int32 { gateway.stop() }

    deinit {
        gateway.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
