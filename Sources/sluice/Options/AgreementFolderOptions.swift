import ArgumentParser
import SluiceCore

/// Where agreements and the agency registry are read from.
struct AgreementFolderOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "Folder of agreement files.")
    var directory: String = AgreementCatalog.defaultFolder

    @Option(name: .customLong("agencies"), help: "Agency registry (default: agencies.yaml in the folder).")
    var registry: String?

    func load() -> AgreementCatalog {
        AgreementCatalog.load(paths: [directory], registryPath: registry)
    }
}
