import Foundation

/// Checks that an SM2 certificate chains to a trust anchor: each certificate valid at the
/// time, each issuer a CA allowed to sign certificates, each SM2-with-SM3 signature right,
/// the last one issued by (or being) an anchor. What libcrypto's own verifier would do,
/// written out because its SM2 support needs the signer id set on every certificate.
public struct SM2ChainCheck: Sendable {
    public let anchors: [SM2Certificate]
    /// The longest chain followed, anchor excluded.
    public static let longestChain = 5

    public init(anchors: [SM2Certificate]) {
        self.anchors = anchors
    }

    /// Why a chain does not hold, in words that name the certificate (by common name).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Checks `leaf`, then `intermediates` in the order they chain; throws the first failure.
    public func verify(_ leaf: SM2Certificate, intermediates: [SM2Certificate] = [], at time: Date = Date()) throws(Failure) {
        var current = leaf
        var pool = intermediates
        for _ in 0...Self.longestChain {
            try Self.checkValidity(current, at: time)
            if let anchor = anchors.first(where: { $0 == current }) {
                // The certificate is itself an anchor (a self-signed CA given as trusted).
                try Self.checkValidity(anchor, at: time)
                return
            }
            if let anchor = anchors.first(where: { $0.subjectName == current.issuerName && current.isSigned(by: $0.publicKey) }) {
                try Self.checkIssuer(anchor, at: time)
                return
            }
            guard let index = pool.firstIndex(where: { $0.subjectName == current.issuerName && current.isSigned(by: $0.publicKey) }) else {
                throw Failure(description: "the certificate of \(current.commonName) does not chain to a trusted SM2 authority")
            }
            let issuer = pool.remove(at: index)
            try Self.checkIssuer(issuer, at: time)
            current = issuer
        }
        throw Failure(description: "the chain of \(leaf.commonName) is longer than \(Self.longestChain) certificates")
    }

    private static func checkValidity(_ certificate: SM2Certificate, at time: Date) throws(Failure) {
        guard certificate.notValidBefore <= time, time <= certificate.notValidAfter else {
            throw Failure(description: "the certificate of \(certificate.commonName) is not valid at \(time)")
        }
    }

    private static func checkIssuer(_ issuer: SM2Certificate, at time: Date) throws(Failure) {
        try checkValidity(issuer, at: time)
        guard issuer.isCertificateAuthority, issuer.keyUsage.map({ $0.contains(.keyCertSign) }) ?? true else {
            throw Failure(description: "\(issuer.commonName) is not a certificate authority")
        }
    }
}
