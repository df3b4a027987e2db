import SluiceCore
import Testing

@Suite struct FieldPathTests {
    @Test func nestedPaths() throws {
        let city = try #require(FieldPath("address.city"))
        let address = try #require(FieldPath("address"))
        #expect(city.segments == ["address", "city"])
        #expect(city.isInside(address))
        #expect(!address.isInside(city))
        #expect(!(try #require(FieldPath("addressbook"))).isInside(address))
    }

    @Test(arguments: ["", ".a", "a.", "a..b", "a b", "a/b"])
    func invalidPaths(text: String) {
        #expect(FieldPath(text) == nil)
    }

    @Test func chineseNamesAreAllowed() {
        #expect(FieldPath("当事人.姓名")?.segments == ["当事人", "姓名"])
    }
}
