import SluiceCore

/// Cuts a mainland address after its province, city (prefecture) or district (county)
/// part: "浙江省杭州市西湖区文三路90号" truncated to city is "浙江省杭州市".
///
/// Municipalities (北京市 …) are province and city at once. An address whose parts
/// cannot be recognised yields nil: the caller must then suppress it, because a guess
/// could leave a street and house number in place.
public enum AddressTruncation {
    /// Province-level names, each with the forms it is written in.
    static let provinces: [(full: String, short: String, municipality: Bool)] = [
        ("北京市", "北京", true), ("天津市", "天津", true), ("上海市", "上海", true), ("重庆市", "重庆", true),
        ("河北省", "河北", false), ("山西省", "山西", false), ("辽宁省", "辽宁", false), ("吉林省", "吉林", false),
        ("黑龙江省", "黑龙江", false), ("江苏省", "江苏", false), ("浙江省", "浙江", false), ("安徽省", "安徽", false),
        ("福建省", "福建", false), ("江西省", "江西", false), ("山东省", "山东", false), ("河南省", "河南", false),
        ("湖北省", "湖北", false), ("湖南省", "湖南", false), ("广东省", "广东", false), ("海南省", "海南", false),
        ("四川省", "四川", false), ("贵州省", "贵州", false), ("云南省", "云南", false), ("陕西省", "陕西", false),
        ("甘肃省", "甘肃", false), ("青海省", "青海", false), ("台湾省", "台湾", false),
        ("内蒙古自治区", "内蒙古", false), ("广西壮族自治区", "广西", false), ("西藏自治区", "西藏", false),
        ("宁夏回族自治区", "宁夏", false), ("新疆维吾尔自治区", "新疆", false),
        ("香港特别行政区", "香港", true), ("澳门特别行政区", "澳门", true),
    ]
    /// A bare 州 is not among them: 杭州市 must not be cut at 杭州.
    static let cityEndings = ["自治州", "地区", "市", "盟"]
    static let districtEndings = ["自治县", "自治旗", "新区", "区", "县", "市", "旗"]

    public static func truncate(_ address: String, to level: MaskRule.AddressLevel) -> String? {
        var rest = Substring(address.trimmingWhitespace())
        var kept = ""
        guard let province = provinces.first(where: { rest.hasPrefix($0.full) || rest.hasPrefix($0.short) }) else {
            return nil
        }
        let provinceText = rest.hasPrefix(province.full) ? province.full : province.short
        kept += provinceText
        rest = rest.dropFirst(provinceText.count)
        if level == .province { return kept }

        if province.municipality {
            // 北京市市辖区 and the like name no real city level; skip it when written.
            if rest.hasPrefix("市辖区") { rest = rest.dropFirst(3) }
            if level == .city { return kept }
        } else {
            guard let city = takePart(&rest, endings: cityEndings, maxLength: 12) else { return nil }
            kept += city
            if level == .city { return kept }
        }
        guard let district = takePart(&rest, endings: districtEndings, maxLength: 10) else { return nil }
        return kept + district
    }

    /// Characters of streets and buildings that no city or district name contains.
    /// (楼, 道, 单, 元 and 路 do occur: 鼓楼区, 道里区, 单县, 元宝区, 路南区.)
    static let streetMarkers: Set<Character> = ["号", "巷", "弄", "栋", "幢", "室", "街"]
    /// Endings of residential and campus names, which end in 区 without being districts.
    static let notDistricts = ["小区", "社区", "园区", "校区", "景区", "厂区", "营区"]

    /// The shortest leading run of characters that ends with one of `endings` and looks
    /// like an administrative name (no digits, no street words).
    private static func takePart(_ rest: inout Substring, endings: [String], maxLength: Int) -> String? {
        var index = rest.startIndex
        var length = 0
        while index < rest.endIndex, length < maxLength {
            let character = rest[index]
            // Digits only: isNumber would also refuse 京, 万 and 三, which Unicode counts as numerals;
            // 路 ends a street name but starts 路南区 and 路桥区.
            if character.isASCIIDigit || WidthNormalization.normalized(String(character)).first?.isASCIIDigit == true
                || streetMarkers.contains(character) || (character == "路" && length > 0)
            {
                return nil
            }
            index = rest.index(after: index)
            length += 1
            let candidate = rest[rest.startIndex..<index]
            if length >= 2, endings.contains(where: { candidate.hasSuffix($0) }),
                !notDistricts.contains(where: { candidate.hasSuffix($0) })
            {
                rest = rest[index...]
                return String(candidate)
            }
        }
        return nil
    }
}
