import Testing

@testable import SluiceCore

@Suite struct NearestNameTests {
    @Test func editDistanceCountsTranspositionsAsOne() {
        #expect(NearestName.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(NearestName.editDistance(Array("ab"), Array("ba")) == 1)
        #expect(NearestName.editDistance(Array(""), Array("abc")) == 3)
    }

    @Test func suggestsOnlyCloseNames() {
        let keys = ["valid_from", "valid_until", "purpose"]
        #expect(NearestName.suggestion(for: "valid_untill", among: keys) == "valid_until")
        #expect(NearestName.suggestion(for: "prupose", among: keys) == "purpose")
        #expect(NearestName.suggestion(for: "colour", among: keys) == nil)
    }
}
