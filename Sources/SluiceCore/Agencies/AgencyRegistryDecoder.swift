import Yams

/// Turns the text of `agencies.yaml` into an ``AgencyRegistry``, reporting every problem.
///
/// ```yaml
/// agencies:
///   - id: district-psb
///     name: 某区公安分局
///     roles: [partner]
///     certificate: agencies/district-psb.pem   # under Certs/
/// ```
public struct AgencyRegistryDecoder: Sendable {
    public init() {}

    public func decode(_ text: String, file: String) throws(ValidationFailure) -> AgencyRegistry {
        var reader = YAMLReader(file: file)
        var agencies: [Agency] = []
        if let root = reader.root(of: text),
            let top = reader.mapping(root, context: "the agency registry", allowed: ["agencies"]),
            let list = reader.required("agencies", in: top),
            let items = reader.sequence(list, key: "agencies")
        {
            var firstLine: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let (agency, id) = decodeAgency(item, number: index + 1, reader: &reader)
                guard let id else { continue }
                if let line = firstLine[id] {
                    reader.report(.duplicateIdentifier, at: item, "agency \"\(id)\" is listed twice (first on line \(line))")
                    continue
                }
                firstLine[id] = reader.location(of: item).line
                if let agency { agencies.append(agency) }
            }
        }
        guard reader.diagnostics.isEmpty else { throw ValidationFailure(reader.diagnostics) }
        return AgencyRegistry(file: file, agencies: agencies)
    }

    /// The agency when its entry is valid, and its id whenever the id itself is readable,
    /// so a repeated id is reported even beside other problems.
    private func decodeAgency(_ node: Node, number: Int, reader: inout YAMLReader) -> (Agency?, String?) {
        let allowed = ["id", "name", "roles", "certificate", "gm_certificate"]
        guard let map = reader.mapping(node, context: "agency \(number)", allowed: allowed) else { return (nil, nil) }
        let errorsBefore = reader.problemCount
        let id = reader.required("id", in: map).flatMap { reader.identifier($0, key: "agency id") }
        let name = reader.required("name", in: map).flatMap { reader.string($0, key: "name") }
        var roles: [AgencyRole] = []
        if let list = reader.required("roles", in: map), let items = reader.sequence(list, key: "roles") {
            roles = items.compactMap { reader.choice($0, key: "role", as: AgencyRole.self) }
            if items.isEmpty {
                reader.report(.invalidValue, at: list, "roles lists no role; give at least one of partner, admin, auditor")
            }
        }
        func certificatePath(_ node: Node, key: String) -> String? {
            guard let path = reader.string(node, key: key) else { return nil }
            // Checked on the bytes the file system reads: "/" or "." followed by a combining
            // mark is one Character, and a check of Characters would not see it.
            let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard path.utf8.first != UInt8(ascii: "/"), !components.contains(where: { $0.elementsEqual("..".utf8) }) else {
                reader.report(.invalidValue, at: node, "\(key) must be a path inside the Certs/ folder, such as agencies/district-psb.pem")
                return nil
            }
            return path
        }
        let certificate = reader.required("certificate", in: map).flatMap { certificatePath($0, key: "certificate") }
        let gmCertificate = map["gm_certificate"].flatMap { certificatePath($0, key: "gm_certificate") }
        guard reader.problemCount == errorsBefore, let id, let name, let certificate else { return (nil, id) }
        return (Agency(id: id, name: name, roles: Array(Set(roles)).sorted(), certificate: certificate, gmCertificate: gmCertificate), id)
    }
}

extension YAMLReader {
    /// An identifier safe as a file name and URL segment: 1–64 ASCII letters, digits,
    /// `-`, `_` or `.`, starting with a letter or digit.
    mutating func identifier(_ node: Node, key: String) -> String? {
        guard let text = string(node, key: key) else { return nil }
        guard Self.isSafeIdentifier(text) else {
            report(
                .unsafeIdentifier, at: node,
                "\(key) \"\(text)\" is not a safe identifier: use 1 to 64 ASCII letters, digits, \"-\", \"_\" or \".\", "
                    + "starting with a letter or digit (no spaces or slashes)")
            return nil
        }
        return text
    }

    static func isSafeIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64 else { return false }
        func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
        }
        return isAlphanumeric(first)
            && text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
