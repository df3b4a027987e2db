import Foundation
import SwiftASN1
import X509

/// PEM certificate files: one certificate, or a bundle of trust anchors.
public enum CertificateFile {
    public static func read(_ path: String) throws -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CertificateFileError(path: path, reason: "it cannot be read")
        }
        return try parse(text, name: path)
    }

    /// The certificates in PEM text; `name` says where the text came from, for errors.
    public static func parse(_ text: String, name: String) throws -> [Certificate] {
        let path = name
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
            throw CertificateFileError(path: path, reason: "it is not PEM")
        }
        let certificates = try documents.filter { $0.discriminator == "CERTIFICATE" }.map { try Certificate(pemDocument: $0) }
        guard !certificates.isEmpty else { throw CertificateFileError(path: path, reason: "it holds no certificate") }
        return certificates
    }
}

/// A certificate file that cannot be used, and why.
public struct CertificateFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path) is not a usable certificate file: \(reason)" }
}
