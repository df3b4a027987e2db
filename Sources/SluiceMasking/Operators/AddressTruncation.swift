import SluiceCore

/// Cuts a mainland address after its province, city (prefecture) or district (county)
/// part: "浙江省杭州市西湖区文三路90号" truncated to city is "浙江省杭州市".
///
/// Municipalities (北京市 …) are province and city at once. An address whose parts
/// cannot be recognised yields nil: the caller must then suppress it, because a guess
/// could leave a street and house number in place. Works on Unicode scalar values
/// decoded from the start of the UTF-8 into a stack buffer: the administrative names are
/// all single-scalar Han characters, and an address is masked in every record.
public enum AddressTruncation {
    struct Province {
        var full: [UInt32]
        var short: [UInt32]
        var municipality: Bool
    }

    /// The name tables, read through one static so that a call pays one lazy-global
    /// check rather than one per table, and one object so that it pays one reference
    /// count rather than one per table (an address is cut in every record and in a
    /// quarter of case notes).
    final class Tables: Sendable {
        /// Province entries by first character, so an address is compared with two or
        /// three names instead of all 34.
        let provincesByFirstScalar: [UInt32: [Province]]
        let cityEndings: [[UInt32]]
        let districtEndings: [[UInt32]]
        let notDistricts: [[UInt32]]
        /// Last characters of every ending, to test an ending only where one can finish.
        /// (Short lists searched in order: cheaper than hashing for a handful of scalars.)
        let endingScalars: [UInt32]
        let streetMarkers: [UInt32]
        let municipalDistricts: [UInt32]

        init(
            provincesByFirstScalar: [UInt32: [Province]], cityEndings: [[UInt32]], districtEndings: [[UInt32]],
            notDistricts: [[UInt32]], endingScalars: [UInt32], streetMarkers: [UInt32], municipalDistricts: [UInt32]
        ) {
            self.provincesByFirstScalar = provincesByFirstScalar
            self.cityEndings = cityEndings
            self.districtEndings = districtEndings
            self.notDistricts = notDistricts
            self.endingScalars = endingScalars
            self.streetMarkers = streetMarkers
            self.municipalDistricts = municipalDistricts
        }
    }

    static func values(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    /// Province-level names, each with the forms it is written in.
    static let provinces: [Province] = [
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
    ].map { Province(full: values($0.0), short: values($0.1), municipality: $0.2) }

    static let tables: Tables = {
        /// A bare 州 is not among them: 杭州市 must not be cut at 杭州.
        let cityEndings = ["自治州", "地区", "市", "盟"].map(values)
        let districtEndings = ["自治县", "自治旗", "新区", "区", "县", "市", "旗"].map(values)
        return Tables(
            provincesByFirstScalar: Dictionary(grouping: provinces, by: { $0.full[0] }),
            cityEndings: cityEndings,
            districtEndings: districtEndings,
            // Endings of residential and campus names, which end in 区 without being districts.
            notDistricts: ["小区", "社区", "园区", "校区", "景区", "厂区", "营区"].map(values),
            endingScalars: Array(Set((cityEndings + districtEndings).compactMap(\.last))),
            // Characters of streets and buildings that no city or district name contains.
            // (楼, 道, 单, 元 and 路 do occur: 鼓楼区, 道里区, 单县, 元宝区, 路南区.)
            streetMarkers: values("号巷弄栋幢室街"),
            municipalDistricts: values("市辖区"))
    }()

    /// 路, spelled as its value so no lazy global is checked per scalar.
    static var road: UInt32 { 0x8DEF }

    /// The most characters a kept address can have: the longest province name, a city
    /// part and a district part at their longest, and a skipped 市辖区.
    static let longestKept = 8 + 12 + 10 + 3

    public static func truncate(_ address: String, to level: MaskRule.AddressLevel) -> String? {
        let trimmed = address.trimmingWhitespace()
        return ASCIIBytes.withBytes(trimmed) { bytes in
            guard let kept = keptBytes(bytes, level: level) else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            guard let skipped = kept.skipped else { return text(0..<kept.end) }
            return text(0..<skipped.lowerBound) + text(skipped.upperBound..<kept.end)
        }
    }

    /// The cut as byte offsets into `bytes` (an address starting at offset 0): the end of
    /// what is kept, less a skipped `市辖区`; nil when the parts are not recognised. For a
    /// caller that writes the kept bytes itself (an address found in free text).
    static func keptBytes(_ bytes: UnsafeBufferPointer<UInt8>, level: MaskRule.AddressLevel) -> (end: Int, skipped: Range<Int>?)? {
        let tables = tables
        // Only the start of an address can be kept: a long one is not decoded whole.
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: longestKept + 1) { scalarBuffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: longestKept + 2) { offsets in
                // The bytes are a string's (valid UTF-8): each character is read from its
                // lead byte's length, without a decoder's checks.
                var count = 0
                var offset = 0
                offsets[0] = 0
                while count <= longestKept, offset < bytes.count {
                    let lead = bytes[offset]
                    let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
                    guard lead & 0xC0 != 0x80, offset + length <= bytes.count else { break }
                    var scalar = UInt32(lead) & (length == 1 ? 0x7F : length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                    for position in offset + 1..<offset + length { scalar = scalar << 6 | UInt32(bytes[position] & 0x3F) }
                    scalarBuffer[count] = scalar
                    offset += length
                    count += 1
                    offsets[count] = offset
                }
                let scalars = UnsafeBufferPointer(rebasing: scalarBuffer[0..<count])
                guard let kept = cut(scalars, level: level, tables: tables) else { return nil }
                return (offsets[kept.end], kept.skipped.map { offsets[$0.lowerBound]..<offsets[$0.upperBound] })
            }
        }
    }

