import SluiceSampleData
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

    /// The check character as GB 11643 §5 states it (Σ digit × weight mod 11, looked up in
    /// 10X98765432) for every last digit and random bodies: the detector computes it
    /// another way, without the tables.
    @Test func gb11643CheckCharacterAsTheStandardStatesIt() {
        var generator = SeededGenerator(seed: 17)
        var differing = 0
        for round in 0..<20_000 {
            var digits = (0..<17).map { _ in UInt8.random(in: 0x30...0x39, using: &generator) }
            digits[16] = 0x30 + UInt8(round % 10)
            var sum = 0
            for (weight, digit) in zip(ResidentIDNumber.weights, digits) { sum += weight * Int(digit - 0x30) }
            if ResidentIDNumber.checkCharacter(for: digits) != ResidentIDNumber.checkCharacters[sum % 11] { differing += 1 }
        }
        #expect(differing == 0)
        #expect(ResidentIDNumber.weights == (0..<17).map { index in (0..<(17 - index)).reduce(1) { power, _ in power * 2 % 11 } })
    }

    /// GB 32100-2015 table 1: the organisation types each registration authority issues
    /// codes for, every pair of the code's alphabet tried.
    @Test func gb32100RegistrationAuthoritiesAndTypes() {
        let table: [Character: String] = [
            "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19", "9": "123",
            "A": "19", "N": "1239", "Y": "1",
        ]
        var differing = 0
        for authority in UnifiedSocialCreditCode.alphabet {
            for type in UnifiedSocialCreditCode.alphabet {
                let listed = table[Character(UnicodeScalar(authority))]?.utf8.contains(type) ?? false
                if UnifiedSocialCreditCode.isRegistered(authority: authority, type: type) != listed { differing += 1 }
            }
        }
        #expect(differing == 0)
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
