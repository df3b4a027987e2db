import Foundation
import SluiceCore
import Testing

@Suite struct LowercaseHexTests {
    @Test func everyByteValueAsTwoLowerCaseDigits() {
        let all = (0...255).map { UInt8($0) }
        let expected = all.map { String(format: "%02x", $0) }.joined()
        #expect(LowercaseHex.encode(all) == expected)
        #expect(LowercaseHex.encode([UInt8]()) == "")
    }

    @Test func aSHA256OfEmptyInputAsToolsPrintIt() {
        // The FIPS 180-4 digest of no bytes, as `sha256sum` prints it.
        let digest: [UInt8] = [
            0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
            0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
        ]
        #expect(LowercaseHex.encode(digest) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
