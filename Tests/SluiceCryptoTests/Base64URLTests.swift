import Foundation
import Testing

@testable import SluiceCrypto

/// The hand-written codec against Foundation's base64 (alphabet swapped, padding dropped).
@Suite("Base64url") struct Base64URLTests {
    static func reference(_ bytes: Data) -> String {
        bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func encodesAndDecodesLikeTheReferenceAtEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0...70) + [1000, 49_151, 49_152, 49_153, 65_537] {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = Base64URL.encode(bytes)
            #expect(text == Self.reference(bytes), "length \(length)")
            #expect(Base64URL.decode(text) == bytes, "length \(length)")
        }
        #expect(Base64URL.encode(Data("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Data("foobar".utf8)) == "Zm9vYmFy")
    }

    @Test func refusesWhatIsNotTheOneSpellingOfSomeBytes() {
        for text in ["Z", "Zm9vY", "Zg==", "Zm9v+mFy", "Zm9v/mFy", "Zm 9v", "Zm9v\n", "Zh", "Zm9=", "Zm9vYmF", "Zm9vYmG", "é"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        #expect(Base64URL.decode("") == Data())
        #expect(Base64URL.decode("Zm9vYmE") == Data("fooba".utf8))
    }
}
