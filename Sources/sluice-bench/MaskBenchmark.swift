import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking
import SluiceSampleData

/// Masking throughput: structured 20-field records, end to end through NDJSON, free
/// text, and memory while streaming a large file.
struct MaskBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mask", abstract: "Masking throughput and memory.")

    @Option(help: "Records for the throughput runs.")
    var records = 300_000

    @Option(help: "Megabytes of free text to scan.")
    var textMegabytes = 64

    @Option(help: "Times the free text is scanned; the fastest round is reported.")
    var textRounds = 1

    @Option(help: "Records in the streamed file for the memory run (0 skips it).")
    var streamRecords = 1_000_000

    @Flag(help: "A few seconds' run that only checks the benchmark still works.")
    var quick = false

    func run() throws {
        let records = quick ? 2_000 : self.records
        let textBytes = (quick ? 1 : textMegabytes) << 20
        let streamRecords = quick ? 5_000 : self.streamRecords
        let agreement = try Self.agreement()
        let pseudonymizer = AgreementPseudonymizer(secret: .random(), agreementID: agreement.id)
        print("sluice-bench mask: \(records) records, \(textBytes >> 20) MiB of text, stream of \(streamRecords) records")

        var fake = FakeData(seed: 1)
        let sample = (1...min(records, 50_000)).map { Record(number: $0, line: $0, fields: fake.wideRecord(number: $0)) }

        // 1. Structured masking of decoded records.
        var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: Self.today)
        var kept = 0
        let structured = Self.time {
            for index in 0..<records where masker.mask(sample[index % sample.count]) != nil { kept += 1 }
        }
        guard kept == records else { throw ValidationError("\(records - kept) records failed: \(masker.summary.problems.prefix(3))") }
        print(String(format: "structured masking, 20 fields:   %10.0f records/s", Double(records) / structured))

        // 2. End to end: NDJSON bytes in, NDJSON bytes out.
        var input: [UInt8] = []
        for index in 0..<records {
            JSONWriter.append(sample[index % sample.count].fields, to: &input)
            input.append(0x0A)
        }
        var decoder = NDJSONRecordDecoder()
        var endToEnd = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: Self.today)
        var encoder = RecordEncoder(format: .ndjson, columns: [])
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        let ndjson = try Self.time {
            var start = 0
            while start < input.count {
                let end = min(start + (1 << 20), input.count)
                for record in try decoder.feed(input[start..<end]) {
                    if let masked = endToEnd.mask(record) { encoder.append(masked, into: &output) }
                }
                start = end
            }
            for record in try decoder.finish() {
                if let masked = endToEnd.mask(record) { encoder.append(masked, into: &output) }
            }
        }
        print(
            String(
                format: "NDJSON decode+mask+encode:        %10.0f records/s  %7.1f MB/s in (%.0f bytes/record)",
                Double(records) / ndjson, Double(input.count) / ndjson / 1e6, Double(input.count) / Double(records)))

        // 3. Free text.
        var notes: [String] = []
        var total = 0
        while total < textBytes {
            let note = fake.caseNote().text
            total += note.utf8.count
            notes.append(note)
        }
        let scanner = TextScanner()
        var counts = DetectionCounts()
        var maskedBytes = 0
        var scanning = Double.infinity
        for _ in 0..<max(textRounds, 1) {
            counts = DetectionCounts()
            scanning = min(scanning, Self.time { for note in notes { maskedBytes += scanner.masked(note, counts: &counts).utf8.count } })
        }
        print(
            String(
                format: "free-text scan and mask:          %10.1f MB/s (%d notes, %d detections)",
                Double(total) / scanning / 1e6, notes.count, counts.total))

        // 4. Memory while streaming a large file from disk.
        if streamRecords > 0 { try streamFromDisk(records: streamRecords, sample: sample, agreement: agreement, pseudonymizer: pseudonymizer) }
    }

    private func streamFromDisk(records: Int, sample: [Record], agreement: Agreement, pseudonymizer: AgreementPseudonymizer) throws {
        let path = NSTemporaryDirectory() + "sluice-bench-\(getpid()).ndjson"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ValidationError("cannot create \(path) for the streaming run")
        }
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        var buffer: [UInt8] = []
        for index in 0..<records {
            JSONWriter.append(sample[index % sample.count].fields, to: &buffer)
            buffer.append(0x0A)
            if buffer.count > 1 << 22 {
                try writer.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try writer.write(contentsOf: buffer)
        try writer.close()
        buffer = []
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0

        let baseline = Self.peakResidentKilobytes()
        var decoder = NDJSONRecordDecoder()
        var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: Self.today)
        var encoder = RecordEncoder(format: .ndjson, columns: [])
        let sink = FileHandle(forWritingAtPath: "/dev/null")!
        let reader = FileHandle(forReadingAtPath: path)!
        var output: [UInt8] = []
        var peakAtTenth = 0
        let elapsed = try Self.time {
            while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty {
                for record in try decoder.feed(chunk) {
                    if let masked = masker.mask(record) { encoder.append(masked, into: &output) }
                }
                try sink.write(contentsOf: output)
                output.removeAll(keepingCapacity: true)
                if peakAtTenth == 0, masker.summary.recordsIn >= records / 10 { peakAtTenth = Self.peakResidentKilobytes() }
            }
            _ = try decoder.finish()
        }
        let peak = Self.peakResidentKilobytes()
        print(
            String(
                format: "streamed %d records (%.0f MB) from disk: %.0f records/s; peak RSS %d MiB before, %d MiB after 10%%, %d MiB at the end",
                masker.summary.recordsOut, Double(size) / 1e6, Double(records) / elapsed, baseline >> 10, peakAtTenth >> 10, peak >> 10))
    }

    /// The benchmark's 20-field agreement: every kind of rule the engine has.
    static func agreement() throws -> Agreement {
        try BenchmarkAgreement.make(
            id: "bench-wide", unlisted: "reject",
            fields: """
                  - { name: case_no, type: string, required: true }
                  - { name: name, type: string, mask: surname }
                  - { name: id_number, type: cn_id, mask: hash }
                  - { name: birth_date, type: date, mask: { generalize: year } }
                  - { name: age, type: integer, mask: { age_band: 10 } }
                  - { name: sex, type: string }
                  - { name: phone, type: cn_mobile, mask: { partial: { keep_first: 3, keep_last: 4 } } }
                  - { name: landline, type: cn_landline, mask: redact }
                  - { name: email, type: email, mask: hash }
                  - { name: card_number, type: bank_card, mask: { partial: { keep_first: 6, keep_last: 4 } } }
                  - { name: credit_code, type: cn_uscc }
                  - { name: address, type: string, mask: { truncate: district } }
                  - { name: employer, type: string }
                  - { name: balance, type: decimal }
                  - { name: opened_on, type: date }
                  - { name: last_seen_at, type: datetime, mask: { generalize: month } }
                  - { name: passport, type: passport, mask: { partial: { keep_first: 1, keep_last: 2 } } }
                  - { name: plate, type: vehicle_plate, mask: redact }
                  - { name: status, type: string }
                  - { name: notes, type: text, scan: true }
                """)
    }

    static let today = CalendarDate(iso8601: "2026-11-29")!

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// VmHWM from /proc: the most resident memory the process has had, in KiB.
    static func peakResidentKilobytes() -> Int { statusKilobytes("VmHWM:") }

    static func residentKilobytes() -> Int { statusKilobytes("VmRSS:") }

    /// Starts the peak over from the current resident size (Linux: `clear_refs` 5).
    static func resetPeakResident() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func statusKilobytes(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
