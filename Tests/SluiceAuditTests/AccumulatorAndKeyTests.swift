import Crypto
import Foundation
import Testing

@testable import SluiceAudit

@Suite("Accumulator, note keys, policy, time") struct AccumulatorAndKeyTests {
    static func leaves(_ count: Int) -> [MerkleHash] {
        (0..<count).map { MerkleHash.leaf(Array("leaf \($0)".utf8)) }
    }

    /// Leaf and node hashes run on OpenSSL's stack-held SHA-256 context for speed (see
    /// BENCHMARKS.md); swift-crypto is the reference they must agree with.
    @Test func leafAndNodeHashesAgreeWithSwiftCrypto() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let bytes = (0..<Int.random(in: 0...600, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let leaf = MerkleHash.leaf(bytes)
            #expect(Array(leaf.bytes) == Array(SHA256.hash(data: [0x00] + bytes)), "round \(round): \(bytes.count) bytes")
            let other = MerkleHash.leaf(Array(bytes.reversed()))
            let node = MerkleHash.node(leaf, other)
            #expect(Array(node.bytes) == Array(SHA256.hash(data: [0x01] + Array(leaf.bytes) + Array(other.bytes))), "round \(round)")
        }
    }

    @Test func theAccumulatorAgreesWithTheTreeAtEverySize() throws {
        let leaves = Self.leaves(70)
        var accumulator = MerkleAccumulator()
        #expect(accumulator.root == MerkleHash.emptyTree)
        for (index, leaf) in leaves.enumerated() {
            var completed: [Int] = []
            accumulator.append(leaf) { level, _ in completed.append(level) }
            let tree = MerkleTree(leaves: Array(leaves[0...index]))
            #expect(accumulator.root == (try tree.root()), "size \(index + 1)")
            // A leaf closes as many subtrees as its index has trailing one bits.
            let closes = (~UInt64(index)).trailingZeroBitCount
            #expect(completed == Array(stride(from: 1, through: closes, by: 1)))
        }
    }

    @Test func noteSignerKeysRoundTripInTheC2SPTextForm() throws {
        let key = try NoteSignerKey.generate(name: "gateway.example/audit")
        let text = key.text
        #expect(text.hasPrefix("PRIVATE+KEY+gateway.example/audit+"))
        let parsed = try NoteSignerKey(text)
        #expect(parsed.privateKey.rawRepresentation == key.privateKey.rawRepresentation)
        #expect(parsed.verifier == key.verifier)
        // A key id that does not belong to the key is refused.
        var parts = text.split(separator: "+", maxSplits: 4).map(String.init)
        parts[3] = "00000000"
        #expect(throws: NoteError.self) { try NoteSignerKey(parts.joined(separator: "+")) }
        let note = try key.sign("gateway.example/audit\n1\n\(MerkleHash.emptyTree.base64)\n")
        #expect(try SignedNote.open(note, verifiers: [parsed.verifier]).signedBy == [key.verifier])
    }

