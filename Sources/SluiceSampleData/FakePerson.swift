import SluiceCore
import SluiceMasking

/// Fake but valid personal data of the kinds Sluice must mask: names, ID numbers with
/// correct check characters, allocated mobile numbers, Luhn-valid cards, addresses.
/// Nothing here belongs to a real person.
public struct FakeData {
    public var random: SeededGenerator

    public init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(
        String.init)
    static let compoundSurnames = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐"]
    static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红梅文辉鹏飞宇浩然子涵欣怡思雨梓轩俊杰晨曦").map(String.init)
    /// Real county-level region codes with the address parts they stand for.
    static let regions: [(code: String, province: String, city: String, district: String)] = [
        ("110105", "北京市", "", "朝阳区"), ("310115", "上海市", "", "浦东新区"), ("330106", "浙江省", "杭州市", "西湖区"),
        ("440305", "广东省", "深圳市", "南山区"), ("510107", "四川省", "成都市", "武侯区"), ("420106", "湖北省", "武汉市", "武昌区"),
        ("320102", "江苏省", "南京市", "玄武区"), ("370102", "山东省", "济南市", "历下区"), ("610113", "陕西省", "西安市", "雁塔区"),
        ("500103", "重庆市", "", "渝中区"), ("350102", "福建省", "福州市", "鼓楼区"), ("450103", "广西壮族自治区", "南宁市", "青秀区"),
    ]
    static let streets = ["文三路", "建国路", "人民路", "解放大道", "中山北路", "学院街", "长江路", "滨江大道"]
    static let mobilePrefixes = ["130", "131", "135", "138", "139", "147", "150", "152", "158", "166", "177", "181", "186", "189", "191", "199"]
    static let plateProvinces = Array("京沪浙粤川鄂苏鲁陕渝闽桂").map(String.init)
    static let mailDomains = ["qq.com", "163.com", "126.com", "sina.com", "jd-court.gov.cn", "example.org"]

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
    }

    public mutating func name() -> String {
        let surname = Int.random(in: 0..<10, using: &random) == 0 ? pick(Self.compoundSurnames) : pick(Self.surnames)
        return surname + (0..<Int.random(in: 1...2, using: &random)).map { _ in pick(Self.givenNames) }.joined()
    }

    public mutating func birthDate() -> CalendarDate {
        let year = Int.random(in: 1940...2006, using: &random)
        let month = Int.random(in: 1...12, using: &random)
        return CalendarDate(year: year, month: month, day: Int.random(in: 1...CalendarDate.daysIn(month: month, year: year), using: &random))!
    }

    /// A valid 18-character ID number for a person born on `birth`.
    public mutating func residentID(born birth: CalendarDate? = nil) -> String {
        let birth = birth ?? birthDate()
        let date = String(birth.description.filter(\.isNumber))
        let first17 = pick(Self.regions).code + date + digits(3)
        return first17 + String(UnicodeScalar(ResidentIDNumber.checkCharacter(for: Array(first17.utf8))))
    }

    public mutating func mobile() -> String { pick(Self.mobilePrefixes) + digits(8) }

    /// A UnionPay-style 16 or 19 digit card number with a valid Luhn digit.
    public mutating func bankCard() -> String {
        let body = "62" + digits(Int.random(in: 0..<2, using: &random) == 0 ? 13 : 16)
        for check in 0...9 where BankCardNumber.luhnIsValid(Array((body + String(check)).utf8)) {
            return body + String(check)
        }
        return body + "0"
    }

    public mutating func creditCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var organisation = String((0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
        let check = UnifiedSocialCreditCode.organisationCheckCharacter(for: Array(organisation.utf8))!
        // X is outside the credit code's alphabet: such organisation codes are not issued in it.
        guard check != UInt8(ascii: "X") else { return creditCode() }
        organisation.append(Character(UnicodeScalar(check)))
        let first17 = pick(["91", "92", "93", "12", "52", "51"]) + pick(Self.regions).code + organisation
        return first17 + String(UnicodeScalar(UnifiedSocialCreditCode.checkCharacter(for: Array(first17.utf8))!))
    }

    public mutating func landline() -> String {
        Int.random(in: 0..<2, using: &random) == 0 ? "010-" + "6" + digits(7) : "0571-" + "8" + digits(7)
    }

    public mutating func email() -> String {
        let local = ["zhang", "li.wei", "wang_fang", "chen2019", "liu.yang88", "sun-hao"]
        return pick(local) + digits(2) + "@" + pick(Self.mailDomains)
    }

    public mutating func passport() -> String { "E" + digits(8) }
    public mutating func travelPermit() -> String { "C" + digits(8) }
    public mutating func vehiclePlate() -> String {
        pick(Self.plateProvinces) + pick(["A", "B", "C", "D", "E"]) + digits(2) + pick(["A", "K", "M", "0", "1"]) + digits(2)
    }

    public mutating func address() -> String {
        let region = pick(Self.regions)
        return region.province + region.city + region.district + pick(Self.streets) + String(Int.random(in: 1...300, using: &random)) + "号"
    }
}
