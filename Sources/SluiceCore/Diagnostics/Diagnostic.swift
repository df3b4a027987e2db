/// One problem found in an agreement or registry file, located and worded for the clerk
/// who has to fix it.
///
/// The message names keys and the values an admin wrote in the agreement; agreements hold
/// no personal data, so quoting them is safe. Diagnostics about data records must never
/// quote record values (see `RecordProblem` in the masking module).
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    public var code: Code
    public var message: String

    public init(_ code: Code, at location: SourceLocation, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    /// The compiler-style line: `Agreements/x.yaml:12:5: error: …`.
    public var description: String { "\(location): error: \(message)" }

    /// Stable machine-readable kinds, for `--json` consumers and tests.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case unreadableFile = "unreadable-file"
        case yamlSyntax = "yaml-syntax"
        case emptyDocument = "empty-document"
        case wrongShape = "wrong-shape"
        case unknownKey = "unknown-key"
        case duplicateKey = "duplicate-key"
        case missingKey = "missing-key"
        case invalidValue = "invalid-value"
        case invalidDate = "invalid-date"
        case reversedDates = "reversed-dates"
        case unsafeIdentifier = "unsafe-identifier"
        case unknownAgency = "unknown-agency"
        case agencyRole = "agency-role"
        case sameAgency = "same-agency"
        case duplicateField = "duplicate-field"
        case overlappingFields = "overlapping-fields"
        case invalidFieldName = "invalid-field-name"
        case maskDoesNotFit = "mask-does-not-fit"
        case invalidLimit = "invalid-limit"
        case noFields = "no-fields"
        case duplicateIdentifier = "duplicate-identifier"
        case missingRegistry = "missing-registry"
    }
}

/// All problems found in one or more files, reported together so a clerk can fix them
/// in one pass instead of one per run.
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
