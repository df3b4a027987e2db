import Testing

@testable import SluiceMasking

@Suite struct DetectorTests {
    @Test(arguments: [
        ("11010519491231002x", true), ("11010519491231002Y", false), ("110105194902300028", false),
        ("990105194912310021", false), ("110105490101001", true), ("110105491301001", false), ("1101051949123100", false),
    ])
    func residentIDs(text: String, valid: Bool) {
        #expect(ResidentIDNumber.isValid(text.uppercased()) == valid)
    }

    @Test func mobileNumbers() {
        for written in ["13812345678", "+86 138 1234 5678", "+8613812345678", "0086-13812345678", "138-1234-5678", "8613812345678"] {
            #expect(MobileNumber.canonical(written) == "13812345678", "form \(written.count) chars")
        }
        for notMobile in ["12812345678", "15412345678", "1381234567", "138123456789", "138 1234-5678"] {
            #expect(MobileNumber.canonical(notMobile) == nil)
        }
    }

    @Test func landlines() {
        for number in ["010-62345678", "(010) 62345678", "0571-88123456", "0571 8812345", "02166667777"] {
            #expect(LandlineNumber.isValid(number), "landline of \(number.count) chars")
        }
        for notLandline in ["010-1234567", "0571-123456", "110-62345678", "001-62345678"] {
            #expect(!LandlineNumber.isValid(notLandline))
        }
    }

    @Test func emails() {
        #expect(EmailAddress.isValid("li.wei88@163.com"))
        #expect(EmailAddress.isValid("a+b@sub.example.gov.cn"))
        #expect(!EmailAddress.isValid("li.@163.com"))
        #expect(!EmailAddress.isValid("liwei@localhost"))
        #expect(!EmailAddress.isValid("liwei@163.c"))
    }

    @Test func travelDocumentsAndPlates() {
        #expect(TravelDocumentNumber.isPassport("E12345678"))
        #expect(TravelDocumentNumber.isPassport("EA1234567"))
        #expect(TravelDocumentNumber.isPassport("G12345678"))
        #expect(!TravelDocumentNumber.isPassport("E1234567"))
        #expect(TravelDocumentNumber.isTravelPermit("C12345678"))
        #expect(TravelDocumentNumber.isTravelPermit("CA1234567"))
        #expect(!TravelDocumentNumber.isTravelPermit("W12345678"))
        #expect(VehiclePlate.isValid("浙A12345"))
        #expect(VehiclePlate.isValid("京A·D12345"))
        #expect(VehiclePlate.isValid("粤B1234挂"))
        #expect(VehiclePlate.isValid("粤B12345挂"))
        #expect(!VehiclePlate.isValid("粤B123挂"))
        #expect(!VehiclePlate.isValid("浙AABCDE"))
        #expect(!VehiclePlate.isValid("浙I12345"))
    }

    @Test func fullWidthFormsFoldToASCII() {
        #expect(WidthNormalization.normalized("１３８１２３４５６７８") == "13812345678")
        #expect(WidthNormalization.normalized("ＡＢ＠ｃｄ．ｃｏｍ") == "AB@cd.com")
        #expect(WidthNormalization.normalized("号码：１３８") == "号码:138")
        #expect(WidthNormalization.normalized("a\u{3000}b") == "a b")
    }

    /// Folding looks for lead bytes a word at a time: a foldable character at any offset,
    /// next to look-alikes that share a lead byte (。 U+3002, ｟ U+FF5F) or none, must fold
    /// exactly as character-by-character mapping does.
    @Test func foldingMatchesCharacterByCharacterMapping() {
        let pieces = ["a", "7", "张", "。", "，", "１", "Ｚ", "ｚ", "\u{3000}", "｟", "～", "😀", "é", " "]
        func reference(_ text: String) -> String {
            String(
                String.UnicodeScalarView(
                    text.unicodeScalars.map { scalar in
                        switch scalar.value {
                        case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0)!
                        case 0x3000: " "
                        default: scalar
                        }
                    }))
        }
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            for _ in 0..<25 {
                let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
                #expect(WidthNormalization.normalized(text) == reference(text), "pieces: \(text.unicodeScalars.count)")
            }
        }
    }
}
