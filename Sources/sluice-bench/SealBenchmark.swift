import ArgumentParser
import Crypto
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceSampleData

/// Envelope throughput (sign + encrypt, decrypt + verify) by payload size, and peak
/// memory while sealing one large payload. `Benchmarks/seal.sh` runs it right after
/// `openssl speed -evp aes-256-gcm`, for comparison on the same machine.
struct SealBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seal", abstract: "Envelope throughput and memory.")

    @Option(help: "Megabytes of the single large payload for the memory run (0 skips it).")
    var largeMegabytes = 100

    @Flag(help: "A few seconds' run that only checks the benchmark still works.")
    var quick = false

    @Flag(help: "Also run GB/T 32907's second SM4 example (a million encryptions of one block) and check its result.")
    var gmVectors = false

    func run() async throws {
        let pki = try BenchmarkPKI()
        let sealer = try EnvelopeSealer(signingKey: pki.signer, chain: [pki.gateway])
        let recipient = pki.consumer
        // Prepared once, as the gateway does for each consumer.
        let prepared = try JWERecipient(recipient)
        let opener = EnvelopeOpener(key: .p256(pki.consumerKey), trustAnchors: [pki.ca.certificate], signers: [pki.gateway])

        if largeMegabytes > 0, !quick {
            // Measured first, so earlier runs' buffers do not hide it. The peak is taken
            // from after the payload was built (its generator's buffers are gone) and set
            // against the resident size before it existed: payload plus sealing.
            let baseline = MaskBenchmark.residentKilobytes()
            let payload = Self.records(bytes: largeMegabytes << 20)
            let withPayload = MaskBenchmark.residentKilobytes()
            MaskBenchmark.resetPeakResident()
            let sealed = try sealer.seal(payload, for: recipient)
            let peak = MaskBenchmark.peakResidentKilobytes()
            let payloadKilobytes = Double(largeMegabytes << 10)
            print(
                String(
                    format:
                        "sealing one %d MiB payload: resident %d MiB before the payload, %d MiB with it, peak %d MiB while sealing = %.2f× the payload (payload included); envelope %d MiB",
                    largeMegabytes, baseline >> 10, withPayload >> 10, peak >> 10, Double(peak - baseline) / payloadKilobytes,
                    sealed.utf8.count >> 20))
        }

        // The GM profile side by side: SM2-SM3 signature, SM2 key encryption, SM4-CBC-HMAC-SM3.
        let gmGateway = try SM2Key.generate()
        let gmConsumer = try SM2Key.generate()
        let gmSealer = try GMEnvelopeSealer(signingKey: gmGateway)
        let gmOpener = GMEnvelopeOpener(key: gmConsumer, signer: gmGateway.publicKey)
        let gmRecipient = gmConsumer.publicKey

        print("size      jose seal MB/s  jose open MB/s  gm seal MB/s  gm open MB/s")
        for size in quick ? [1 << 10, 64 << 10] : [1 << 10, 64 << 10, 1 << 20, 16 << 20] {
            let payload = Self.records(bytes: size)
            let rounds = max(3, min(2000, (64 << 20) / size)) / (quick ? 10 : 1) + 1
            var sealed = ""
            let sealing = try MaskBenchmark.time { for _ in 0..<rounds { sealed = try sealer.seal(payload, for: prepared) } }
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<rounds { _ = try await opener.open(sealed) }
            let opening = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var gmSealed = ""
            let gmSealing = try MaskBenchmark.time { for _ in 0..<rounds { gmSealed = try gmSealer.seal(payload, for: gmRecipient) } }
            let gmOpening = try MaskBenchmark.time {
                for _ in 0..<rounds {
                    guard try gmOpener.open(gmSealed) == payload else { throw ValidationError("a gm envelope opened to other bytes") }
                }
            }
            let megabytes = Double(size * rounds) / 1e6
            print(
                String(
                    format: "%-8@ %14.1f %15.1f %13.1f %13.1f", Self.label(size) as NSString, megabytes / sealing, megabytes / opening,
                    megabytes / gmSealing, megabytes / gmOpening))
        }
        if gmVectors { try Self.sm4MillionRounds() }
    }

    /// GB/T 32907-2016, Annex A, example 2: the example key encrypts the example block a
    /// million times over; the result is fixed by the standard.
    static func sm4MillionRounds() throws {
        let key: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]
        var block = key
        let seconds = try MaskBenchmark.time { for _ in 0..<1_000_000 { block = try SM4.block(encrypt: true, key: key, block) } }
        let expected: [UInt8] = [0x59, 0x52, 0x98, 0xc7, 0xc6, 0xfd, 0x27, 0x1f, 0x04, 0x02, 0xf8, 0x04, 0xc3, 0x3d, 0x3f, 0x66]
        guard block == expected else { throw ValidationError("SM4 after 1,000,000 rounds differs from GB/T 32907's example 2") }
        print(String(format: "SM4, GB/T 32907 example 2: 1,000,000 encryptions in %.2f s, result as the standard gives", seconds))
    }

    /// Realistic payload bytes: generated 20-field records as JSON, which compress about
    /// as real packages do, cut to `bytes`.
    static func records(bytes: Int) -> Data {
        var fake = FakeData(seed: 7)
        var output: [UInt8] = []
        output.reserveCapacity(bytes + 1024)
        var number = 0
        while output.count < bytes {
            number += 1
            JSONWriter.append(fake.wideRecord(number: number), to: &output)
            output.append(UInt8(ascii: ","))
        }
        return Data(output.prefix(bytes))
    }

    static func label(_ size: Int) -> String { size >= 1 << 20 ? "\(size >> 20) MiB" : "\(size >> 10) KiB" }
}
