import Foundation
import SluiceCore
import SluiceCrypto
import X509

/// Checks a receipt offline: a well-formed JWS of the receipt type, signed by the
/// gateway's signing certificate (``SignerCheck``: chained to the trust anchors and of
/// the gateway signing profile), carrying a checkpoint signed by a published checkpoint
/// key whose tree holds the receipt's audit entry. A receipt whose checkpoint is merely
/// carried proves nothing about the log; one the key signed can later be held against it.
public struct ReceiptVerifier: Sendable {
    public let signers: SignerCheck
    /// The log's verifier keys (`Certs/audit-checkpoint.vkey`), current and retired.
    public let checkpointKeys: [NoteVerifierKey]

    public init(signers: SignerCheck, checkpointKeys: [NoteVerifierKey]) {
        self.signers = signers
        self.checkpointKeys = checkpointKeys
    }

    /// What a verified receipt says, and who vouches for it.
    public struct Verified: Sendable {
        public var receipt: Receipt
        public var signer: Certificate
        /// The checkpoint the receipt carries, its signature checked.
        public var checkpoint: Checkpoint
    }

    public func verify(_ compact: String, at time: Date = Date()) async throws -> Verified {
        let jws = try CompactJWS(compact.trimmingWhitespace())
        guard jws.header["typ"] as? String == ReceiptIssuer.type else { throw JOSEError.malformed("this JWS is not a Sluice receipt") }
        let signer = try await signers.verify(jws, at: time)
        let receipt = try Receipt(decoding: jws.payload)
        let checkpoint = try Self.checkpoint(receipt.checkpoint, holding: receipt.auditEntryIndex, keys: checkpointKeys)
        return Verified(receipt: receipt, signer: signer, checkpoint: checkpoint)
    }

    /// A consumer's request receipt (`typ` `sluice-request-receipt+jws`), checked the same way.
    public func verify(request compact: String, at time: Date = Date()) async throws -> (receipt: DataRequestReceipt, checkpoint: Checkpoint) {
        let jws = try CompactJWS(compact.trimmingWhitespace())
        guard jws.header["typ"] as? String == DataRequestReceipt.type else { throw JOSEError.malformed("this JWS is not a Sluice request receipt") }
        _ = try await signers.verify(jws, at: time)
        let receipt = try DataRequestReceipt(decoding: jws.payload)
        return (receipt, try Self.checkpoint(receipt.checkpoint, holding: receipt.auditEntryIndex, keys: checkpointKeys))
    }
}

extension ReceiptVerifier {
    /// The receipt's checkpoint, once it is found signed by a published checkpoint key and
    /// holding the receipt's audit entry (both profiles' receipts carry the same checkpoint).
    static func checkpoint(_ note: String?, holding index: Int?, keys: [NoteVerifierKey]) throws -> Checkpoint {
        guard let note, let index else {
            throw ReceiptCheckpointError("the receipt carries no audit checkpoint and entry index")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint(text: try SignedNote.open(note, verifiers: keys).text)
        } catch {
            throw ReceiptCheckpointError("its checkpoint does not verify with the published checkpoint key: \(error)")
        }
        guard index >= 0, UInt64(index) < checkpoint.size else {
            throw ReceiptCheckpointError("its checkpoint (tree size \(checkpoint.size)) does not hold its audit entry \(index)")
        }
        return checkpoint
    }
}

/// Checks a `gm` agreement's receipt offline: a JWS signed `SM2-SM3` by the gateway's SM2
/// signing certificate (``GMSignerCheck``), carrying a checkpoint signed by a published
/// checkpoint key, co-signed by the same SM2 key (``SM2NoteKey``), whose tree holds the
/// receipt's audit entry.
public struct GMReceiptVerifier: Sendable {
    public let signer: GMSignerCheck
    public let checkpointKeys: [NoteVerifierKey]

    public init(signer: GMSignerCheck, checkpointKeys: [NoteVerifierKey]) {
        self.signer = signer
        self.checkpointKeys = checkpointKeys
    }

    public func verify(_ compact: String, at time: Date = Date()) throws -> (receipt: Receipt, checkpoint: Checkpoint) {
        let (payload, signerKey) = try verified(compact, type: ReceiptIssuer.type, at: time)
        let receipt = try Receipt(decoding: payload)
        return (receipt, try checkpoint(receipt.checkpoint, holding: receipt.auditEntryIndex, cosignedBy: signerKey))
    }

    /// A consumer's request receipt under a `gm` agreement, checked the same way.
    public func verify(request compact: String, at time: Date = Date()) throws -> (receipt: DataRequestReceipt, checkpoint: Checkpoint) {
        let (payload, signerKey) = try verified(compact, type: DataRequestReceipt.type, at: time)
        let receipt = try DataRequestReceipt(decoding: payload)
        return (receipt, try checkpoint(receipt.checkpoint, holding: receipt.auditEntryIndex, cosignedBy: signerKey))
    }

    private func verified(_ compact: String, type: String, at time: Date) throws -> (Data, SM2Key) {
        let text = compact.trimmingWhitespace()
        let signerKey = try signer.signer(of: text, at: time).publicKey
        let (header, payload) = try GMJOSE.verify(text, with: signerKey)
        guard header["typ"] as? String == type else { throw JOSEError.malformed("this JWS is not a Sluice receipt of this kind") }
        return (payload, signerKey)
    }

    /// The checkpoint holding the entry, co-signed by the same SM2 key: national algorithms
    /// on the evidence too.
    private func checkpoint(_ note: String?, holding index: Int?, cosignedBy key: SM2Key) throws -> Checkpoint {
        let checkpoint = try ReceiptVerifier.checkpoint(note, holding: index, keys: checkpointKeys)
        guard let note, try SM2NoteKey(name: checkpoint.origin, key: key).verifiesCosignature(of: note) == true else {
            throw ReceiptCheckpointError("it carries no valid SM2 co-signature by the gateway's SM2 signing key")
        }
        return checkpoint
    }
}

/// A receipt whose signature holds but whose audit checkpoint does not.
public struct ReceiptCheckpointError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "the receipt's audit checkpoint is not valid: \(reason)" }
}
