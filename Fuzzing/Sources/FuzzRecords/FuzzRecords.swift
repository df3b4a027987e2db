import CFuzzerDriver
import SluiceCore
import SluiceMasking

/// A provider's body in any of the three formats, split into two chunks at a point the
/// input chooses (the decoders stream), then every record masked under an agreement that
/// validates, masks and scans. Anything but a clean `RecordFormatError` is a finding.
private let agreement: Agreement = {
    let text = """
        id: fuzz-records
        title: Fuzzing
        provider: a
        consumer: b
        purpose: fuzzing the decoders and the masker
        legal_basis: none, a test
        valid_from: 2020-01-01
        valid_until: 2099-12-31
        status: active
        on_unlisted_field: drop
        detection: cautious
        limits: { max_records: 1000, max_package_bytes: 1 MiB, rate_per_minute: 60 }
        retention_days: 1
        fields:
          - { name: name,       type: string,    mask: surname }
          - { name: id_number,  type: cn_id,     mask: { partial: { keep_first: 6, keep_last: 4 } } }
          - { name: phone,      type: cn_mobile, mask: redact }
          - { name: address,    type: string,    mask: { truncate: district } }
          - { name: born,       type: date,      mask: { generalize: year } }
          - { name: age,        type: integer,   mask: { age_band: 10 } }
          - { name: card,       type: bank_card, mask: hash }
          - { name: notes,      type: text,      scan: true }
          - { name: meta.note,  type: text,      scan: true }
        """
    do { return try AgreementDecoder().decode(text, file: "fuzz.yaml") } catch { fatalError("the fuzz agreement does not validate: \(error)") }
}()

private struct FixedKey: Pseudonymizer {
    func pseudonym(of canonical: String) -> String { "p-" + String(canonical.utf8.count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let format: RecordFormat = [.json, .ndjson, .csv][Int(input[0]) % 3]
    let body = UnsafeBufferPointer(rebasing: input[2...])
    let split = body.isEmpty ? 0 : Int(input[1]) % (body.count + 1)
    var decoder = format.decoder(limits: DecodingLimits(maxDepth: 8, maxRecordBytes: 1 << 16, maxStringBytes: 1 << 14, maxRecords: 1000))
    var masker = RecordMasker(agreement: agreement, pseudonymizer: FixedKey(), referenceDate: CalendarDate(year: 2026, month: 12, day: 5)!)
    do {
        for record in try decoder.feed(UnsafeBufferPointer(rebasing: body[..<split])) { _ = masker.mask(record) }
        for record in try decoder.feed(UnsafeBufferPointer(rebasing: body[split...])) { _ = masker.mask(record) }
        for record in try decoder.finish() { _ = masker.mask(record) }
    } catch {
        // A refusal with a reason is the expected answer to bad input.
    }
    _ = masker.summary
    return 0
}

/// The executable's entry point, named as SwiftPM links it: libFuzzer's driver.
@_cdecl("FuzzRecords_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    sluice_fuzz_main(argc, argv, { data, size in fuzzRecords(data!, size) })
}
