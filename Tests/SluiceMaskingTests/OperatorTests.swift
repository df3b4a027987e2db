import SluiceCore
import Testing

@testable import SluiceMasking

@Suite struct OperatorTests {
    @Test(arguments: [
        ("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("司马懿", "司马*"), ("欧阳", "欧*"),
        ("阿卜杜拉·买买提", "阿*******"), ("Zhang San", "Zhang ***"), (" 李四 ", "李*"), ("李", "*"),
        // Spaces kept, mixed scripts and a variation selector take the general path.
        ("欧阳 娜娜", "欧阳 **"), ("张 三", "张 *"), ("张A三", "张**"), ("葛\u{E0100}优", "葛\u{E0100}*"), ("𠀋小明", "𠀋**"),
    ])
    func surnames(name: String, expected: String) {
        #expect(SurnameMask.apply(name) == expected)
    }

    @Test(arguments: [("王小明", "王○○"), ("欧阳 娜娜", "欧阳 ○○"), ("𠀋小明", "𠀋○○"), ("Zhang San", "Zhang ○○○")])
    func surnamesWithAMultiByteMaskCharacter(name: String, expected: String) {
        #expect(SurnameMask.apply(name, maskCharacter: "○") == expected)
    }

    @Test func partialMasksWithAMultiByteMaskCharacter() {
        #expect(PartialMask.apply("13812345678", keepFirst: 3, keepLast: 4, maskCharacter: "○") == "138○○○○5678")
        #expect(PartialMask.apply("ab", keepFirst: 0, keepLast: 0, maskCharacter: "#") == "##")
    }

    @Test func partialKeepsLengthAndAlwaysHidesSomething() {
        #expect(PartialMask.apply("13812345678", keepFirst: 3, keepLast: 4) == "138****5678")
        #expect(PartialMask.apply("李四", keepFirst: 1, keepLast: 1) == "李*")
        #expect(PartialMask.apply("abcd", keepFirst: 3, keepLast: 4, maskCharacter: "#") == "ab##")
        #expect(PartialMask.apply("", keepFirst: 1, keepLast: 1) == "")
    }

    @Test(arguments: [
        ("浙江省杭州市西湖区文三路90号", MaskRule.AddressLevel.province, "浙江省"),
        ("浙江省杭州市西湖区文三路90号", .city, "浙江省杭州市"),
        ("浙江省杭州市西湖区文三路90号", .district, "浙江省杭州市西湖区"),
        ("北京市朝阳区建国路88号", .city, "北京市"),
        ("北京市朝阳区建国路88号", .district, "北京市朝阳区"),
        ("上海市浦东新区世纪大道1号", .district, "上海市浦东新区"),
        ("广西壮族自治区南宁市青秀区民族大道100号", .district, "广西壮族自治区南宁市青秀区"),
        ("吉林省延边朝鲜族自治州延吉市光明街1号", .district, "吉林省延边朝鲜族自治州延吉市"),
        ("山东省济南市市中区经七路", .district, "山东省济南市市中区"),
        ("浙江杭州西湖区", .province, "浙江"),
        ("福建省福州市鼓楼区中山北路1号", .district, "福建省福州市鼓楼区"),
        ("河北省唐山市路南区新华道1号", .district, "河北省唐山市路南区"),
        ("山东省菏泽市单县舜师路", .district, "山东省菏泽市单县"),
        ("北京市市辖区朝阳区建国路88号", .city, "北京市市辖区"),
        ("北京市市辖区朝阳区建国路88号", .district, "北京市朝阳区"),
        ("  新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路1号院里很长很长很长很长很长很长的地址", .district, "新疆维吾尔自治区伊犁哈萨克自治州伊宁市"),
    ])
    func addressTruncation(address: String, level: MaskRule.AddressLevel, expected: String) {
        #expect(AddressTruncation.truncate(address, to: level) == expected)
    }

    @Test func unrecognisedAddressesAreNotGuessed() {
        #expect(AddressTruncation.truncate("文三路90号", to: .city) == nil)
        #expect(AddressTruncation.truncate("浙江省文三路90号小区", to: .district) == nil)
        #expect(AddressTruncation.truncate("浙江省杭州市阳光小区3幢", to: .district) == nil)
    }

    @Test func ageBands() throws {
        #expect(AgeBand.label(age: 34, width: 10) == "30-39")
        #expect(AgeBand.label(age: 34, width: 5) == "30-34")
        #expect(AgeBand.label(age: 0, width: 10) == "0-9")
        #expect(AgeBand.label(age: -1, width: 10) == nil)
        let birth = try #require(CalendarDate(iso8601: "1990-06-15"))
        #expect(AgeBand.age(born: birth, on: try #require(CalendarDate(iso8601: "2025-06-14"))) == 34)
        #expect(AgeBand.age(born: birth, on: try #require(CalendarDate(iso8601: "2025-06-15"))) == 35)
    }
}

/// Generalising to year or month keeps the first characters, by bytes when it can.
@Suite struct LeadingCharactersTests {
    @Test func agreesWithCharacterPrefixes() {
        let samples = [
            "2025-03-01", "2025-03-01T10:00:00+08:00", "2025", "202", "", "2025\u{301}-03", "202\u{301}5-03", "二〇二五年三月",
            "2025年3月", "1990-06-15 ", "e\u{301}e\u{301}e\u{301}e\u{301}e",
        ]
        for sample in samples {
            for count in [4, 7] {
                #expect(FieldMask.leading(count, of: sample) == String(sample.prefix(count)), "\(sample.unicodeScalars.map(\.value)) \(count)")
            }
        }
    }
}
