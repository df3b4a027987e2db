import SluiceCore
import Testing

/// The quick check that returns a value untouched must agree with trimming whole
/// characters, including where a space and a combining mark form one character.
@Suite struct TrimmingTests {
    @Test func theShortcutAgreesWithTrimmingCharacters() {
        let samples = [
            "", " ", "a", "张三", " 张三", "张三　", "　张三", "\r\n", "x\r\n", "x \u{301}", " \u{301}x", "e\u{301}", "é",
            "１２３", "浙江省杭州市", "Zhang San ", "\tabc", "abc\u{A0}", "\u{A0}", "张\u{E0100}", "👍🏽", "a\u{200B}",
        ]
        for sample in samples {
            #expect(sample.trimmingWhitespace() == Substring(sample).trimmingWhitespace(), "sample \(sample.unicodeScalars.map { $0.value })")
        }
        // The spelled-out White_Space set is Unicode's.
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.isWhitespace else { continue }
            // Leading only: a Han tail lets the quick check decide by the first scalar alone.
            let padded = String(scalar) + "张"
            #expect(padded.trimmingWhitespace() == "张", "U+\(String(value, radix: 16))")
            // Trailing only: the quick check decodes the last scalar from its own bytes.
            #expect(("张" + String(scalar)).trimmingWhitespace() == "张", "U+\(String(value, radix: 16)) at the end")
        }
        #expect("张三　".trimmingWhitespace() == "张三")
        #expect("x \u{301}".trimmingWhitespace() == "x")
    }
}
