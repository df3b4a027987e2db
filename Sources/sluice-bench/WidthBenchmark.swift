import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking

/// Cost against a record's width: one record of W keys (one of them not ASCII), decoded
/// and masked as the gateway's intake does, for W, 2W, 4W …, in each format and under
/// each unlisted-field policy. Doubling the width must at most about double the time; a
/// search per key would show as a ratio near 4.
struct WidthBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "width", abstract: "Decode and mask time against a record's width.")

    @Option(help: "The narrowest width, in keys.")
    var keys = 10_000

    @Option(help: "How many doublings.")
    var steps = 4

    @Option(help: "Runs per width; the fastest counts.")
    var runs = 5

    @Flag(help: "A short run for CI that fails when a doubling costs more than 3 times as much.")
    var quick = false

    func run() throws {
        let steps = quick ? 2 : self.steps
        let keys = quick ? 8_000 : self.keys
        print("sluice-bench width: one record of \(keys)…\(keys << (steps - 1)) keys, fastest of \(runs) runs")
        print("format  unlisted  " + (0..<steps).map { String(format: "%9d keys", keys << $0) }.joined(separator: "  ") + "   worst ratio")
        var worst = 0.0
        for format in [RecordFormat.ndjson, .json, .csv] {
            for policy in ["reject", "drop"] {
                let agreement = try Self.agreement(unlisted: policy)
                let pseudonymizer = AgreementPseudonymizer(secret: .random(), agreementID: agreement.id)
                var times: [Double] = []
                for step in 0..<steps {
                    let body = Self.body(keys: keys << step, format: format)
                    let fastest =
                        try (0..<runs).map { _ in
                            try MaskBenchmark.time {
                                var decoder = format.decoder(
                                    limits: DecodingLimits(maxDepth: 16, maxRecordBytes: 64 << 20, maxStringBytes: 1 << 20, maxRecords: 10))
                                var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: MaskBenchmark.today)
                                for record in try decoder.feed(body) + decoder.finish() { _ = masker.mask(record) }
                                _ = masker.summary
                            }
                        }.min() ?? 0
                    times.append(fastest)
                }
                let ratio = zip(times.dropFirst(), times).map { $0 / max($1, 1e-9) }.max() ?? 0
                worst = max(worst, ratio)
                print(
                    format.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + policy.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + times.map { String(format: "%11.1f ms", $0 * 1000) }.joined(separator: "  ")
                        + String(format: "   %5.2f", ratio))
            }
        }
        if quick, worst > 3 { throw ValidationError(String(format: "doubling a record's width cost %.2f times as much", worst)) }
    }

    /// One record: `case_no`, then `keys - 2` unlisted keys, then one non-ASCII key (which
    /// once made every later key compare with all the earlier ones).
    static func body(keys: Int, format: RecordFormat) -> [UInt8] {
        let names = ["case_no"] + (0..<(keys - 2)).map { "k\($0)" } + ["备注"]
        switch format {
        case .csv:
            return Array((names.joined(separator: ",") + "\n" + (["A1"] + Array(repeating: "1", count: keys - 1)).joined(separator: ",") + "\n").utf8)
        case .ndjson, .json:
            var object = "{" + names.enumerated().map { "\"\($1)\":\($0 == 0 ? "\"A1\"" : "1")" }.joined(separator: ",") + "}"
            if format == .json { object = "[" + object + "]" }
            return Array((object + "\n").utf8)
        }
    }

    static func agreement(unlisted: String) throws -> Agreement {
        try BenchmarkAgreement.make(
            id: "bench-width", unlisted: unlisted, maxRecords: 10,
            fields: """
                  - { name: case_no, type: string, required: true }
                """)
    }
}
