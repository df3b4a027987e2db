import Testing

@testable import SluiceMasking

/// Numbers written the way people write them, and numbers that touch or hide: each must
/// be found as its kind and masked.
@Suite struct NumberSpellingTests {
    func kinds(_ text: String, cautious: Bool = false) -> [DetectionKind] {
        TextScanner(cautious: cautious).detections(in: text).map(\.kind)
    }

    func masked(_ text: String) -> String {
        var counts: [DetectionKind: Int] = [:]
        return TextScanner().masked(text, counts: &counts)
    }

    @Test(arguments: [
        ("身份证110105 19491231 002X。", DetectionKind.residentID),
        ("身份证110105-19491231-002X。", .residentID),
        ("身份证110105 1949 1231 002X。", .residentID),
        ("手机138.1234.5678。", .mobile),
        ("手机138/1234/5678。", .mobile),
        ("手机138 12345678。", .mobile),
        ("手机138\t1234\t5678。", .mobile),
        ("手机138\n1234\n5678。", .mobile),
        ("手机138\r\n1234\r\n5678。", .mobile),
        ("手机138\u{00A0}1234\u{00A0}5678。", .mobile),
        ("手机138\u{2009}1234\u{2009}5678。", .mobile),
        ("手机138\u{202F}1234\u{202F}5678。", .mobile),
        ("手机138\u{2013}1234\u{2013}5678。", .mobile),
        ("电话(010) 6552 9988。", .landline),
        ("电话（010）6552-9988。", .landline),
        ("电话0571.8888.1234。", .landline),
        ("邮箱zhang.san@公安.中国。", .email),
        ("邮箱zhang.san@公安.中国的邮箱", .email),
        ("卡号6222/0212/3456/7890/128。", .bankCard),
    ])
    func groupingsAndSeparators(text: String, kind: DetectionKind) {
        #expect(kinds(text) == [kind])
    }

    @Test func theFormsAreMaskedWhole() {
        #expect(masked("身份证110105 19491231 002X。") == "身份证1****************X。")
        #expect(masked("手机138.1234.5678。") == "手机138****5678。")
        #expect(masked("电话(010) 6552 9988。") == "电话010-******88。")
        #expect(masked("邮箱zhang.san@公安.中国的邮箱") == "邮箱z***@公安.中国的邮箱")
    }

    @Test(arguments: [
        "ID11010519491231002X", "tel13812345678", "TEL:13812345678", "mobile13812345678号", "***13812345678", "13812345678***",
        "No.6222021234567890128", "手机号码13812345678abc",
    ])
    func numbersThatTouchLettersOrStars(text: String) {
        #expect(!kinds(text).isEmpty)
        #expect(!masked(text).contains("12345678") && !masked(text).contains("1949123"))
    }

    @Test(arguments: [
        "138\u{200E}1234\u{200F}5678", "138\u{2062}1234\u{2062}5678", "138\u{180E}12345678", "138\u{202E}1234\u{202C}5678",
        "1\u{0301}3\u{0301}8\u{0301}12345678", "138\u{2066}1234\u{2069}5678", "138\u{FE0F}12345678", "\u{061C}13812345678",
    ])
    func formatAndCombiningCharactersAreInvisible(text: String) {
        #expect(kinds("手机" + text + "。") == [.mobile])
        #expect(!masked("手机" + text + "。").contains("1234"))
    }

    @Test(arguments: [
        "١٣٨١٢٣٤٥٦٧٨", "۱۳۸۱۲۳۴۵۶۷۸", "१३८१२३४५६७८", "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "𝟙𝟛𝟠𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠", "¹³⁸¹²³⁴⁵⁶⁷⁸", "①③⑧①②③④⑤⑥⑦⑧",
        "一三八一二三四五六七八", "幺三八 一二三四 五六七八", "壹叁捌壹贰叁肆伍陆柒捌",
    ])
    func otherDigitsAndChineseNumerals(text: String) {
        #expect(kinds("手机" + text + "。") == [.mobile])
        #expect(masked("手机" + text + "。") == "手机138****5678。")
    }

    @Test func chineseNumeralsInOrdinaryTextAreNotNumbers() {
        #expect(kinds("一二三四五六七年级，第三十二条，十一月二十三日，一五一十地说") == [])
        #expect(kinds("编号一二三四五六七八九") == [])
    }

    @Test func idNumbersInChineseNumerals() {
        #expect(kinds("身份证号一一〇一〇五一九四九一二三一〇〇二X") == [.residentID])
    }

    @Test func theKeptEndsOfMasksAreNotReadAgain() {
        // Masking leaves 4 digits beside stars; they must not join the next number.
        let once = masked("18629950499 42459 15277803799")
        #expect(masked(once) == once)
        #expect(masked("卡号***********0571-88102438") == "卡号***********0571-88102438")
    }
}
