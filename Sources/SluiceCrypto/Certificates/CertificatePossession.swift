import Foundation
import SluiceCore
import X509

/// An agency's statement, signed with the key of a certificate the gateway already holds
/// for it, that a new certificate is its own too. Registering a second certificate for an
/// agency needs one: packages for the agency are sealed to its newest certificate, so an
/// admin who could attach any certificate could read the agency's packages.
///
/// A compact JWS, `typ` `sluice-possession+jws`, over canonical JSON:
/// `{"agency": ID, "new_certificate_sha256": HEX, "signed_at": RFC 3339}`.
public enum CertificatePossession {
    public static let type = "sluice-possession+jws"
    /// A statement older than this is refused: it was meant for a change made back then.
    public static let maximumAge: TimeInterval = 7 * 86_400

    /// The statement, signed by the agency with its current key.
    public static func statement(agency: String, newCertificate: Certificate, signedWith key: SigningKey, at time: Date = Date()) throws
        -> String
    {
        let payload = RecordObject([
            ("agency", .string(agency)), ("new_certificate_sha256", .string(try CertificateFingerprint(newCertificate).description)),
            ("signed_at", .string(timestamp(time))),
        ])
        var bytes: [UInt8] = []
        JSONWriter.append(.object(payload), to: &bytes, sortingKeys: true)
        return try CompactJWS.sign(Data(bytes), with: key, extraHeader: ["typ": type])
    }

    /// Why `statement` does not prove that `agency`, holder of `current`, also holds
    /// `newCertificate`; nil when it does.
    public static func refusal(
        of statement: String, agency: String, newCertificate: Certificate, current: [Certificate], at time: Date = Date()
    ) -> String? {
        guard let jws = try? CompactJWS(statement.trimmingWhitespace()), jws.header["typ"] as? String == type else {
            return "the proof of possession is not a \(type) JWS"
        }
        guard current.contains(where: { (try? jws.verify(with: $0.publicKey)) != nil }) else {
            return "the proof of possession is not signed with the key of a certificate registered for the agency"
        }
        guard let object = (try? JSONSerialization.jsonObject(with: jws.payload)) as? [String: Any],
            let named = object["agency"] as? String, let fingerprint = object["new_certificate_sha256"] as? String,
            let signedAt = (object["signed_at"] as? String).flatMap(parse)
        else { return "the proof of possession lacks agency, new_certificate_sha256 or signed_at" }
        guard named == agency else { return "the proof of possession is for another agency" }
        guard fingerprint == (try? CertificateFingerprint(newCertificate).description) else {
            return "the proof of possession names another certificate"
        }
        guard signedAt <= time.addingTimeInterval(300), time.timeIntervalSince(signedAt) <= maximumAge else {
            return "the proof of possession was not signed in the last \(Int(maximumAge / 86_400)) days"
        }
        return nil
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
