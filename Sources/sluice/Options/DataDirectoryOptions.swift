import ArgumentParser
import Foundation
import Yams

/// `--data-dir`: where the gateway keeps its private keys and database.
///
/// Resolved in this order: the flag, `SLUICE_DATA_DIR`, `data_dir` in `./sluice.yaml`,
/// and finally `.sluice` under the current directory.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Gateway state folder (default: $SLUICE_DATA_DIR, sluice.yaml data_dir, or .sluice).")
    var dataDirectory: String?

    static let defaultDirectory = ".sluice"
    static let environmentVariable = "SLUICE_DATA_DIR"
    static let configurationFile = "sluice.yaml"

    func resolved(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let dataDirectory { return dataDirectory }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        if let fromFile = try Self.dataDirectoryInConfigurationFile() { return fromFile }
        return Self.defaultDirectory
    }

    private static func dataDirectoryInConfigurationFile() throws -> String? {
        guard let data = FileManager.default.contents(atPath: configurationFile) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        do {
            return try Yams.compose(yaml: text)?.mapping?["data_dir"]?.scalar?.string
        } catch {
            throw CommandFailure.input("\(configurationFile) is not valid YAML; fix it or pass --data-dir")
        }
    }
}
