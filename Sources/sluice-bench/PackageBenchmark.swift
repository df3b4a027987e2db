import ArgumentParser
import Crypto
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceSampleData

/// The CPU one accepted package costs in the gateway's own code, without HTTP, TLS or
/// disk: the gateway benchmark's 100-record body hashed, decoded, masked under
/// `psb-household-check`, written as the payload, sealed for the consumer, and its receipt
/// signed. Each step's thread CPU time is summed separately, so a change to one step is
/// measured without the host's noise in the others. Set against the gateway benchmark's
/// CPU per package, the rest is the server's share: TLS, HTTP, tasks and the commit.
struct PackageBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package", abstract: "Per-package CPU of the submission pipeline, step by step, in one thread.")

    @Option(help: "Packages to run.") var packages = 3000
    @Option(help: "Records per package.") var records = 100
    @Flag(help: "A few seconds' run that only checks the benchmark still works.") var quick = false

    func run() async throws {
        let agreementFile = "Agreements/psb-household-check.yaml"
        guard let text = try? String(contentsOfFile: agreementFile, encoding: .utf8) else {
            throw ValidationError("run from the repository's root: \(agreementFile) is needed")
        }
        let agreement = try AgreementDecoder().decode(text, file: agreementFile)
        let body = GatewayBenchmark.package(records: records)

        let pki = try BenchmarkPKI()
        let sealer = try EnvelopeSealer(signingKey: pki.signer, chain: [pki.gateway])
        let recipient = try JWERecipient(pki.consumer)
        let issuer = try ReceiptIssuer(signingKey: pki.signer, chain: [pki.gateway])
        let pseudonymizer = AgreementPseudonymizer(secret: .random(), agreementID: agreement.id)
        let today = CalendarDate.today()

        // The gateway's cooperative threads allocate from arenas of their own, which keep
        // freed memory for the next request. This run's one thread uses the main arena,
        // which would hand each package's large buffers back to the kernel and fault them
        // in again (about 23 page faults a package, against 0.3 in the gateway): kept here
        // as the gateway keeps it.
        Self.keepFreedMemory()
        var steps = Steps()
        let count = quick ? 50 : packages
        var envelopeBytes = 0
        var payloadBytes = 0
        // Arrives in the TLS layer's 16 KiB records, as the gateway reads it.
        let chunks = stride(from: 0, to: body.count, by: 16 << 10).map { body[$0..<min(body.count, $0 + (16 << 10))] }
        for _ in 0..<count {
            var hash = SHA256()
            var decoder = RecordFormat.ndjson.decoder()
            var decoded: [Record] = []
            try steps.measure(\.hashAndDecode) {
                for chunk in chunks {
                    chunk.withUnsafeBytes { hash.update(bufferPointer: $0) }
                    decoded += try decoder.feed(chunk)
                }
                decoded += try decoder.finish()
            }
            let digest = LowercaseHex.encode(hash.finalize())
            var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: today)
            var masked: [RecordObject] = []
            masked.reserveCapacity(decoded.count)
            steps.measure(\.mask) {
                for record in decoded { if let output = masker.mask(record) { masked.append(output) } }
            }
            // Assembled once, as the gateway's intake does when the body ends.
            let summary = masker.summary
            guard summary.recordsOut == records else { throw ValidationError("the benchmark's records did not all pass the agreement") }
            let now = Date()
            let packageID = TimeOrderedID.make(at: now)
            var payload = Data()
            steps.measure(\.payload) {
                let header = PackageHeader(
                    packageID: packageID, agreementID: agreement.id, agreementVersion: 1, provider: agreement.provider, consumer: agreement.consumer,
                    createdAt: "2026-11-30T12:00:00Z", fields: agreement.deliveredFieldNames)
                payload = PackagePayload(
                    header: header, masking: summary.payloadObject(recordingUnlistedName: pseudonymizer.fieldNameDigest), records: masked
                )
                .encodedData(expectedBytes: body.count + 4096)
            }
            payloadBytes = payload.count
            try steps.measure(\.seal) { envelopeBytes = try sealer.sealedParts(payload, for: recipient).compactCount }
            try steps.measure(\.receipt) {
                _ = try issuer.issue(
                    Receipt(
                        packageID: packageID, agreementID: agreement.id, agreementVersion: 1, provider: agreement.provider,
                        consumer: agreement.consumer,
                        bodySHA256: digest, recordsAccepted: records, fieldsDropped: [:], auditEntryIndex: 1, checkpoint: "bench\n1\nAAAA\n",
                        issuedAt: "2026-11-30T12:00:00Z"))
            }
        }
        print(
            String(
                format: "package: %d records, %.1f KiB NDJSON in, payload %.1f KiB, envelope %.1f KiB; %d packages, one thread", records,
                Double(body.count) / 1024, Double(payloadBytes) / 1024, Double(envelopeBytes) / 1024, count))
        print("step              µs/package (thread CPU)")
        let rows: [(String, Double)] = [
            ("hash and decode", steps.hashAndDecode), ("mask", steps.mask), ("payload", steps.payload), ("seal", steps.seal),
            ("receipt", steps.receipt),
        ]
        func line(_ name: String, _ seconds: Double) -> String {
            name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%8.1f", seconds / Double(count) * 1e6)
        }
        for (name, seconds) in rows { print(line(name, seconds)) }
        let total = rows.reduce(0) { $0 + $1.1 }
        print(line("total", total) + String(format: "   (%.0f packages/s on one core)", Double(count) / total))
    }

    /// glibc's `mallopt` (not in Swift's Glibc module): M_TRIM_THRESHOLD (-1) raised to
    /// 256 MiB, and M_MMAP_THRESHOLD (-3) to 32 MiB, the most glibc accepts for it.
    static func keepFreedMemory() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-1, 256 << 20)
        _ = mallopt(-3, 32 << 20)
    }

    /// Thread CPU seconds per step, summed over all packages.
    struct Steps {
        var hashAndDecode = 0.0, mask = 0.0, payload = 0.0, seal = 0.0, receipt = 0.0

        mutating func measure(_ step: WritableKeyPath<Steps, Double>, _ body: () throws -> Void) rethrows {
            let start = Self.threadCPU()
            try body()
            self[keyPath: step] += Self.threadCPU() - start
        }

        static func threadCPU() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
    }
}
