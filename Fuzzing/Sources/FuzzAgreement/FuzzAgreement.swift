import CFuzzerDriver
import SluiceCore

/// Agreement and agency-registry files as an admin (or an attacker with write access to
/// the agreements folder) might write them: YAML of any shape. Refusals carry file:line
/// problems; anything else is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAgreement(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? AgreementDecoder().decode(text, file: "fuzz.yaml")
    _ = try? AgencyRegistryDecoder().decode(text, file: "agencies.yaml")
    return 0
}

/// The executable's entry point, named as SwiftPM links it: libFuzzer's driver.
@_cdecl("FuzzAgreement_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    sluice_fuzz_main(argc, argv, { data, size in fuzzAgreement(data!, size) })
}