    /// The example of golang.org/x/mod/sumdb/note, the format's reference implementation:
    /// its private key gives its verifier key, and (Ed25519 being deterministic) signing
    /// its text gives its note byte for byte.
    @Test func theReferenceExampleKeySignsTheReferenceNote() throws {
        let signer = try NoteSignerKey("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
        #expect(signer.verifier.description == "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        #expect(
            try signer.sign(text)
                == text + "\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
    }

    @Test func checkpointsFallDueByCountOrByTime() {
        let policy = CheckpointPolicy(everyEntries: 10, interval: 60)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(!policy.isDue(latest: nil, size: 0, now: start))
        #expect(policy.isDue(latest: nil, size: 1, now: start))
        #expect(!policy.isDue(latest: (5, start), size: 14, now: start.addingTimeInterval(59)))
        #expect(policy.isDue(latest: (5, start), size: 15, now: start))
        #expect(policy.isDue(latest: (5, start), size: 6, now: start.addingTimeInterval(60)))
        #expect(!policy.isDue(latest: (5, start), size: 5, now: start.addingTimeInterval(3600)))
    }

    @Test func auditTimeIsRFC3339UTCWithMilliseconds() {
        #expect(AuditTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(AuditTime.format(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(AuditTime.format(Date(timeIntervalSince1970: 1_795_920_198.123)) == "2026-11-29T02:43:18.123Z")
        #expect(AuditTime.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        let date = Date(timeIntervalSince1970: 1_795_920_198.123)
        #expect(AuditTime.parse(AuditTime.format(date)).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
        #expect(AuditTime.parse("2026-11-29") == Date(timeIntervalSince1970: 1_795_910_400))
        #expect(AuditTime.parse("yesterday") == nil)
        // The fast path reads back exactly what format writes, across eras and leap days.
        for seconds in stride(from: -2_000_000_000.0, through: 4_000_000_000.0, by: 86_399.123) {
            let text = AuditTime.format(Date(timeIntervalSince1970: seconds))
            #expect(AuditTime.parseExact(text).map(AuditTime.format) == text)
        }
        #expect(AuditTime.parseExact("2026-13-01T00:00:00.000Z") == nil)
    }

    @Test func theDeclaredSequenceIsTheTopLevelOne() {
        let entry = AuditEntry(
            sequence: 42, time: "2026-11-29T00:00:00.000Z", actor: AuditActor(kind: .gateway, id: "gw"),
            action: .gatewayStarted, outcome: .success, reason: "\"sequence\":7", details: ["sequence": .count(9)])
        #expect(AuditEntry.declaredSequence(in: entry.canonicalJSON) == 42)
        #expect(AuditEntry.declaredSequence(in: Array("{}".utf8)) == nil)
    }
}

@Suite("Audit entry index fields") struct AuditEntryIndexTests {
    static func index(_ json: [UInt8]) -> AuditEntryIndex? {
        json.withUnsafeBytes { AuditEntryIndex(json: $0) }
    }

    @Test func theFieldsReadFromTheJSONAreTheEntrysOwn() {
        let entries = [
            AuditEntry(
                sequence: 7, time: "2026-11-29T01:02:03.004Z",
                actor: AuditActor(kind: .agency, id: "district-psb", certificateFingerprint: "00ff"), action: .submitRejected,
                agreementID: "psb-household-check", agreementVersion: 2, packageID: "pkg-1", outcome: .rejected,
                reason: "record 3: field \"id_number\" {bad} [check]\n\u{1}", details: ["fields": .names(["a", "b}"]), "n": .count(3)]),
            AuditEntry(
                sequence: 8, time: "2026-11-29T01:02:03.005Z", actor: AuditActor(kind: .localAdmin, id: "张伟\\ops"),
                action: .auditExported, outcome: .success),
        ]
        for entry in entries {
            #expect(Self.index(entry.canonicalJSON) == AuditEntryIndex(entry))
        }
    }

    /// Escapes another writer may use (`\u` with surrogate pairs) read as the record
    /// parser reads them; a lone surrogate or an unknown escape makes no entry.
    @Test func unicodeEscapesDecodeAsTheRecordParserDecodesThem() {
        func entry(actor: String) -> [UInt8] {
            Array(
                #"{"action":"export","actor":{"id":"\#(actor)","kind":"local_admin"},"agreement":null,"outcome":"success","package_id":null,"time":"t"}"#
                    .utf8)
        }
        #expect(Self.index(entry(actor: #"\u5f20\ud83d\ude00\/x"#))?.actor == "张😀/x")
        #expect(Self.index(entry(actor: #"\ud83d"#)) == nil)
        #expect(Self.index(entry(actor: #"\q"#)) == nil)
    }

