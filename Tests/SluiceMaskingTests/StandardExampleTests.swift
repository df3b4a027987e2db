import Testing

@testable import SluiceMasking

/// Examples printed in the standards themselves.
@Suite("Check characters from the standards") struct StandardExampleTests {
    /// GB 11643-1999 annex: 11010519491231002X (Beijing Chaoyang, born 1949-12-31, a
    /// woman) and 440524188001010014 (Guangdong Chao'an, born 1880-01-01, a man).
    @Test func gb11643Examples() throws {
        #expect(ResidentIDNumber.checkCharacter(for: Array("11010519491231002".utf8)) == UInt8(ascii: "X"))
        #expect(ResidentIDNumber.checkCharacter(for: Array("44052418800101001".utf8)) == UInt8(ascii: "4"))
        #expect(ResidentIDNumber.isValid("11010519491231002X"))
        #expect(ResidentIDNumber.isValid("440524188001010014"))
        let facts = try #require(ResidentIDNumber.facts(of: "11010519491231002X"))
        #expect(facts.birth.description == "1949-12-31")
        #expect(!facts.male)
        #expect(facts.region == "110105")
        #expect(ResidentIDNumber.facts(of: "440524188001010014")?.male == true)
    }

    /// GB 32100-2015's worked example: the first 17 characters 91350100M000100Y4 weigh
    /// to 1640, 1640 mod 31 = 28, so the check character is 31 − 28 = 3.
    @Test func gb32100WorkedExample() {
        #expect(UnifiedSocialCreditCode.checkCharacter(for: Array("91350100M000100Y4".utf8)) == UInt8(ascii: "3"))
        #expect(UnifiedSocialCreditCode.isValid("91350100M000100Y43"))
        #expect(!UnifiedSocialCreditCode.isValid("91350100M000100Y4Z"))
        #expect(UnifiedSocialCreditCode.weights == (0..<17).map { index in (0..<index).reduce(1) { power, _ in power * 3 % 31 } })
    }

    /// ISO/IEC 7812-1 Luhn: the textbook example 79927398713, and well-known test cards.
    @Test func luhnExamples() {
        #expect(BankCardNumber.luhnIsValid(Array("79927398713".utf8)))
        #expect(!BankCardNumber.luhnIsValid(Array("79927398710".utf8)))
        #expect(BankCardNumber.isValid("4111111111111111"))
        #expect(BankCardNumber.isValid("6212 3456 7890 1234 563") == BankCardNumber.luhnIsValid(Array("6212345678901234563".utf8)))
        #expect(!BankCardNumber.isValid("4111111111111112"))
    }
}
