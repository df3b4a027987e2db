import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceSampleData

/// Name detection in free text: recall on names a cue vouches for and on a record's own
/// name in its note, false positives on notes full of place names and surname-initial
/// words, and scan throughput. `--output` writes the same notes as JSON lines for the peer
/// (`Benchmarks/names-peer.py`, jieba's person-name tag), so both are measured on one set.
struct NamesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "names", abstract: "Name detection recall, false positives and speed.")

    @Option(help: "Generated notes of each kind (cue-backed and decoy together, and record notes).")
    var notes = 6_000

    @Option(help: "Write the notes as JSON lines here, for the peer.")
    var output: String?

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 2026_12_04

    @Flag(help: "A short run for CI that fails below 0.99 recall on either kind of name.")
    var quick = false

    func run() throws {
        let count = quick ? 600 : notes
        var fake = FakeData(seed: seed)
        let cueNotes = (0..<count).map { _ in fake.nameNote() }
        let recordNotes = (1...count).map { fake.householdRecordMentioningItsSubject(number: $0) }
        var lines: [String] = []

        // Cue-backed names and decoys, through the scanner as the gateway runs it.
        let scanner = TextScanner()
        var planted = 0
        var covered = 0
        var exact = 0
        var decoyHits = 0
        var decoys = 0
        var strayHits = 0
        for note in cueNotes {
            let bytes = Array(note.text.utf8)
            let names = scanner.detections(in: note.text).filter { $0.kind == .personName }.map(\.range)
            if note.isDecoy {
                decoys += 1
                decoyHits += names.count
            }
            let spans = note.names.map { Self.ranges(of: Array($0.utf8), in: bytes) }
            for candidates in spans {
                planted += 1
                if candidates.contains(where: { span in names.contains { $0.lowerBound <= span.lowerBound && $0.upperBound >= span.upperBound } }) {
                    covered += 1
                }
                if candidates.contains(where: { names.contains($0) }) { exact += 1 }
            }
            strayHits += names.filter { name in !spans.joined().contains { $0.overlaps(name) } }.count
            lines.append(Self.jsonLine(kind: note.isDecoy ? "decoy" : "cue", text: note.text, names: note.names))
        }

        // A record's own name in its note, through the record masker.
        let agreement = try Self.agreement()
        var masker = RecordMasker(
            agreement: agreement, pseudonymizer: AgreementPseudonymizer(secret: .random(), agreementID: agreement.id),
            referenceDate: MaskBenchmark.today)
        var recordKept = 0
        for (number, (record, name)) in recordNotes.enumerated() {
            guard case .string(let note)? = record["notes"] else { continue }
            lines.append(Self.jsonLine(kind: "record", text: note, names: [name]))
            guard let masked = masker.mask(Record(number: number + 1, line: number + 1, fields: record)),
                case .string(let text)? = masked["notes"]
            else { throw ValidationError("record \(number + 1) failed: \(masker.summary.problems.prefix(1))") }
            let squeezed = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.filter {
                        !$0.properties.isWhitespace && $0.properties.generalCategory != .format
                    }))
            if squeezed.contains(name) { recordKept += 1 }
        }

        // Throughput of the scan over the cue notes, repeated to about 32 MiB.
        let text = cueNotes.map(\.text)
        let textBytes = text.reduce(0) { $0 + $1.utf8.count }
        let rounds = max(1, (quick ? 1 << 20 : 32 << 20) / max(textBytes, 1))
        var counts = DetectionCounts()
        let seconds = MaskBenchmark.time {
            for _ in 0..<rounds { for note in text { _ = scanner.masked(note, counts: &counts) } }
        }

        let cueRecall = Double(covered) / Double(max(planted, 1))
        let recordRecall = 1 - Double(recordKept) / Double(max(recordNotes.count, 1))
        print("sluice-bench names: \(cueNotes.count - decoys) notes with \(planted) names, \(decoys) decoy notes, \(recordNotes.count) record notes")
        print(
            String(
                format: "cue-backed names:   recall %.4f (%d/%d), exact extent %.4f", cueRecall, covered, planted,
                Double(exact) / Double(max(planted, 1))))
        print(String(format: "record's own name:  recall %.4f (%d notes, %d keep the name)", recordRecall, recordNotes.count, recordKept))
        print("false positives:    \(decoyHits) in \(decoys) decoy notes, \(strayHits) elsewhere in notes with names")
        print(String(format: "scan and mask:      %.1f MB/s over the name notes", Double(textBytes * rounds) / seconds / 1e6))
        if let output {
            try (lines.joined(separator: "\n") + "\n").write(toFile: output, atomically: true, encoding: .utf8)
            print("notes written to \(output)")
        }
        if quick, cueRecall < 0.99 || recordRecall < 0.99 {
            throw ValidationError(String(format: "name recall fell below 0.99: cue-backed %.4f, record %.4f", cueRecall, recordRecall))
        }
    }

    /// Every place `needle` stands in `haystack`, as byte ranges.
    static func ranges(of needle: [UInt8], in haystack: [UInt8]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
            .map { $0..<($0 + needle.count) }
    }

    static func jsonLine(kind: String, text: String, names: [String]) -> String {
        let object: [String: Any] = ["kind": kind, "text": text, "names": names]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func agreement() throws -> Agreement {
        try BenchmarkAgreement.make(
            id: "names-bench", unlisted: "drop",
            fields: """
                  - { name: case_no, type: string }
                  - { name: name, type: string, mask: surname }
                  - { name: id_number, type: cn_id, mask: hash }
                  - { name: phone, type: string, mask: { partial: { keep_first: 3, keep_last: 4 } } }
                  - { name: notes, type: text, scan: true }
                """)
    }
}