    /// The places `verify` compares bytes at are the entry's own time, action and outcome,
    /// and an escape in any indexed string is flagged so the bytes are not taken as text.
    @Test func placesPointAtTheEntrysOwnBytes() {
        let entries = [
            AuditEntry(
                sequence: 7, time: "2026-11-29T01:02:03.004Z", actor: AuditActor(kind: .agency, id: "district-psb"),
                action: .submitAccepted, agreementID: "psb-household-check", packageID: "019ad0a0-0000-7000-8000-000000000000",
                outcome: .success, reason: "quote \" inside", details: ["fields": .names(["a\\\"", "b}"])]),
            AuditEntry(
                sequence: 8, time: "2026-11-29T01:02:03.005Z", actor: AuditActor(kind: .localAdmin, id: "张伟\\ops \"x\""),
                action: .auditExported, outcome: .rejected),
        ]
        for (number, entry) in entries.enumerated() {
            let json = entry.canonicalJSON
            guard let places = json.withUnsafeBytes({ AuditEntryIndex.places(in: $0) }) else {
                Issue.record("entry \(number) was not read")
                continue
            }
            #expect(Array(json[places.time]) == Array(entry.time.utf8))
            #expect(Array(json[places.action]) == Array(entry.action.rawValue.utf8))
            #expect(Array(json[places.outcome]) == Array(entry.outcome.rawValue.utf8))
            // Only the second entry's actor id holds characters JSON escapes.
            #expect(places.escaped == (number == 1))
        }
        let cut = Array(entries[0].canonicalJSON.dropLast())
        #expect(cut.withUnsafeBytes { AuditEntryIndex.places(in: $0) } == nil)
    }

    /// Strings are scanned eight bytes at a time: a quote, backslash or control character
    /// at any offset of a word, in any field, must still be read as the entry's own text.
    @Test func fieldsWithEscapesAtEveryOffsetReadBack() {
        let specials = ["\"", "\\", "\n", "\u{1}", "张", "/"]
        for length in 0..<20 {
            for offset in 0..<max(1, length) {
                for special in specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    if length > 0 { characters[offset] = Character(special) }
                    let text = String(characters)
                    let entry = AuditEntry(
                        sequence: UInt64(length * 100 + offset), time: "2026-11-29T01:02:03.004Z",
                        actor: AuditActor(kind: .agency, id: "a" + text), action: .submitAccepted,
                        agreementID: text + "b", agreementVersion: 1, packageID: text, outcome: .success,
                        reason: text, details: [text: .names([text, text])])
                    let json = entry.canonicalJSON
                    #expect(Self.index(json) == AuditEntryIndex(entry), "length \(length), offset \(offset)")
                    #expect(AuditEntry.declaredSequence(in: json) == entry.sequence)
                    let places = json.withUnsafeBytes { AuditEntryIndex.places(in: $0) }
                    #expect(places.map { Array(json[$0.time]) } == Array(entry.time.utf8), "length \(length), offset \(offset)")
                    let matched = places.map { Array(json[$0.action]) == Array(entry.action.rawValue.utf8) } ?? false
                    #expect(matched, "length \(length), offset \(offset)")
                }
            }
        }
    }

    @Test func stringsCutShortAreRefused() {
        let json = AuditEntry(
            sequence: 1, time: "2026-11-29T01:02:03.004Z", actor: AuditActor(kind: .agency, id: "district-psb\\x"),
            action: .submitAccepted, outcome: .success
        ).canonicalJSON
        for end in 0..<json.count {
            #expect(Self.index(Array(json[..<end])) == nil, "cut at \(end)")
        }
    }

    @Test func malformedOrIncompleteEntriesGiveNothing() {
        for text in ["", "{", "[]", "{\"action\":\"x\"}", "{\"action\":\"x\",\"actor\":{\"id\":1}}", "{\"time\":\"t\"}x"] {
            #expect(Self.index(Array(text.utf8)) == nil, "\(text)")
        }
    }
}
