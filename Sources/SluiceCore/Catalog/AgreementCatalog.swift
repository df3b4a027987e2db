import Foundation

/// The agreements and the agency registry of an `Agreements/` folder, read from disk and
/// checked together: every file on its own, then ids that two files both claim.
public struct AgreementCatalog: Sendable {
    public var registry: AgencyRegistry?
    public var agreements: [LocatedAgreement]
    /// Every problem found in any file, in file order.
    public var diagnostics: [Diagnostic]

    /// The name of the registry file inside an agreements folder.
    public static let registryFileName = "agencies.yaml"
    /// Where the registry is looked for when nothing else names one.
    public static let defaultFolder = "Agreements"

    /// Reads agreements from files and folders (a folder contributes its `*.yaml` and
    /// `*.yml` files, the registry excepted).
    ///
    /// - Parameters:
    ///   - paths: files or folders, as the user typed them.
    ///   - registryPath: the agency registry; when nil, `agencies.yaml` beside the first
    ///     path, then `fallbackRegistry`.
    ///   - fallbackRegistry: where to look last; `Agreements/agencies.yaml` under the
    ///     current directory unless a caller knows better.
    public static func load(
        paths: [String], registryPath: String? = nil,
        fallbackRegistry: String = defaultFolder + "/" + registryFileName
    ) -> AgreementCatalog {
        var diagnostics: [Diagnostic] = []
        var files: [String] = []
        for path in paths {
            switch listYAMLFiles(at: path) {
            case .success(let found): files += found
            case .failure(let problem): diagnostics.append(problem)
            }
        }

        let registryFile = registryPath ?? findRegistry(near: paths.first, fallback: fallbackRegistry)
        var registry: AgencyRegistry?
        if let registryFile {
            switch read(registryFile) {
            case .success(let text):
                do { registry = try AgencyRegistryDecoder().decode(text, file: registryFile) } catch {
                    diagnostics += error.diagnostics
                }
            case .failure(let problem): diagnostics.append(problem)
            }
        } else {
            let place = paths.first ?? defaultFolder
            diagnostics.append(
                Diagnostic(
                    .missingRegistry, at: SourceLocation(file: place, line: 1, column: 1),
                    "no agency registry (\(registryFileName)) was found beside \(place) or in \(defaultFolder)/; "
                        + "pass --agencies FILE so provider and consumer can be checked"))
        }

        let decoder = AgreementDecoder(registry: registry)
        var agreements: [LocatedAgreement] = []
        var claimed: [String: String] = [:]
        for file in files where (file as NSString).lastPathComponent != registryFileName {
            let text: String
            switch read(file) {
            case .success(let contents): text = contents
            case .failure(let problem):
                diagnostics.append(problem)
                continue
            }
            do {
                let agreement = try decoder.decode(text, file: file)
                if let other = claimed[agreement.id] {
                    diagnostics.append(
                        Diagnostic(
                            .duplicateIdentifier, at: idLocation(in: text, file: file),
                            "agreement id \"\(agreement.id)\" is already used by \(other); each agreement needs its own id"))
                    continue
                }
                claimed[agreement.id] = file
                agreements.append(LocatedAgreement(agreement: agreement, file: file))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        return AgreementCatalog(registry: registry, agreements: agreements, diagnostics: diagnostics)
    }

    /// The agreement with this id, if a file holds it.
    public func agreement(_ id: String) -> LocatedAgreement? {
        agreements.first { $0.agreement.id == id }
    }

    private static func listYAMLFiles(at path: String) -> Result<[String], Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(unreadable(path, "does not exist"))
        }
        guard isDirectory.boolValue else { return .success([path]) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            return .failure(unreadable(path, "cannot be listed"))
        }
        let base = path.hasSuffix("/") ? path : path + "/"
        return .success(
            names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.filter { !$0.hasPrefix(".") }.sorted()
                .map { base + $0 })
    }

    private static func findRegistry(near path: String?, fallback: String) -> String? {
        var candidates: [String] = []
        if let path {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                candidates.append((path as NSString).appendingPathComponent(registryFileName))
            } else {
                let folder = (path as NSString).deletingLastPathComponent
                candidates.append(folder.isEmpty ? registryFileName : (folder as NSString).appendingPathComponent(registryFileName))
            }
        }
        candidates.append(fallback)
        return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    private static func read(_ file: String) -> Result<String, Diagnostic> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(unreadable(file, "cannot be read"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(
                Diagnostic(
                    .unreadableFile, at: SourceLocation(file: file, line: 1, column: 1),
                    "the file is not UTF-8 text; save it as UTF-8"))
        }
        return .success(text)
    }

    private static func unreadable(_ path: String, _ why: String) -> Diagnostic {
        Diagnostic(.unreadableFile, at: SourceLocation(file: path, line: 1, column: 1), "\(path) \(why)")
    }

    /// Where `id:` sits in a file already known to decode, for duplicate-id messages.
    private static func idLocation(in text: String, file: String) -> SourceLocation {
        var reader = YAMLReader(file: file)
        let node = reader.root(of: text)?.mapping?["id"]
        return reader.location(of: node)
    }
}