    /// What a cut keeps, in scalars: the address up to `end`, less `skipped`.
    struct Kept {
        var end: Int
        var skipped: Range<Int>? = nil
    }

    /// The cut on decoded scalars, or nil when the address's parts are not recognised.
    private static func cut(_ scalars: UnsafeBufferPointer<UInt32>, level: MaskRule.AddressLevel, tables: Tables) -> Kept? {
        guard let first = scalars.first,
            let province = tables.provincesByFirstScalar[first]?.first(where: { has(scalars, $0.full, at: 0) || has(scalars, $0.short, at: 0) })
        else { return nil }
        var position = has(scalars, province.full, at: 0) ? province.full.count : province.short.count
        if level == .province { return Kept(end: position) }

        let municipalDistricts = tables.municipalDistricts
        if province.municipality {
            // 北京市市辖区 and the like name no real city level; skip it when written.
            if has(scalars, municipalDistricts, at: position) { position += municipalDistricts.count }
            if level == .city { return Kept(end: position) }
        } else {
            guard let end = partEnd(scalars, from: position, endings: tables.cityEndings, maxLength: 12, tables: tables) else { return nil }
            if level == .city { return Kept(end: end) }
            position = end
        }
        guard let end = partEnd(scalars, from: position, endings: tables.districtEndings, maxLength: 10, tables: tables) else { return nil }
        // 北京市市辖区朝阳区 keeps only the real levels.
        if province.municipality, has(scalars, municipalDistricts, at: province.full.count) {
            return Kept(end: end, skipped: province.full.count..<(province.full.count + municipalDistricts.count))
        }
        return Kept(end: end)
    }

    /// The end of the shortest run from `start` that ends with one of `endings` and
    /// looks like an administrative name (no digits, no street words).
    private static func partEnd(
        _ scalars: UnsafeBufferPointer<UInt32>, from start: Int, endings: [[UInt32]], maxLength: Int, tables: Tables
    ) -> Int? {
        var index = start
        while index < scalars.count, index - start < maxLength {
            let scalar = scalars[index]
            // 路 ends a street name but starts 路南区 and 路桥区.
            if scalar &- 0x30 < 10 || scalar &- 0xFF10 < 10 || tables.streetMarkers.contains(scalar) || (scalar == road && index > start) {
                return nil
            }
            index += 1
            guard index - start >= 2, tables.endingScalars.contains(scalar) else { continue }
            // Compared by index: a slice's suffix went through unspecialised generic code.
            func endsWith(_ ending: [UInt32]) -> Bool { index - start >= ending.count && has(scalars, ending, at: index - ending.count) }
            if endings.contains(where: endsWith), !tables.notDistricts.contains(where: endsWith) {
                return index
            }
        }
        return nil
    }

    /// Whether `scalars` holds `part` at `position`.
    @inline(__always) private static func has(_ scalars: UnsafeBufferPointer<UInt32>, _ part: [UInt32], at position: Int) -> Bool {
        guard position >= 0, position + part.count <= scalars.count else { return false }
        for offset in part.indices where scalars[position + offset] != part[offset] { return false }
        return true
    }
}
