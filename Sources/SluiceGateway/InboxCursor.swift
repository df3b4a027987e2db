import Crypto
import Foundation
import SluiceCrypto

/// The `next_cursor` of an inbox page: where the next page starts, sealed so that it
/// says nothing. The position is the store's row order, which counts every package of
/// every agency; handed out in the clear it would tell a consumer how much the others
/// exchanged between two of its pages. Sealed with AES-GCM under a key derived from the
/// gateway's secret, bound to the consumer it was given to, and opened only by this gateway.
struct InboxCursor: Sendable {
    private let key: SymmetricKey

    init(secret: PseudonymSecret) {
        key = secret.derivedKey(purpose: "sluice inbox cursor v1")
    }

    func seal(position: Int64, consumer: String) throws -> String {
        let box = try AES.GCM.seal(withUnsafeBytes(of: position.bigEndian) { Data($0) }, using: key, authenticating: Data(consumer.utf8))
        return Base64URL.encode(box.combined ?? Data())
    }

    /// The position, or nil for text this gateway did not give this consumer.
    func open(_ text: String, consumer: String) -> Int64? {
        guard text.utf8.count <= 128, let data = Base64URL.decode(text), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Data(consumer.utf8)), plain.count == 8
        else { return nil }
        return plain.reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}
