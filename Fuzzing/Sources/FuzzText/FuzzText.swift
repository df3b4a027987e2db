import CFuzzerDriver
import SluiceCore
import SluiceMasking

/// Free text as a provider writes it into a scanned field: any UTF-8, scanned strictly and
/// cautiously, with and without addresses. The masked text must be valid UTF-8 and no
/// longer than the scanner's bound; detections must lie inside the text, in order.
private let scanners = [
    TextScanner(), TextScanner(cautious: true), TextScanner(cautious: true, addressLevel: .province, findsAddresses: true),
    TextScanner(findsAddresses: false),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for scanner in scanners {
        var counts: [DetectionKind: Int] = [:]
        let masked = scanner.masked(text, counts: &counts)
        precondition(masked.utf8.count <= text.utf8.count * 4 + 64, "the masked text grew past its bound")
        // Ranges are UTF-8 offsets into the text.
        var end = 0
        for detection in scanner.detections(in: text) {
            precondition(detection.range.lowerBound >= end && detection.range.upperBound <= text.utf8.count, "detections overlap or leave the text")
            end = detection.range.upperBound
        }
    }
    _ = WidthNormalization.normalized(text)
    return 0
}

/// The executable's entry point, named as SwiftPM links it: libFuzzer's driver.
@_cdecl("FuzzText_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    sluice_fuzz_main(argc, argv, { data, size in fuzzText(data!, size) })
}
